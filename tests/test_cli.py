"""The command line, through click's CliRunner on real files and a real warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.defs.extract.assets import progress_line
from tests.conftest import table_counts

GOOD_ARTICLE = """Kestria reopens northern crossing
Source: Harbor Ledger
Published: 2026-03-03T08:00:00Z

The Kestrian Foreign Ministry said on Tuesday that the northern crossing would reopen to freight.
"""
LATIN1_ARTICLE = "Café owners in Oskel\n\nThe owner of a café near the señorita statue said business was slow.\n"


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "broken.jsonl").write_text('{"title": "A", "text": "x y z", "source": "S"\n', encoding="utf-8")
    (folder / "latin1.txt").write_bytes(LATIN1_ARTICLE.encode("latin-1"))
    return folder


def test_run_over_a_messy_folder_then_again(messy_folder: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "wh.duckdb"
    runner = CliRunner()
    first = runner.invoke(main, ["--warehouse", str(warehouse), "run", str(messy_folder)])
    assert first.exit_code == 0, first.output
    assert "Claimhouse run succeeded" in first.output
    # By default the log says what the steps report, not every Dagster event.
    assert "extracted 2 of 2 articles (100%)" in first.output and "STEP_START" not in first.output
    assert "raw_attributions: all" in first.output  # a Great Expectations check's verdict
    tables = ["raw.articles", "raw.quarantine", "raw.attributions", "marts.fct_claims"]
    counts = table_counts(warehouse, tables)
    assert counts["raw.articles"] == 2
    assert counts["raw.quarantine"] == 3

    result = runner.invoke(
        main, ["--warehouse", str(warehouse), "sql", "select reason_code from raw.quarantine order by 1",
               "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert [r["reason_code"] for r in json.loads(result.output)] == ["binary_file", "empty_file", "invalid_json"]
    result = runner.invoke(
        main, ["--warehouse", str(warehouse), "sql", "select title, text from raw.articles where title like 'Caf%'",
               "--format", "csv"],
    )
    assert "Café owners in Oskel" in result.output and "señorita" in result.output

    second = runner.invoke(main, ["--warehouse", str(warehouse), "run", str(messy_folder), "--log-level", "debug"])
    assert second.exit_code == 0, second.output
    assert "STEP_START" in second.output
    assert table_counts(warehouse, tables) == counts


def _claim_invocations(warehouse: Path) -> set[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {row[0] for row in con.execute("select distinct dbt_invocation_id from marts.fct_claims").fetchall()}
    finally:
        con.close()


def test_a_full_refresh_rebuilds_every_day_without_ingesting(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh.duckdb"
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "first.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    later = GOOD_ARTICLE.replace("2026-03-03", "2026-03-05").replace("on Tuesday", "on Thursday")
    (folder / "later.txt").write_text(later, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["--warehouse", str(warehouse), "run", str(folder)]).exit_code == 0
    tables = ["raw.articles", "raw.attributions", "marts.fct_claims", "intermediate.int_mentions_resolved_to_actors"]
    counts, invocations = table_counts(warehouse, tables), _claim_invocations(warehouse)
    assert counts["marts.fct_claims"] == 2 and len(invocations) == 1

    refreshed = runner.invoke(main, ["--warehouse", str(warehouse), "run", "--full-refresh"])
    assert refreshed.exit_code == 0, refreshed.output
    assert "processing days 2026-03-03..2026-03-05, rebuilding every model" in refreshed.output
    assert "as a full refresh: requested" in refreshed.output
    assert table_counts(warehouse, tables) == counts, "nothing ingested, nothing lost"
    after = _claim_invocations(warehouse)
    assert len(after) == 1 and after.isdisjoint(invocations), "every day's claims rebuilt by the new build"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select full_refresh from raw.dbt_builds order by built_at desc limit 1").fetchone() == (True,)
    finally:
        con.close()

    refused = runner.invoke(main, ["--warehouse", str(warehouse), "run", "--full-refresh", "--days", "2026-03-03"])
    assert refused.exit_code != 0 and "leave out --days" in refused.output

    empty = runner.invoke(main, ["--warehouse", str(tmp_path / "empty.duckdb"), "run", "--full-refresh"])
    assert empty.exit_code == 0, empty.output
    assert "the warehouse has no articles: nothing to rebuild" in empty.output


def test_run_refuses_a_missing_path_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--warehouse", str(tmp_path / "w.duckdb"), "run", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "no such file or folder" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "statement",
    [
        "insert into raw.articles (article_id) values ('x')",
        "drop table raw.articles",
        "attach '/tmp/other.duckdb' as other",
        "copy raw.articles to '/tmp/stolen.csv'",
        "install httpfs",
        "load httpfs",
        "select * from read_csv('/etc/passwd')",
    ],
)
def test_sql_is_read_only(statement: str, sample_run) -> None:
    result = CliRunner().invoke(main, ["--warehouse", str(sample_run.warehouse), "sql", statement])
    assert result.exit_code != 0
    assert "refused or failed" in result.output
    assert "Traceback" not in result.output


def test_sql_prints_a_table(sample_run) -> None:
    result = CliRunner().invoke(
        main, ["--warehouse", str(sample_run.warehouse), "sql", "select count(*) as n from marts.fct_claims"]
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[0].strip() == "n"
    assert "(1 row)" in result.output


def test_sql_without_a_warehouse_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--warehouse", str(tmp_path / "none.duckdb"), "sql", "select 1"])
    assert result.exit_code != 0
    assert "no warehouse" in result.output


def test_every_command_has_help() -> None:
    for command in main.commands.values():
        assert command.help, f"{command.name} has no docstring"
        assert CliRunner().invoke(main, [command.name, "--help"]).exit_code == 0


@pytest.mark.parametrize(
    ("done", "total", "seconds", "line"),
    [
        (2000, 97459, 32.0, "extracted 2,000 of 97,459 articles (2%), 62 articles/s, about 25 min left"),
        (500, 600, 10.0, "extracted 500 of 600 articles (83%), 50 articles/s, about 2 s left"),
        (600, 600, 12.0, "extracted 600 of 600 articles (100%), 50 articles/s"),
        (700, 600, 14.0, "extracted 700 of 700 articles (100%), 50 articles/s"),  # loaded during the run
    ],
)
def test_extraction_progress_says_how_far_and_how_long(done: int, total: int, seconds: float, line: str) -> None:
    assert progress_line(done, total, seconds) == line
