"""Idempotent, transactional loading of ingestion records into DuckDB ``raw.*`` tables.

Tables:

* ``raw.articles`` - one row per distinct article (distinct ``article_id`` and
  distinct ``content_hash``).
* ``raw.article_sources`` - one row per (article, publisher, URL) sighting, so a
  syndicated copy of a stored article is recorded without duplicating it.
* ``raw.quarantine`` - every record that could not be loaded, with its reason.

Timestamps are stored as ``TIMESTAMP`` holding UTC wall-clock time (naive UTC),
not ``TIMESTAMPTZ``: that type behaves the same in DuckDB, Spark and dbt's
portable macros, while TIMESTAMPTZ renders in the session time zone.

A load is one transaction: a failure rolls everything back, so a crash leaves
the tables exactly as before. Rows are inserted in bulk from Arrow tables
(never SQL built from data), so 100k articles load in seconds.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.ingestion.records import ArticleRecord, QuarantineRecord

__all__ = ["LoadSummary", "ensure_schema", "load_records", "SCHEMA_SQL"]

_counter = itertools.count()

SCHEMA_SQL: tuple[str, ...] = (
    "CREATE SCHEMA IF NOT EXISTS raw",
    """
    CREATE TABLE IF NOT EXISTS raw.articles (
        article_id      VARCHAR PRIMARY KEY,
        content_hash    VARCHAR NOT NULL UNIQUE,
        title           VARCHAR NOT NULL,
        text            VARCHAR NOT NULL,
        url             VARCHAR,
        source          VARCHAR,
        author          VARCHAR,
        published_at    TIMESTAMP,          -- UTC, naive
        origin_path     VARCHAR NOT NULL,
        origin_locator  VARCHAR NOT NULL,
        origin_format   VARCHAR NOT NULL,
        n_chars         INTEGER NOT NULL,
        first_loaded_at TIMESTAMP NOT NULL, -- UTC, naive
        run_id          VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS raw.article_sources (
        article_id      VARCHAR NOT NULL,
        source          VARCHAR NOT NULL DEFAULT '',  -- '' when unknown: keys cannot hold NULL
        url             VARCHAR NOT NULL DEFAULT '',  -- '' when unknown
        published_at    TIMESTAMP,                    -- UTC, naive
        origin_path     VARCHAR NOT NULL,
        origin_locator  VARCHAR NOT NULL,
        first_seen_at   TIMESTAMP NOT NULL,           -- UTC, naive
        run_id          VARCHAR NOT NULL,
        PRIMARY KEY (article_id, source, url)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS raw.quarantine (
        quarantine_id   VARCHAR PRIMARY KEY,
        origin_path     VARCHAR NOT NULL,
        origin_locator  VARCHAR NOT NULL,
        reason_code     VARCHAR NOT NULL,
        reason          VARCHAR NOT NULL,
        payload         VARCHAR NOT NULL,
        first_seen_at   TIMESTAMP NOT NULL,           -- UTC, naive
        run_id          VARCHAR NOT NULL
    )
    """,
)

_ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("content_hash", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("url", pa.string()),
        ("source", pa.string()),
        ("author", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("origin_path", pa.string()),
        ("origin_locator", pa.string()),
        ("origin_format", pa.string()),
        ("n_chars", pa.int32()),
        ("first_loaded_at", pa.timestamp("us")),
        ("run_id", pa.string()),
    ]
)
_SOURCE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("origin_path", pa.string()),
        ("origin_locator", pa.string()),
        ("first_seen_at", pa.timestamp("us")),
        ("run_id", pa.string()),
    ]
)
_QUARANTINE_SCHEMA = pa.schema(
    [
        ("quarantine_id", pa.string()),
        ("origin_path", pa.string()),
        ("origin_locator", pa.string()),
        ("reason_code", pa.string()),
        ("reason", pa.string()),
        ("payload", pa.string()),
        ("first_seen_at", pa.timestamp("us")),
        ("run_id", pa.string()),
    ]
)


@dataclass(frozen=True)
class LoadSummary:
    """What one ``load_records`` call did."""

    n_read: int
    """Records received (articles + quarantined)."""
    n_new_articles: int
    """Articles inserted into ``raw.articles``."""
    n_duplicate_articles: int
    """Article records not inserted: already stored, or a copy (same id or content) of one."""
    n_new_sources: int
    """Rows inserted into ``raw.article_sources``."""
    n_quarantined_new: int
    """Rows inserted into ``raw.quarantine`` (already quarantined records are not counted)."""
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    """Quarantined records in this batch by reason code (new or not)."""


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``raw`` schema and its three tables if missing (safe to call repeatedly)."""
    for statement in SCHEMA_SQL:
        con.execute(statement)


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _register(con: duckdb.DuckDBPyConnection, data: pa.Table, registered: list[str]) -> str:
    # Unregistering fails while a transaction is aborted, so the caller drops
    # the views only after COMMIT/ROLLBACK.
    view = f"_claimhouse_load_{next(_counter)}"  # name is ours, never derived from data
    con.register(view, data)
    registered.append(view)
    return view


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table, registered: list[str]) -> int:
    """Bulk insert an Arrow table, skipping rows that hit a key; returns rows inserted."""
    if data.num_rows == 0:
        return 0
    view = _register(con, data, registered)
    columns = ", ".join(data.column_names)
    row = con.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view} ON CONFLICT DO NOTHING"
    ).fetchone()
    return int(row[0]) if row else 0


