"""Spark job: extraction over Hive-partitioned Parquet articles, through ``mapInArrow``.

    spark-submit --master local[2] pipelines/engines/spark_extract_job.py --root ROOT [DAY ...]

Reads ``<root>/articles/day=YYYY-MM-DD/`` (only the given days, else every day
there), runs ``pipelines.extraction.arrow_batches.extract_tagged`` on the
workers (the same function the in-process path uses; the spaCy pipeline is
loaded once per Python worker), and writes ``<root>/sentences|mentions|
attributions/day=YYYY-MM-DD/``, replacing only those days (dynamic partition
overwrite; a day left with no rows of a table loses its old folder).

Launched under Dagster Pipes (``PipesSubprocessClient`` here; the Kubernetes,
EMR, Databricks or Dataproc Pipes clients in production) it reports one
materialization per raw table with its counts; standalone it prints the same
counts as one JSON line prefixed ``claimhouse-spark-extract:``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import uuid
from collections.abc import Sequence

RESULT_PREFIX = "claimhouse-spark-extract:"
TABLES = ("sentences", "mentions", "attributions")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True, help="handoff root: <root>/articles/day=.../ in, tables out")
    parser.add_argument("--partitions", type=int, default=0,
                        help="input partitions for extraction (default: 2 x the default parallelism)")
    parser.add_argument("--batch-size", type=int, default=0, help="articles per extractor call on a worker")
    parser.add_argument("days", nargs="*", help="days to extract (YYYY-MM-DD); default: every day under articles/")
    args, _ = parser.parse_known_args(argv)  # Dagster Pipes may add its own --dagster-pipes-* arguments
    args.days = sorted({dt.date.fromisoformat(d) for d in args.days})
    return args


def run(spark, root: str, days: list[dt.date], partitions: int = 0, batch_size: int = 0) -> dict:
    """Extract the given days (all when empty); return counts per table and per day."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    from pipelines.extraction import arrow_batches

    root = root.rstrip("/")
    jvm = spark.sparkContext._jvm
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()

    def fs_path(path: str):
        p = jvm.org.apache.hadoop.fs.Path(path)
        return p.getFileSystem(hadoop_conf), p

    def exists(path: str) -> bool:
        fs, p = fs_path(path)
        return fs.exists(p)

    def delete(path: str) -> None:
        fs, p = fs_path(path)
        if fs.exists(p):
            fs.delete(p, True)

    started = time.perf_counter()
    articles_root = f"{root}/articles"
    reader = spark.read.option("basePath", articles_root)
    if days:
        paths = [f"{articles_root}/day={d.isoformat()}" for d in days if exists(f"{articles_root}/day={d.isoformat()}")]
    else:
        paths = [articles_root] if exists(articles_root) else []
    article_schema = "article_id string, text string, day date"
    if paths:
        articles = reader.parquet(*paths).select("article_id", "text", F.col("day").cast("date").alias("day"))
    else:
        articles = spark.createDataFrame([], article_schema)
    if not days:
        days = sorted(row.day for row in articles.select("day").distinct().collect())
    width = partitions or 2 * spark.sparkContext.defaultParallelism
    batch_size = batch_size or arrow_batches.DEFAULT_BATCH_SIZE

    def extract(batches):
        from pipelines.extraction.arrow_batches import extract_tagged

        return extract_tagged(batches, batch_size=batch_size)

    tagged = articles.repartition(width, "article_id").mapInArrow(
        extract, from_arrow_schema(arrow_batches.TAGGED_SCHEMA)
    )
    # Extraction runs once: its output is staged, then split into the three tables.
    staging = f"{root}/_staging/extract-{uuid.uuid4().hex}"
    tagged.write.mode("overwrite").parquet(staging)
    extracted = time.perf_counter()
    try:
        staged = spark.read.parquet(staging)
        counts = {(row["table"], row["day"]): row["count"] for row in staged.groupBy("table", "day").count().collect()}
        versions = sorted(
            row[0]
            for row in staged.select(
                F.coalesce("sentence.extractor_version", "mention.extractor_version", "attribution.extractor_version")
            ).distinct().collect()
        )
        for table in TABLES:
            rows = staged.where(F.col("table") == table).select(f"{table[:-1]}.*", "day")
            rows.repartition("day").write.mode("overwrite").partitionBy("day").parquet(f"{root}/{table}")
            for day in days:  # a day with no rows of this table keeps nothing from an earlier run
                if (table, day) not in counts:
                    delete(f"{root}/{table}/day={day.isoformat()}")
    finally:
        delete(staging)
    n_articles = articles.count()
    return {
        "days": [d.isoformat() for d in days],
        "n_articles": n_articles,
        "extractor_version": versions[0] if len(versions) == 1 else versions or None,
        "rows": {table: sum(n for (t, _), n in counts.items() if t == table) for table in TABLES},
        "rows_per_day": {
            table: {d.isoformat(): counts.get((table, d), 0) for d in days} for table in TABLES
        },
        "seconds": round(time.perf_counter() - started, 3),
        "extract_seconds": round(extracted - started, 3),
        "master": spark.sparkContext.master,
    }


def report(result: dict) -> None:
    """Counts to Dagster Pipes when launched under it, else one JSON line on stdout."""
    from dagster_pipes import PipesEnvVarParamsLoader, open_dagster_pipes

    print(RESULT_PREFIX + json.dumps(result, sort_keys=True), flush=True)
    if not PipesEnvVarParamsLoader().is_dagster_pipes_process():
        return
    with open_dagster_pipes() as pipes:
        common = {
            "engine": "spark",
            "spark_master": result["master"],
            "extractor_version": str(result["extractor_version"]),
            "articles_extracted": result["n_articles"],
            "days": ", ".join(result["days"]),
            "spark_seconds": result["seconds"],
        }
        for table in TABLES:
            pipes.report_asset_materialization(
                asset_key=f"raw/{table}", metadata={**common, f"new_{table}": result["rows"][table]}
            )
        pipes.log.info(f"extracted {result['n_articles']} articles on Spark in {result['seconds']} s")


def main(argv: Sequence[str] | None = None) -> int:
    from pipelines.engines.spark_session import build_spark_session

    args = parse_args(argv)
    spark = build_spark_session("claimhouse-extract")
    try:
        result = run(spark, args.root, args.days, args.partitions, args.batch_size)
    finally:
        spark.stop()
    report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
