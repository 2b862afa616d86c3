"""The Spark engine gives the same extraction rows as the in-process default.

One ``spark-submit --master local[2]`` for the whole module, launched through
Dagster Pipes (``PipesSubprocessClient``) over the sample corpus exported to
Hive-partitioned Parquet in a temporary folder; its outputs are loaded back
into a copy of the warehouse and compared with the in-process extraction.
Skipped when pyspark (the ``spark`` extra) or Java is missing.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.engines import parquet_handoff
from pipelines.engines import spark_extract_job
from pipelines.engines.spark_session import spark_env, spark_submit_command
from pipelines.extraction import Extractor, arrow_batches
from pipelines.ingestion import read_articles
from pipelines.settings import SAMPLE_CORPUS_DIR
from pipelines.storage import articles as article_store
from pipelines.storage import extractions as extraction_store


def _java_missing() -> str | None:
    java = shutil.which("java") or (Path(os.environ["JAVA_HOME"]) / "bin" / "java" if "JAVA_HOME" in os.environ else None)
    if not java:
        return "Java (17) is not installed: the Spark engine needs openjdk-17-jre-headless"
    return None


_reason = (
    "pyspark is not installed: install the spark extra (pip install .[spark])"
    if importlib.util.find_spec("pyspark") is None
    else _java_missing()
)
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")

JOB = Path(spark_extract_job.__file__)
TABLES = ("sentences", "mentions", "attributions", "extracted_articles")


@dataclass
class SparkRun:
    root: Path
    in_process: Path
    spark: Path
    days: list
    materializations: dict
    spark_wall_s: float
    in_process_s: float


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> SparkRun:
    base = tmp_path_factory.mktemp("spark")
    root = base / "handoff"
    loaded, in_process, spark = base / "loaded.duckdb", base / "in_process.duckdb", base / "spark.duckdb"
    con = duckdb.connect(str(loaded))
    article_store.ensure_schema(con)
    article_store.load_records(con, read_articles([str(SAMPLE_CORPUS_DIR)]), run_id="test")
    days = parquet_handoff.article_days(con)
    exported = parquet_handoff.export_articles(con, str(root), days)
    assert sum(exported.values()) == con.execute("select count(*) from raw.articles").fetchall()[0][0]
    con.close()
    shutil.copy(loaded, in_process)
    shutil.copy(loaded, spark)

    con = duckdb.connect(str(in_process))
    started = time.perf_counter()
    articles = extraction_store.articles_by_id(con, extraction_store.article_ids_to_extract(con, extractor.version))
    tables = arrow_batches.to_tables(extractor.extract(articles), extractor.version)
    extraction_store.write_extractions(con, [a.article_id for a in articles], tables, extractor.version)
    in_process_s = time.perf_counter() - started
    con.close()

    @dg.multi_asset(specs=[dg.AssetSpec(["raw", name]) for name in ("sentences", "mentions", "attributions")])
    def spark_extraction(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):
        command = spark_submit_command(JOB, ["--root", str(root), *(d.isoformat() for d in days)])
        return pipes.run(command=command, context=context, env=spark_env()).get_results()

    started = time.perf_counter()
    result = dg.materialize([spark_extraction], resources={"pipes": dg.PipesSubprocessClient()})
    spark_wall_s = time.perf_counter() - started
    assert result.success
    materializations = {
        event.asset_key.to_user_string(): event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
    }

    con = duckdb.connect(str(spark))
    parquet_handoff.load_extractions(con, str(root), days)
    con.close()
    print(f"\nextraction of the sample corpus: in-process {in_process_s:.1f} s, "
          f"spark-submit local[2] under Pipes {spark_wall_s:.1f} s wall")
    return SparkRun(root, in_process, spark, days, materializations, spark_wall_s, in_process_s)


def _rows(path: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = [r[0] for r in con.execute(f"describe raw.{table}").fetchall() if r[0] != "extracted_at"]  # noqa: S608
        return con.execute(f"select {', '.join(columns)} from raw.{table} order by all").fetchall()  # noqa: S608
    finally:
        con.close()


def test_spark_attributions_equal_in_process_row_for_row(spark_run: SparkRun) -> None:
    expected, got = _rows(spark_run.in_process, "attributions"), _rows(spark_run.spark, "attributions")
    assert len(expected) > 100
    assert got == expected


@pytest.mark.parametrize("table", ["sentences", "mentions", "extracted_articles"])
def test_spark_tables_equal_in_process(spark_run: SparkRun, table: str) -> None:
    expected, got = _rows(spark_run.in_process, table), _rows(spark_run.spark, table)
    assert expected
    assert got == expected


def _days_with_rows(path: Path, table: str) -> list:
    """The article days that have rows of ``raw.<table>`` in a warehouse (an article may have no attribution)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [row[0] for row in con.execute(f"""
            select distinct {parquet_handoff.ARTICLE_DAY_SQL} from raw.articles
            where article_id in (select article_id from raw.{table}) order by 1
        """).fetchall()]  # noqa: S608
    finally:
        con.close()


