"""DuckDB side of the engine handoff: Hive-partitioned Parquet by day.

Layout under a root (a local folder, or a URI pyarrow's filesystems know):

    <root>/articles/day=YYYY-MM-DD/*.parquet       written here, read by the Spark job
    <root>/sentences/day=YYYY-MM-DD/*.parquet      written by the Spark job, loaded here
    <root>/mentions/day=YYYY-MM-DD/*.parquet
    <root>/attributions/day=YYYY-MM-DD/*.parquet

An article's day is the day it was published, else the day it was first loaded
(the same ``reported_at`` the dbt models use).  Exporting some days replaces
only those days' folders; loading some days replaces only those days'
articles' rows, in one transaction (a failure leaves the raw tables as they were).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs

from pipelines.extraction.arrow_batches import SCHEMAS, ExtractedTables
from pipelines.storage import extractions as extraction_store

ARTICLE_DAY_SQL = "cast(coalesce(published_at, first_loaded_at) as date)"
"""The day an article belongs to: published, else first loaded (UTC)."""

ARTICLE_COLUMNS = ("article_id", "title", "text", "source", "url", "published_at", "first_loaded_at")
OUTPUT_TABLES = tuple(SCHEMAS)


@dataclass(frozen=True)
class LoadSummary:
    days: list[dt.date]
    extractor_version: str | None
    n_articles: int
    rows: dict[str, int] = field(default_factory=dict)


def _day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _filesystem(root: str) -> tuple[pafs.FileSystem, str]:
    return pafs.FileSystem.from_uri(root) if "://" in str(root) else (pafs.LocalFileSystem(), str(root))


def _exists(fs: pafs.FileSystem, path: str) -> bool:
    return fs.get_file_info(path).type != pafs.FileType.NotFound


def day_dir(root: str, table: str, day: dt.date | str) -> str:
    return f"{str(root).rstrip('/')}/{table}/day={_day(day).isoformat()}"


def article_days(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """Every day that has articles in ``raw.articles``, in order."""
    return [row[0] for row in con.execute(f"select distinct {ARTICLE_DAY_SQL} as day from raw.articles order by 1").fetchall()]


def export_articles(
    con: duckdb.DuckDBPyConnection, root: str, days: Iterable[dt.date | str] | None = None
) -> dict[dt.date, int]:
    """Write ``raw.articles`` of ``days`` (default: every day) to ``<root>/articles/day=.../``.

    Each exported day's folder is replaced; other days are left as they are.
    Returns the number of articles written per day.
    """
    days = sorted({_day(d) for d in days}) if days is not None else article_days(con)
    fs, base = _filesystem(root)
    columns = ", ".join(ARTICLE_COLUMNS)
    table = con.sql(
        f"select {columns}, {ARTICLE_DAY_SQL} as day from raw.articles "  # noqa: S608 - constant columns
        f"where {ARTICLE_DAY_SQL} = any($days) order by day, article_id",
        params={"days": days},
    ).to_arrow_table()
    counts: dict[dt.date, int] = {}
    for day in days:
        directory = day_dir(base, "articles", day)
        if _exists(fs, directory):
            fs.delete_dir(directory)
        rows = table.filter(ds.field("day") == pa.scalar(day, pa.date32())).drop_columns(["day"])
        counts[day] = rows.num_rows
        if rows.num_rows:
            fs.create_dir(directory, recursive=True)
            ds.write_dataset(
                rows, directory, filesystem=fs, format="parquet", basename_template="part-{i}.parquet",
                existing_data_behavior="delete_matching",
            )
    return counts


def _read_day(fs: pafs.FileSystem, base: str, table: str, day: dt.date, schema: pa.Schema | None) -> pa.Table | None:
    directory = day_dir(base, table, day)
    if not _exists(fs, directory):
        return None
    dataset = ds.dataset(directory, filesystem=fs, format="parquet")
    result = dataset.to_table()
    if schema is not None:
        result = result.select(schema.names).cast(schema)
    return result


def load_extractions(
    con: duckdb.DuckDBPyConnection, root: str, days: Iterable[dt.date | str]
) -> LoadSummary:
    """Load the Spark outputs of ``days`` into ``raw.sentences / mentions / attributions``.

    The articles are those exported to ``<root>/articles`` for these days (what the
    job saw).  For them, this extractor version's rows are replaced and
    ``raw.extracted_articles`` is written, all in one transaction, by the
    ``write_extractions`` the in-process path writes each batch with.
    """
    days = sorted({_day(d) for d in days})
    fs, base = _filesystem(root)
    extraction_store.ensure_schema(con)
    article_ids: list[str] = []
    frames: dict[str, list[pa.Table]] = {name: [] for name in OUTPUT_TABLES}
    for day in days:
        articles = _read_day(fs, base, "articles", day, None)
        if articles is not None:
            article_ids += articles.column("article_id").to_pylist()
        for name in OUTPUT_TABLES:
            schema = pa.schema([f for f in SCHEMAS[name] if f.name != "day"])
            if (rows := _read_day(fs, base, name, day, schema)) is not None:
                frames[name].append(rows)
    tables = {
        name: pa.concat_tables(parts) if parts else pa.schema([f for f in SCHEMAS[name] if f.name != "day"]).empty_table()
        for name, parts in frames.items()
    }
    versions = {v for t in tables.values() for v in t.column("extractor_version").unique().to_pylist()}
    if len(versions) > 1:
        raise ValueError(f"the Spark outputs of {days} mix extractor versions {sorted(versions)}")
    version = next(iter(versions), None)
    summary = LoadSummary(days, version, len(article_ids), {name: t.num_rows for name, t in tables.items()})
    if version is None:
        return summary  # nothing extracted for these days (no articles, or an empty export)
    extraction_store.write_extractions(con, article_ids, ExtractedTables(**tables), version)
    return summary
