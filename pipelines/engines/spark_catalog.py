"""The dbt project's ``raw.*`` sources on Spark: views over the Parquet handoff.

dbt-spark reads ``source('raw', 'articles')`` as the relation ``raw.articles``
in the session's catalog.  Here each raw table is a view over
``<root>/<table>/`` (Hive-partitioned by ``day`` or not; Spark discovers the
partitions), so the catalog holds no data of its own and a new day appears in
the view as soon as its folder exists.  A team with a table catalog (Iceberg
with a JDBC or REST catalog) registers tables there instead; the models do
not change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

RAW_TABLES = (
    "articles", "article_sources", "quarantine", "extracted_articles", "sentences", "mentions", "attributions",
)


def register_raw_views(
    spark: SparkSession, root: str, tables: Iterable[str] = RAW_TABLES, database: str = "raw"
) -> list[str]:
    """Create or replace ``<database>.<table>`` as a view over ``<root>/<table>`` for each table; return their names."""
    root = str(root).rstrip("/")
    spark.sql(f"create database if not exists {database}")
    created = []
    for table in tables:
        if not table.replace("_", "").isalnum():
            raise ValueError(f"not a table name: {table!r}")
        location = f"{root}/{table}".replace("`", "")
        spark.sql(f"create or replace view {database}.{table} as select * from parquet.`{location}`")
        created.append(f"{database}.{table}")
    return created