def _existing_ids(
    con: duckdb.DuckDBPyConnection, candidates: Sequence[ArticleRecord], registered: list[str]
) -> dict[str, str]:
    """Map candidate article_id -> stored article_id, for candidates already in the warehouse.

    A match on article_id wins over a match on content_hash (same URL, same article).
    """
    if not candidates:
        return {}
    probe = pa.table(
        {
            "article_id": [r.article_id for r in candidates],
            "content_hash": [r.content_hash for r in candidates],
        },
        schema=pa.schema([("article_id", pa.string()), ("content_hash", pa.string())]),
    )
    view = _register(con, probe, registered)
    rows = con.execute(
        f"""
        SELECT p.article_id, a.article_id, 0 AS prio
        FROM {view} p JOIN raw.articles a ON a.article_id = p.article_id
        UNION ALL
        SELECT p.article_id, a.article_id, 1 AS prio
        FROM {view} p JOIN raw.articles a ON a.content_hash = p.content_hash
        ORDER BY 3 DESC
        """
    ).fetchall()
    # Ordered so the article_id match (prio 0) is written last and wins.
    return {cand: stored for cand, stored, _ in rows}


def load_records(
    con: duckdb.DuckDBPyConnection,
    records: Iterable[ArticleRecord | QuarantineRecord],
    run_id: str,
) -> LoadSummary:
    """Load records into ``raw.*`` in one transaction; loading the same records again changes nothing.

    Within the batch the first record (in read order) with a given article_id
    or content_hash becomes the article; later ones, and ones matching a stored
    article, become ``raw.article_sources`` sightings of it. Every article
    record adds its own sighting (unless that exact one is already stored).
    Raises on database errors after rolling back; ``con`` must not be inside
    an open transaction.
    """
    articles: list[ArticleRecord] = []
    quarantined: list[QuarantineRecord] = []
    n_read = 0
    for record in records:
        n_read += 1
        if isinstance(record, ArticleRecord):
            articles.append(record)
        elif isinstance(record, QuarantineRecord):
            quarantined.append(record)
        else:
            raise TypeError(f"load_records expects ArticleRecord or QuarantineRecord, got {type(record).__name__}")

    # Deduplicate within the batch: first in read order wins.
    canonical_of: dict[str, str] = {}  # article_id -> article_id of the batch winner
    by_hash: dict[str, str] = {}
    candidates: list[ArticleRecord] = []
    for rec in articles:
        winner = canonical_of.get(rec.article_id) or by_hash.get(rec.content_hash)
        if winner is None:
            candidates.append(rec)
            winner = rec.article_id
        canonical_of.setdefault(rec.article_id, winner)
        by_hash.setdefault(rec.content_hash, winner)

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    registered: list[str] = []
    con.execute("BEGIN TRANSACTION")
    try:
        ensure_schema(con)
        stored = _existing_ids(con, candidates, registered)
        new_articles = [r for r in candidates if r.article_id not in stored]

        def resolve(rec: ArticleRecord) -> str:
            winner = canonical_of[rec.article_id]
            return stored.get(winner, winner)

        seen_q: set[str] = set()
        q_rows: dict[str, list[Any]] = {name: [] for name in _QUARANTINE_SCHEMA.names}
        for q in quarantined:
            if q.quarantine_id in seen_q:
                continue
            seen_q.add(q.quarantine_id)
            for name, value in (
                ("quarantine_id", q.quarantine_id),
                ("origin_path", q.origin_path),
                ("origin_locator", q.origin_locator),
                ("reason_code", q.reason_code),
                ("reason", q.reason),
                ("payload", q.payload),
                ("first_seen_at", now),
                ("run_id", run_id),
            ):
                q_rows[name].append(value)
        n_quarantined_new = _insert(con, "raw.quarantine", pa.table(q_rows, schema=_QUARANTINE_SCHEMA), registered)

        a_rows: dict[str, list[Any]] = {name: [] for name in _ARTICLE_SCHEMA.names}
        for r in new_articles:
            for name, value in (
                ("article_id", r.article_id),
                ("content_hash", r.content_hash),
                ("title", r.title),
                ("text", r.text),
                ("url", r.url),
                ("source", r.source),
                ("author", r.author),
                ("published_at", _naive_utc(r.published_at)),
                ("origin_path", r.origin_path),
                ("origin_locator", r.origin_locator),
                ("origin_format", r.origin_format),
                ("n_chars", len(r.text) if isinstance(r.text, str) else None),
                ("first_loaded_at", now),
                ("run_id", run_id),
            ):
                a_rows[name].append(value)
        n_new_articles = _insert(con, "raw.articles", pa.table(a_rows, schema=_ARTICLE_SCHEMA), registered)

        s_rows: dict[str, list[Any]] = {name: [] for name in _SOURCE_SCHEMA.names}
        seen_s: set[tuple[str, str, str]] = set()
        for r in articles:
            key = (resolve(r), r.source or "", r.url or "")
            if key in seen_s:
                continue
            seen_s.add(key)
            for name, value in (
                ("article_id", key[0]),
                ("source", key[1]),
                ("url", key[2]),
                ("published_at", _naive_utc(r.published_at)),
                ("origin_path", r.origin_path),
                ("origin_locator", r.origin_locator),
                ("first_seen_at", now),
                ("run_id", run_id),
            ):
                s_rows[name].append(value)
        n_new_sources = _insert(con, "raw.article_sources", pa.table(s_rows, schema=_SOURCE_SCHEMA), registered)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the original error matters more; DuckDB discards the transaction anyway
        raise
    finally:
        for view in registered:
            try:
                con.unregister(view)
            except duckdb.Error:
                pass  # a view left behind only holds memory; it never changes stored data

    return LoadSummary(
        n_read=n_read,
        n_new_articles=n_new_articles,
        n_duplicate_articles=len(articles) - n_new_articles,
        n_new_sources=n_new_sources,
        n_quarantined_new=n_quarantined_new,
        quarantine_reasons=dict(Counter(q.reason_code for q in quarantined)),
    )
