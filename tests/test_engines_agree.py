"""The whole pipeline gives the same marts on DuckDB and on Apache Spark.

One run over the bundled sample corpus with ``--engine duckdb`` and one with
``--engine spark`` (extraction through ``spark-submit --master local[2]`` under
Dagster Pipes, ``dbt build --target spark``), each into its own temporary
warehouse and handoff root; every mart, read through ``claimhouse sql``'s
read-only path on the published snapshot, is equal row for row after ordering
(run-specific columns left out, floats within 1e-9).  Then one day re-run on
Spark leaves the marts as they were.

Slow: the Spark dbt build dominates (two of them: the full run and the re-run
of a day).  Skipped when pyspark (the ``spark`` extra) or Java 17 is missing.
"""

from __future__ import annotations

import datetime as dt
import decimal
import importlib.util
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.settings import REPO_DIR, SAMPLE_CORPUS_DIR
from pipelines.storage.readonly import run_read_only_query

MARTS = (
    "fct_claims", "fct_contradictions", "dim_actors", "dim_propositions", "mart_claim_frequency",
    "mart_contradiction_rates", "mart_actor_conflicts", "mart_contested_propositions", "mart_unresolved_names",
    "mart_overview", "mart_daily_claims", "mart_daily_contradictions", "mart_actor_contradiction_sides",
    "mart_daily_actor_conflicts",
)
RUN_SPECIFIC_COLUMNS = {"dbt_invocation_id"}
TOLERANCE = 1e-9


def _skip_reason() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed: install the spark extra (pip install .[spark])"
    java = shutil.which("java")
    if java is None:
        return "Java 17 is not installed: the Spark engine needs openjdk-17-jre-headless"
    version = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', version)
    if not match or int(match.group(1)) < 17:
        return f"Java 17 or later is needed by Spark 4, found: {version.splitlines()[0] if version else 'nothing'}"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


def _normal(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, list | tuple):
        return tuple(_normal(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _normal(v)) for k, v in value.items()))
    return value


def _sort_key(row: tuple) -> tuple:
    return tuple(
        (v is None, round(v, 6) if isinstance(v, float) else v if isinstance(v, int | bool) else str(v)) for v in row
    )


def _marts(warehouse: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    marts = {}
    for mart in MARTS:
        columns, _ = run_read_only_query(warehouse, f"select * from marts.{mart} limit 0")  # noqa: S608 - constant
        kept = sorted(c for c in columns if c not in RUN_SPECIFIC_COLUMNS)
        _, rows = run_read_only_query(warehouse, f"select {', '.join(kept)} from marts.{mart}")  # noqa: S608
        marts[mart] = (kept, sorted((tuple(_normal(v) for v in row) for row in rows), key=_sort_key))
    return marts


def _same(left: object, right: object) -> bool:
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is right
        return math.isclose(float(left), float(right), rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    if isinstance(left, tuple) and isinstance(right, tuple):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    return left == right


def _assert_marts_equal(expected: dict, actual: dict, label: str) -> None:
    for mart in MARTS:
        columns, rows = expected[mart]
        other_columns, other_rows = actual[mart]
        assert other_columns == columns, f"{label}: marts.{mart} columns differ"
        assert len(other_rows) == len(rows), f"{label}: marts.{mart} has {len(other_rows)} rows, expected {len(rows)}"
        for index, (row, other) in enumerate(zip(rows, other_rows, strict=True)):
            assert _same(row, other), f"{label}: marts.{mart} row {index} differs:\n  {row}\n  {other}"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    from pipelines.run import run_pipeline

    saved = dict(os.environ)
    root = tmp_path_factory.mktemp("engines")
    try:
        duck = root / "duckdb" / "claimhouse.duckdb"
        spark = root / "spark" / "claimhouse.duckdb"
        for path in (duck, spark):
            path.parent.mkdir()
        # The DuckDB run in a child process (the command line, as a user runs it) while
        # Spark runs in this one: the Spark dbt build is mostly driver round trips.
        duck_run = subprocess.Popen(
            [sys.executable, "-m", "pipelines.cli", "--warehouse", str(duck), "run", "--engine", "duckdb"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_DIR), os.environ.get("PYTHONPATH")]))},
        )
        spark_summary = run_pipeline([str(SAMPLE_CORPUS_DIR)], spark, engine="spark")
        duck_output, _ = duck_run.communicate()
        assert duck_run.returncode == 0, duck_output[-3000:]
        assert spark_summary.success, spark_summary.render()
        duck_marts, spark_marts = _marts(duck), _marts(spark)
        _, rows = run_read_only_query(
            spark, "select day from marts.fct_claims group by day order by count(*) desc, day limit 1"
        )
        day = rows[0][0].isoformat()
        rerun = run_pipeline([], spark, days=(day, day), engine="spark")
        assert rerun.success, rerun.render()
        yield {
            "duckdb": duck_marts, "spark": spark_marts, "spark_rerun": _marts(spark), "day": day,
            "duck_output": duck_output, "spark_summary": spark_summary, "spark_warehouse": spark,
        }
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_every_mart_equal_on_duckdb_and_spark(runs: dict) -> None:
    assert runs["duckdb"]["fct_claims"][1], "the sample corpus gives claims"
    _assert_marts_equal(runs["duckdb"], runs["spark"], "spark vs duckdb")


def test_run_summaries_agree(runs: dict) -> None:
    spark = runs["spark_summary"]
    assert [(name, ok) for name, ok, _ in spark.checks if not ok] == []
    assert not spark.failed_steps
    for line in spark.render().splitlines():
        if line.strip().startswith(("warehouse:", "ingested:", "checks:")):
            assert line in runs["duck_output"], line


def test_rerun_of_one_day_on_spark_is_idempotent(runs: dict) -> None:
    _assert_marts_equal(runs["spark"], runs["spark_rerun"], f"spark re-run of {runs['day']}")


def test_marts_readable_from_the_published_snapshot_after_spark(runs: dict) -> None:
    columns, rows = run_read_only_query(runs["spark_warehouse"], "select count(*) from marts.fct_claims")
    assert rows[0][0] == len(runs["duckdb"]["fct_claims"][1])
