"""The seam the Dagster assets call when ``$CLAIMHOUSE_ENGINE`` is ``spark``.

Three steps, each keeping DuckDB and Spark from holding the same thing at once:

* ``extract_on_spark``   export the window's pending days' articles to the handoff
  root, close DuckDB, run ``spark_extract_job`` with ``spark-submit`` under Dagster
  Pipes, then load its Hive-partitioned outputs back into ``raw.*``.
* ``prepare_dbt``        export the raw tables dbt reads to ``<root>/raw/<table>/``
  and point the dbt-spark profile at a persistent catalog under the root: the
  build's ``on-run-start`` hook (macros/raw_sources.sql) registers ``raw.*`` as
  views over that export, inside the dbt process (derby, the local metastore,
  admits one Spark process at a time; no other Spark process is running then).
* ``expose_marts``       after ``dbt build --target spark``: schema ``marts`` in the
  DuckDB working copy becomes views over the Spark marts' Parquet folders, so the
  published snapshot, ``claimhouse sql`` and the dashboard read them.  The
  snapshot then depends on ``<root>/spark/warehouse/marts.db`` staying in place.

Handoff layout under the root (``pipelines.settings.handoff_root``)::

    articles/day=YYYY-MM-DD/        articles of the days to extract (DuckDB -> Spark)
    sentences|mentions|attributions/day=YYYY-MM-DD/   extraction outputs (Spark -> DuckDB)
    raw/<table>/                    the raw tables dbt reads (DuckDB -> Spark)
    spark/warehouse/<schema>.db/    dbt-spark's tables (marts partitioned by day where incremental)
    spark/metastore                 the local Hive metastore (derby)
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.settings import handoff_root

if TYPE_CHECKING:
    import dagster as dg
    import duckdb

    from pipelines.defs.partitions import DayWindow
    from pipelines.defs.resources import WarehouseResource

RAW_TABLES = (
    "articles", "article_sources", "quarantine", "extracted_articles", "sentences", "mentions", "attributions",
)
MART_SCHEMA = "marts"
RAW_ROOT_ENV_VAR = "CLAIMHOUSE_SPARK_RAW_ROOT"
SPARK_WAREHOUSE_ENV_VAR = "CLAIMHOUSE_SPARK_WAREHOUSE"
SPARK_METASTORE_ENV_VAR = "CLAIMHOUSE_SPARK_METASTORE"
JOB_SCRIPT = Path(__file__).with_name("spark_extract_job.py")


def _local(root: str) -> Path:
    if "://" in root:
        raise NotImplementedError(
            f"the local runner writes the handoff with DuckDB and reads the Spark marts from a folder; {root} is an "
            "object-store URI: see README 'Scaling out' for the production settings"
        )
    return Path(root)


def spark_warehouse_dir(root: str | None = None) -> Path:
    return _local(root or handoff_root()) / "spark" / "warehouse"


def spark_metastore_dir(root: str | None = None) -> Path:
    return _local(root or handoff_root()) / "spark" / "metastore"


def spark_catalog_exists(root: str | None = None) -> bool:
    """Whether the local Spark catalog (metastore and warehouse folders) is there."""
    return spark_metastore_dir(root).exists() and spark_warehouse_dir(root).exists()


def _in_window(day: date, window: DayWindow) -> bool:
    return (window.first is None or day >= window.first) and (window.last is None or day <= window.last)


def extract_on_spark(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, window: DayWindow, version: str
) -> dict[str, object]:
    """Extract the window's days with articles ``version`` has not extracted, on Spark; return the totals."""
    import dagster as dg

    from pipelines.engines.parquet_handoff import export_articles, load_extractions
    from pipelines.engines.spark_session import spark_env, spark_master, spark_submit_command
    from pipelines.storage import extractions as extraction_store

    root = handoff_root()
    totals: dict[str, object] = {"articles": 0, "sentences": 0, "mentions": 0, "attributions": 0}
    with warehouse.connect() as con:
        days = [d for d in extraction_store.pending_days(con, version) if _in_window(d, window)]
        if not days:
            context.log.info(f"no articles of {window} left for extractor {version}: Spark is not started")
            return totals
        exported = export_articles(con, root, days)
    # DuckDB is closed while Spark runs: nothing holds the warehouse file.
    context.log.info(f"extracting {sum(exported.values())} articles of {len(days)} days on Spark ({spark_master()})")
    started = time.perf_counter()
    command = spark_submit_command(JOB_SCRIPT, ["--root", root, *(d.isoformat() for d in days)])
    invocation = dg.PipesSubprocessClient().run(command=command, context=context, env=spark_env())
    # The job reports one materialization per output table; this asset reports its
    # own (one per key, after the load), taking the job's Spark figures along.
    reported = {}
    for result in invocation.get_results():
        for name, value in (getattr(result, "metadata", None) or {}).items():
            if name in ("spark_master", "spark_seconds"):
                reported[name] = getattr(value, "value", value)
    with warehouse.connect() as con:
        summary = load_extractions(con, root, days)
    if summary.n_articles and summary.extractor_version != version:
        raise RuntimeError(f"the Spark job extracted with {summary.extractor_version}, expected {version}")
    totals.update({"articles": summary.n_articles, **summary.rows})
    totals["spark_master"] = reported.get("spark_master", spark_master())
    totals["spark_seconds"] = reported.get("spark_seconds", round(time.perf_counter() - started, 3))
    totals["handoff_root"] = root
    return totals


