"""DuckDB tables for extraction output: raw.sentences, raw.mentions, raw.attributions.

``raw.extracted_articles`` remembers which article was extracted by which
extractor version, so extraction is incremental and a new version re-runs.
Rows are written in one transaction per batch: a crash leaves no half batch.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

import duckdb
import polars as pl

from pipelines.extraction import ExtractionResult
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

_TABLE_KEYS = {
    "sentences": ("sentences", "sentence_index"),
    "mentions": ("mentions", "mention_index"),
    "attributions": ("attributions", "attribution_index"),
}


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


def articles_to_extract(
    con: duckdb.DuckDBPyConnection,
    extractor_version: str,
    limit: int | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[ArticleText]:
    """Articles of these days (inclusive; None: open) not yet extracted by this version, oldest first."""
    ensure_schema(con)
    query = f"""
        select articles.article_id, articles.text
        {_NOT_EXTRACTED_SQL}
        order by articles.first_loaded_at, articles.article_id
    """
    params = {"version": extractor_version, "first_day": first_day, "last_day": last_day}
    if limit:
        query, params["limit"] = query + " limit $limit", limit
    rows = con.execute(query, params).fetchall()
    return [ArticleText(article_id, text) for article_id, text in rows]


def count_articles_to_extract(
    con: duckdb.DuckDBPyConnection,
    extractor_version: str,
    first_day: date | None = None,
    last_day: date | None = None,
) -> int:
    """How many articles ``articles_to_extract`` would return without a limit."""
    ensure_schema(con)
    params = {"version": extractor_version, "first_day": first_day, "last_day": last_day}
    return con.execute(f"select count(*) {_NOT_EXTRACTED_SQL}", params).fetchone()[0]


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


def attribution_id(article_id: str, extractor_version: str, index: int) -> str:
    digest = hashlib.sha256(f"{article_id}|{extractor_version}|{index}".encode()).hexdigest()
    return "t_" + digest[:16]


def write_extractions(
    con: duckdb.DuckDBPyConnection,
    articles: list[ArticleText],
    result: ExtractionResult,
    extractor_version: str,
) -> ExtractionSummary:
    """Replace this version's rows for these articles, all in one transaction."""
    ensure_schema(con)
    frames = _frames(result, extractor_version)
    done = pl.DataFrame(
        {
            "article_id": [a.article_id for a in articles],
            "extractor_version": extractor_version,
            "extracted_at": datetime.now(UTC).replace(tzinfo=None),
        }
    )
    counts = {
        name: frame.group_by("article_id").len(name=f"n_{name}") for name, frame in frames.items() if len(frame)
    }
    for name in _TABLE_KEYS:
        column = f"n_{name}"
        if name in counts:
            done = done.join(counts[name], on="article_id", how="left")
        else:
            done = done.with_columns(pl.lit(0).alias(column))
        done = done.with_columns(pl.col(column).fill_null(0).cast(pl.Int32))
    con.execute("begin transaction")
    try:
        con.register("batch_done", done)
        for table in ("extracted_articles", *_TABLE_KEYS):
            con.execute(
                f"delete from raw.{table} where extractor_version = $version "  # table names are constants
                "and article_id in (select article_id from batch_done)",
                {"version": extractor_version},
            )
        for name, frame in frames.items():
            if len(frame):
                con.register("batch_rows", frame)
                con.execute(f"insert into raw.{name} by name select * from batch_rows")
                con.unregister("batch_rows")
        con.execute(
            "insert into raw.extracted_articles by name select article_id, extractor_version, extracted_at, "
            "n_sentences, n_mentions, n_attributions from batch_done"
        )
        con.unregister("batch_done")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return ExtractionSummary(
        n_articles=len(articles),
        n_sentences=len(result.sentences),
        n_mentions=len(result.mentions),
        n_attributions=len(result.attributions),
    )


def _frames(result: ExtractionResult, extractor_version: str) -> dict[str, pl.DataFrame]:
    sentences = pl.DataFrame(
        [
            {
                "article_id": s.article_id,
                "sentence_index": s.sentence_index,
                "start_char": s.start,
                "end_char": s.end,
                "sentence_text": s.text,
                "is_candidate": s.is_candidate,
            }
            for s in result.sentences
        ],
        schema={"article_id": pl.String, "sentence_index": pl.Int32, "start_char": pl.Int32,
                "end_char": pl.Int32, "sentence_text": pl.String, "is_candidate": pl.Boolean},
    )
    mentions = pl.DataFrame(
        [
            {
                "article_id": m.article_id,
                "mention_index": m.mention_index,
                "sentence_index": m.sentence_index,
                "start_char": m.start,
                "end_char": m.end,
                "mention_text": m.text,
                "entity_label": m.label,
            }
            for m in result.mentions
        ],
        schema={"article_id": pl.String, "mention_index": pl.Int32, "sentence_index": pl.Int32,
                "start_char": pl.Int32, "end_char": pl.Int32, "mention_text": pl.String,
                "entity_label": pl.String},
    )
    attribution_rows = [
        {"attribution_id": attribution_id(a.article_id, extractor_version, a.attribution_index), **asdict(a)}
        for a in result.attributions
    ]
    attributions = pl.DataFrame(attribution_rows, schema=_ATTRIBUTION_SCHEMA)
    return {
        name: frame.with_columns(pl.lit(extractor_version).alias("extractor_version"))
        for name, frame in {"sentences": sentences, "mentions": mentions, "attributions": attributions}.items()
    }


_ATTRIBUTION_SCHEMA = {
    "attribution_id": pl.String,
    "article_id": pl.String,
    "attribution_index": pl.Int32,
    "sentence_index": pl.Int32,
    "speaker_start": pl.Int32,
    "speaker_end": pl.Int32,
    "speaker_text": pl.String,
    "speaker_resolved_start": pl.Int32,
    "speaker_resolved_end": pl.Int32,
    "speaker_resolved_text": pl.String,
    "speaker_kind": pl.String,
    "cue_start": pl.Int32,
    "cue_end": pl.Int32,
    "cue_text": pl.String,
    "cue_lemma": pl.String,
    "content_start": pl.Int32,
    "content_end": pl.Int32,
    "content_text": pl.String,
    "is_direct": pl.Boolean,
    "is_multi_sentence": pl.Boolean,
    "is_negated": pl.Boolean,
    "predicate_family_id": pl.String,
    "predicate_term": pl.String,
    "predicate_polarity": pl.Int32,
    "subject_start": pl.Int32,
    "subject_end": pl.Int32,
    "subject_text": pl.String,
    "subject_kind": pl.String,
    "rule": pl.String,
    "confidence": pl.Float64,
}