def test_outputs_are_hive_partitioned_by_day(spark_run: SparkRun) -> None:
    for table in ("articles", "sentences", "mentions", "attributions"):
        folders = sorted(p.name for p in (spark_run.root / table).iterdir())
        days = spark_run.days if table == "articles" else _days_with_rows(spark_run.in_process, table)
        assert folders == [f"day={d.isoformat()}" for d in days], table
    assert _days_with_rows(spark_run.in_process, "attributions")
    assert not list((spark_run.root / "_staging").glob("*")), "the job's staging folder is left behind"


def test_counts_reported_through_dagster_pipes(spark_run: SparkRun) -> None:
    assert set(spark_run.materializations) == {"raw/sentences", "raw/mentions", "raw/attributions"}
    for name in ("sentences", "mentions", "attributions"):
        metadata = spark_run.materializations[f"raw/{name}"]
        assert metadata[f"new_{name}"].value == len(_rows(spark_run.in_process, name))
        assert metadata["engine"].value == "spark"
        assert metadata["spark_master"].value == "local[2]"
        assert metadata["articles_extracted"].value == len(_rows(spark_run.in_process, "extracted_articles"))


def test_reloading_days_is_idempotent(spark_run: SparkRun, tmp_path: Path) -> None:
    copy = tmp_path / "again.duckdb"
    shutil.copy(spark_run.spark, copy)
    con = duckdb.connect(str(copy))
    summary = parquet_handoff.load_extractions(con, str(spark_run.root), spark_run.days[:2])
    con.close()
    assert summary.n_articles > 0
    for table in TABLES:
        assert _rows(copy, table) == _rows(spark_run.spark, table), table


def test_export_replaces_only_the_given_days(spark_run: SparkRun, tmp_path: Path) -> None:
    root = tmp_path / "handoff"
    shutil.copytree(spark_run.root / "articles", root / "articles")
    stale = root / "articles" / f"day={spark_run.days[0].isoformat()}" / "stale.parquet"
    shutil.copy(next(stale.parent.glob("*.parquet")), stale)
    untouched = root / "articles" / f"day={spark_run.days[1].isoformat()}"
    before = {p.name: p.stat().st_mtime_ns for p in untouched.iterdir()}
    con = duckdb.connect(str(spark_run.spark), read_only=True)
    counts = parquet_handoff.export_articles(con, str(root), [spark_run.days[0]])
    con.close()
    assert not stale.exists()
    assert counts[spark_run.days[0]] > 0
    assert [p.name for p in stale.parent.iterdir()] == ["part-0.parquet"]
    assert {p.name: p.stat().st_mtime_ns for p in untouched.iterdir()} == before


def test_job_reports_standalone_without_pipes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DAGSTER_PIPES_CONTEXT", raising=False)
    result = {"days": ["2026-03-02"], "n_articles": 1, "extractor_version": "v", "rows": {}, "seconds": 1.0,
              "master": "local[2]"}
    spark_extract_job.report(result)
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith(spark_extract_job.RESULT_PREFIX))
    assert json.loads(line.removeprefix(spark_extract_job.RESULT_PREFIX)) == result


def test_spark_submit_command_uses_this_interpreter_and_local_2() -> None:
    import sys

    command = spark_submit_command(JOB, ["--root", "/tmp/x"])
    assert command[1:3] == ["--master", os.environ.get("CLAIMHOUSE_SPARK_MASTER") or "local[2]"]
    assert f"spark.pyspark.python={sys.executable}" in command
    assert "spark.ui.enabled=false" in command
    assert command[-3:] == [str(JOB), "--root", "/tmp/x"]
    assert subprocess.list2cmdline(command)  # a plain argument list, no shell