def export_raw_tables(con: duckdb.DuckDBPyConnection, root: str | None = None) -> dict[str, int]:
    """Write each raw table dbt reads to ``<root>/raw/<table>/data.parquet`` (replacing it); return row counts."""
    base = _local(root or handoff_root()) / "raw"
    counts = {}
    for table in RAW_TABLES:
        folder = base / table
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        target = str(folder / "data.parquet").replace("'", "''")
        con.execute(f"copy (select * from raw.{table}) to '{target}' (format parquet)")  # constant table names
        counts[table] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    return counts


def prepare_dbt(warehouse: WarehouseResource) -> list[str]:
    """Export the raw tables, point dbt-spark at the catalog under the root; return the extra dbt arguments."""
    from pipelines.engines.spark_session import spark_env

    root = handoff_root()
    with warehouse.connect() as con:
        export_raw_tables(con, root)
    spark_warehouse_dir(root).mkdir(parents=True, exist_ok=True)
    # dbt runs as a subprocess of this one and inherits these (profiles.yml reads them).
    os.environ.update(
        {
            RAW_ROOT_ENV_VAR: str(Path(root) / "raw"),
            SPARK_WAREHOUSE_ENV_VAR: str(spark_warehouse_dir(root)),
            SPARK_METASTORE_ENV_VAR: str(spark_metastore_dir(root)),
        }
    )
    for name, value in spark_env({}).items():
        os.environ.setdefault(name, value)
    return ["--target", "spark"]


def expose_marts(con: duckdb.DuckDBPyConnection, root: str | None = None) -> list[str]:
    """(Re)create ``marts.<table>`` in DuckDB as views over the Spark marts' Parquet folders; return their names."""
    folder = spark_warehouse_dir(root) / f"{MART_SCHEMA}.db"
    con.execute(f"create schema if not exists {MART_SCHEMA}")
    kinds = dict(
        con.execute(
            "select table_name, table_type from information_schema.tables where table_schema = ?", [MART_SCHEMA]
        ).fetchall()
    )
    created = []
    for table_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.exists() else []:
        name = table_dir.name
        if not name.replace("_", "").isalnum():
            continue
        if kinds.get(name) == "BASE TABLE":  # built by the DuckDB engine earlier
            con.execute(f"drop table {MART_SCHEMA}.{name}")
        partitioned = any(p.is_dir() and "=" in p.name for p in table_dir.iterdir())
        if not any(table_dir.glob("*/*.parquet" if partitioned else "*.parquet")):
            continue  # a table without rows has no files to read (its old view, if any, stays)
        pattern = str(table_dir / ("*/*.parquet" if partitioned else "*.parquet")).replace("'", "''")
        con.execute(
            f"create or replace view {MART_SCHEMA}.{name} as "
            f"select * from read_parquet('{pattern}', hive_partitioning = {str(partitioned).lower()})"
        )
        created.append(f"{MART_SCHEMA}.{name}")
    # Readers open the warehouse with external access off; this folder stays readable (storage/readonly.py).
    con.execute("create schema if not exists raw")
    con.execute("create table if not exists raw.engine_marts (engine varchar, location varchar)")
    con.execute("delete from raw.engine_marts")
    con.execute("insert into raw.engine_marts values ('spark', ?)", [str(folder)])
    return created
