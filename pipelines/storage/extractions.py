"""DuckDB tables for extraction output: raw.sentences, raw.mentions, raw.attributions.

``raw.extracted_articles`` remembers which article was extracted by which
extractor version, so extraction is incremental and a new version re-runs.
Rows are written in one transaction per batch: a crash leaves no half batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.extraction.arrow_batches import ExtractedTables
from pipelines.extraction.records import ArticleText

_DDL = """
create schema if not exists raw;
create table if not exists raw.extracted_articles (
    article_id varchar not null,
    extractor_version varchar not null,
    extracted_at timestamp not null,
    n_sentences integer not null,
    n_mentions integer not null,
    n_attributions integer not null,
    primary key (article_id, extractor_version)
);
create table if not exists raw.sentences (
    article_id varchar not null,
    extractor_version varchar not null,
    sentence_index integer not null,
    start_char integer not null,
    end_char integer not null,
    sentence_text varchar not null,
    is_candidate boolean not null,
    primary key (article_id, extractor_version, sentence_index)
);
create table if not exists raw.mentions (
    article_id varchar not null,
    extractor_version varchar not null,
    mention_index integer not null,
    sentence_index integer not null,
    start_char integer not null,
    end_char integer not null,
    mention_text varchar not null,
    entity_label varchar not null,
    primary key (article_id, extractor_version, mention_index)
);
create table if not exists raw.attributions (
    attribution_id varchar primary key,
    article_id varchar not null,
    extractor_version varchar not null,
    attribution_index integer not null,
    sentence_index integer not null,
    speaker_start integer,
    speaker_end integer,
    speaker_text varchar,
    speaker_resolved_start integer,
    speaker_resolved_end integer,
    speaker_resolved_text varchar,
    speaker_kind varchar not null,
    cue_start integer not null,
    cue_end integer not null,
    cue_text varchar not null,
    cue_lemma varchar not null,
    content_start integer not null,
    content_end integer not null,
    content_text varchar not null,
    is_direct boolean not null,
    is_multi_sentence boolean not null,
    is_negated boolean not null,
    predicate_family_id varchar,
    predicate_term varchar,
    predicate_polarity integer,
    subject_start integer,
    subject_end integer,
    subject_text varchar,
    subject_kind varchar not null,
    rule varchar not null,
    confidence double not null
);
"""

OUTPUT_TABLES = ExtractedTables._fields
"""sentences, mentions, attributions: the per-article tables, each keyed by (article_id, extractor_version, index)."""


@dataclass(frozen=True)
class ExtractionSummary:
    n_articles: int
    n_sentences: int
    n_mentions: int
    n_attributions: int


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_DDL)


# An article's partition day: the UTC day it was published, else the day it was loaded.
# The dbt models use the same rule (stg_articles.article_day).
ARTICLE_DAY_SQL = "cast(coalesce(articles.published_at, articles.first_loaded_at) as date)"


# The articles of the run's days (inclusive; None: open) that an extractor version has not extracted.
_NOT_EXTRACTED_SQL = f"""
    from raw.articles as articles
    anti join raw.extracted_articles as done
        on done.article_id = articles.article_id and done.extractor_version = $version
    where ($first_day is null or {ARTICLE_DAY_SQL} >= $first_day)
        and ($last_day is null or {ARTICLE_DAY_SQL} <= $last_day)
