# Two commands do everything on a fresh machine:
#   make demo   install into .venv/ and run the pipeline over the bundled sample corpus
#   make test   install into .venv/ and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark

.PHONY: demo test install install-spark eval bench clean

demo: install
	$(BIN)/claimhouse run
	@echo
	@echo 'Query it:  $(BIN)/claimhouse sql "select * from marts.mart_contradiction_rates order by n_claims desc"'
	@echo 'Browse it: $(BIN)/claimhouse ui   (Dagster UI on http://127.0.0.1:3000)'

# The tests also cover the Spark engine, so they install the spark extra (pyspark,
# dbt-spark) that `make demo` leaves out; Spark needs Java 17 on the machine.
test: install-spark
	$(BIN)/python -m pytest

install: $(STAMP)

# requirements.lock pins every package, so pip resolves nothing and a fresh
# install is repeatable; the stamp skips it when nothing changed.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install-spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,spark]'
	touch $(SPARK_STAMP)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs warehouse/*.duckdb warehouse/*.duckdb.wal

# Extraction quality on the PolNeAR dev split (needs ../shared beside the checkout).
eval: install
	$(BIN)/python -m pipelines.evaluation ../shared/eval/polnear/dev docs/quality.md

# Throughput, extraction speed against spaCy, incremental cost, memory, warehouse size and
# dashboard query latency over synthetic corpora; writes docs/benchmark.{json,md,png}.
# Larger sizes: make bench BENCH_SIZES="10000 100000" (see docs/benchmark.md for how long).
BENCH_SIZES ?= 1000 5000
bench: install
	$(BIN)/python -m pipelines.benchmark.run --sizes $(BENCH_SIZES)

# Regenerate the imported actor seeds (cameo_actors.csv, cameo_actor_aliases.csv) from the
# CAMEO/Phoenix dictionaries in ../shared/lexicons/cameo; the generated CSVs are committed.
seeds-from-cameo: install
	$(BIN)/python -m pipelines.lexicons.cameo_import ../shared/lexicons/cameo dbt_project/seeds

# Build a warehouse over the Wikinews corpus (../shared) and measure it: docs/real-news.md.
REAL_NEWS_WAREHOUSE ?= warehouse/real-news.duckdb
real-news: install
	CLAIMHOUSE_WAREHOUSE=$(REAL_NEWS_WAREHOUSE) $(BIN)/claimhouse run ../shared/corpora/wikinews/articles.jsonl
	$(BIN)/python -m pipelines.real_news $(REAL_NEWS_WAREHOUSE) docs/real-news.md
