"""Engine selection and the DuckDB side of a Spark run, without Spark.

Fast: no pipeline run.  The whole Spark path is ``tests/test_engines_agree.py``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipelines import settings
from pipelines.cli import main
from pipelines.engines import spark_runner
from pipelines.storage.readonly import ReadOnlyQueryError, run_read_only_query


def test_engine_defaults_to_duckdb_and_rejects_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.ENGINE_ENV_VAR, raising=False)
    assert settings.engine() == "duckdb"
    monkeypatch.setenv(settings.ENGINE_ENV_VAR, "Spark")
    assert settings.engine() == "spark"
    monkeypatch.setenv(settings.ENGINE_ENV_VAR, "flink")
    with pytest.raises(ValueError, match="duckdb, spark"):
        settings.engine()


def test_handoff_root_beside_the_warehouse_unless_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(settings.HANDOFF_ROOT_ENV_VAR, raising=False)
    monkeypatch.setenv(settings.WAREHOUSE_ENV_VAR, str(tmp_path / "ch.duckdb"))
    assert settings.handoff_root() == str(tmp_path / "ch.handoff")
    monkeypatch.setenv(settings.HANDOFF_ROOT_ENV_VAR, "s3://bucket/claimhouse")
    assert settings.handoff_root() == "s3://bucket/claimhouse"


def test_run_offers_the_engine_option() -> None:
    result = CliRunner().invoke(main, ["run", "--help"])
    assert result.exit_code == 0
    assert "--engine [duckdb|spark]" in result.output
    bad = CliRunner().invoke(main, ["run", "--engine", "flink"])
    assert bad.exit_code != 0


def _spark_marts(root: Path) -> None:
    """What dbt-spark leaves: a partitioned table, a plain one, and one without rows."""
    marts = root / "spark" / "warehouse" / "marts.db"
    con = duckdb.connect()
    for day, n in (("2026-03-01", 2), ("2026-03-02", 3)):
        (marts / "fct_claims" / f"day={day}").mkdir(parents=True)
        con.execute(
            f"copy (select 'c' || i as claim_id, i * 0.5 as score from range({n}) t(i)) "
            f"to '{marts}/fct_claims/day={day}/part-00000.snappy.parquet' (format parquet)"
        )
    (marts / "dim_actors").mkdir(parents=True)
    con.execute(f"copy (select 'a' as actor_id) to '{marts}/dim_actors/part-00000.parquet' (format parquet)")
    (marts / "mart_empty").mkdir(parents=True)
    (marts / "mart_empty" / "_SUCCESS").touch()
    con.close()


def test_marts_become_views_readable_through_the_read_only_surface(tmp_path: Path) -> None:
    root = tmp_path / "ch.handoff"
    _spark_marts(root)
    warehouse = tmp_path / "ch.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute("create table marts.dim_actors as select 'old' as actor_id")  # an earlier DuckDB build
    assert spark_runner.expose_marts(con, str(root)) == ["marts.dim_actors", "marts.fct_claims"]
    con.close()

    _, rows = run_read_only_query(warehouse, "select day, count(*), sum(score) from marts.fct_claims group by 1 order by 1")
    assert [(str(day), n, total) for day, n, total in rows] == [("2026-03-01", 2, 0.5), ("2026-03-02", 3, 1.5)]
    assert run_read_only_query(warehouse, "select * from marts.dim_actors")[1] == [("a",)]
    # Only the marts folder is readable: other files stay out of reach.
    (root / "raw").mkdir()
    duckdb.connect().execute(f"copy (select 1 as x) to '{root}/raw/x.parquet' (format parquet)")
    for query in (f"select * from read_parquet('{root}/raw/x.parquet')", "select * from read_csv('/etc/passwd')"):
        with pytest.raises(ReadOnlyQueryError, match="refused or failed"):
            run_read_only_query(warehouse, query)


def test_object_store_roots_are_refused_by_the_local_runner() -> None:
    with pytest.raises(NotImplementedError, match="Scaling out"):
        spark_runner.spark_warehouse_dir("s3://bucket/claimhouse")