"""


def article_ids_to_extract(
    con: duckdb.DuckDBPyConnection,
    extractor_version: str,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[str]:
    """The ids of the articles of these days not yet extracted by this version, oldest first (ids only:
    a few MB at 100,000 articles)."""
    ensure_schema(con)
    params = {"version": extractor_version, "first_day": first_day, "last_day": last_day}
    query = f"select articles.article_id {_NOT_EXTRACTED_SQL} order by articles.first_loaded_at, articles.article_id"
    return [article_id for (article_id,) in con.execute(query, params).fetchall()]


def articles_by_id(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> list[ArticleText]:
    """These articles with their texts, in the order of ``article_ids`` (ids not in ``raw.articles`` left out).

    A lookup by id reads 500 texts in about 15 ms at 100,000 articles, where selecting each batch by
    the anti join, sort and limit took 200-300 ms.
    """
    rows = dict(con.execute(
        "select article_id, text from raw.articles where article_id in (select unnest($ids))",
        {"ids": list(article_ids)},
    ).fetchall())
    return [ArticleText(article_id, rows[article_id]) for article_id in article_ids if article_id in rows]


def pending_days(
    con: duckdb.DuckDBPyConnection, extractor_version: str, loaded_after: datetime | None = None
) -> list[date]:
    """The days that hold articles this extractor version has not extracted yet, or loaded after a time."""
    ensure_schema(con)
    rows = con.execute(f"""
        select distinct {ARTICLE_DAY_SQL} as day
        from raw.articles as articles
        left join raw.extracted_articles as done
            on done.article_id = articles.article_id and done.extractor_version = $version
        where done.article_id is null or articles.first_loaded_at > $loaded_after
        order by day
    """, {"version": extractor_version, "loaded_after": loaded_after}).fetchall()
    return [day for (day,) in rows]


def article_days(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """The first and last day of the articles in the warehouse, or None when it has none."""
    first, last = con.execute(
        f"select min({ARTICLE_DAY_SQL}), max({ARTICLE_DAY_SQL}) from raw.articles as articles"
    ).fetchone()
    return None if first is None else (first, last)


def write_extractions(
    con: duckdb.DuckDBPyConnection,
    article_ids: Sequence[str],
    tables: ExtractedTables,
    extractor_version: str,
) -> ExtractionSummary:
    """Replace this version's rows for these articles with ``tables``, all in one transaction.

    ``tables`` are Arrow tables of ``arrow_batches.SCHEMAS`` (their ``day`` column is
    not stored): DuckDB reads them in place, so a batch never turns into Python rows
    on its way in.  An article with no rows still gets its ``raw.extracted_articles``
    row, with zero counts, so it is not extracted again.
    """
    ensure_schema(con)
    rows = {name: _stored_columns(getattr(tables, name)) for name in OUTPUT_TABLES}
    found = {v for table in rows.values() for v in pc.unique(table.column("extractor_version")).to_pylist()}
    if found - {extractor_version}:
        raise ValueError(f"extraction rows of versions {sorted(found)} written as version {extractor_version}")
    done = pa.table({"article_id": pa.array(list(article_ids), pa.string())})
    con.execute("begin transaction")
    try:
        con.register("batch_done", done)
        for table in ("extracted_articles", *OUTPUT_TABLES):
            con.execute(
                f"delete from raw.{table} where extractor_version = $version "  # table names are constants
                "and article_id in (select article_id from batch_done)",
                {"version": extractor_version},
            )
        for name, table in rows.items():
            con.register(f"batch_{name}", table)
            con.execute(f"insert into raw.{name} by name select * from batch_{name}")  # noqa: S608 - constant
        counts = "\n".join(
            f"left join (select article_id, count(*) as n from batch_{name} group by article_id) as {name} "
            "using (article_id)"
            for name in OUTPUT_TABLES
        )
        con.execute(
            f"""
            insert into raw.extracted_articles by name
            select
                article_id, $version as extractor_version, $extracted_at as extracted_at,
                {", ".join(f"cast(coalesce({name}.n, 0) as integer) as n_{name}" for name in OUTPUT_TABLES)}
            from batch_done
            {counts}
            """,
            {"version": extractor_version, "extracted_at": datetime.now(UTC).replace(tzinfo=None)},
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for name in ("done", *OUTPUT_TABLES):
            con.unregister(f"batch_{name}")
    return ExtractionSummary(
        n_articles=done.num_rows,
        n_sentences=rows["sentences"].num_rows,
        n_mentions=rows["mentions"].num_rows,
        n_attributions=rows["attributions"].num_rows,
    )


def _stored_columns(table: pa.Table) -> pa.Table:
    return table.drop_columns(["day"]) if "day" in table.column_names else table
