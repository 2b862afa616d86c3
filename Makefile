# Two commands do everything on a fresh machine:
#   make demo   install into .venv/ and run the pipeline over the bundled sample corpus
#   make test   install into .venv/ and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install eval clean

demo: install
	$(BIN)/claimhouse run
	@echo
	@echo 'Query it:  $(BIN)/claimhouse sql "select * from marts.mart_contradiction_rates order by n_claims desc"'
	@echo 'Browse it: $(BIN)/claimhouse ui   (Dagster UI on http://127.0.0.1:3000)'

test: install
	$(BIN)/python -m pytest

install: $(STAMP)

# requirements.lock pins every package, so pip resolves nothing and a fresh
# install is repeatable; the stamp skips it when nothing changed.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs warehouse/*.duckdb warehouse/*.duckdb.wal

# Extraction quality on the PolNeAR dev split (needs ../shared beside the checkout).
eval: install
	$(BIN)/python -m pipelines.evaluation ../shared/eval/polnear/dev docs/quality.md
