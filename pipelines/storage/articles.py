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

A load commits a chunk of records at a time: a failure rolls back the chunk
it happens in, so a crash leaves every record stored whole or not at all,
and loading the same input again completes the load.  Rows are inserted in
bulk from Arrow tables (never SQL built from data), so 100k articles load
in seconds and in the memory of one chunk.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
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


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, data: pa.Table, registered: list[str], skip_conflicts: bool = True
) -> int:
    """Bulk insert an Arrow table, skipping rows that hit a key (or, without ``skip_conflicts``, failing on
    one); returns rows inserted."""
    if data.num_rows == 0:
        return 0
    view = _register(con, data, registered)
    columns = ", ".join(data.column_names)
    on_conflict = "ON CONFLICT DO NOTHING" if skip_conflicts else ""
    row = con.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view} {on_conflict}"
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


# Records per transaction.  DuckDB keeps a transaction's new rows in memory until it commits,
# whatever its memory limit: loading 100,000 articles in one transaction held all their texts at
# once (and Python's records and Arrow's copies besides) and made ingestion the peak of the whole
# run.  A chunk of a few thousand holds tens of MB.
LOAD_CHUNK_RECORDS = 5_000


def load_records(
    con: duckdb.DuckDBPyConnection,
    records: Iterable[ArticleRecord | QuarantineRecord],
    run_id: str,
    chunk_records: int = LOAD_CHUNK_RECORDS,
) -> LoadSummary:
    """Load records into ``raw.*``; loading the same records again changes nothing.

    Within the load the first record (in read order) with a given article_id
    or content_hash becomes the article; later ones, and ones matching a stored
    article, become ``raw.article_sources`` sightings of it. Every article
    record adds its own sighting (unless that exact one is already stored).
    ``records`` is consumed as a stream, ``chunk_records`` at a time, each
    chunk in one transaction: a failure rolls back the chunk it happens in,
    so every record is stored whole or not at all, and loading the same
    records again completes the load.  Raises on database errors after
    rolling back; ``con`` must not be inside an open transaction.
    """
    load = _Load(run_id=run_id, now=datetime.now(timezone.utc).replace(tzinfo=None))
    ensure_schema(con)
    for chunk in _chunks(records, chunk_records):
        registered: list[str] = []
        con.execute("BEGIN TRANSACTION")
        try:
            load.add(con, chunk, registered)
            con.execute("COMMIT")
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the original error matters more; DuckDB discards the transaction anyway
            raise
        finally:
            _unregister(con, registered)  # after COMMIT/ROLLBACK: an aborted transaction refuses it
    return load.summary()


def _chunks(records: Iterable[object], size: int) -> Iterator[list[object]]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _unregister(con: duckdb.DuckDBPyConnection, registered: list[str]) -> None:
    for view in registered:
        try:
            con.unregister(view)
        except duckdb.Error:
            pass  # a view left behind only holds memory; it never changes stored data


@dataclass
class _Load:
    """One load's state across its chunks: which article won each id and content hash, what is stored."""

    run_id: str
    now: datetime
    canonical_of: dict[str, str] = field(default_factory=dict)  # article_id -> article_id of the load's winner
    by_hash: dict[str, str] = field(default_factory=dict)  # content_hash -> article_id of the load's winner
    stored: dict[str, str] = field(default_factory=dict)  # winner -> the article already in the warehouse
    seen_quarantine: set[str] = field(default_factory=set)
    seen_sources: set[tuple[str, str, str]] = field(default_factory=set)
    reasons: Counter = field(default_factory=Counter)
    n_read: int = 0
    n_articles: int = 0
    n_new_articles: int = 0
    n_new_sources: int = 0
    n_quarantined_new: int = 0

    def add(self, con: duckdb.DuckDBPyConnection, chunk: Sequence[object], registered: list[str]) -> None:
        articles: list[ArticleRecord] = []
        quarantined: list[QuarantineRecord] = []
        for record in chunk:
            if isinstance(record, ArticleRecord):
                articles.append(record)
            elif isinstance(record, QuarantineRecord):
                quarantined.append(record)
            else:
                raise TypeError(
                    f"load_records expects ArticleRecord or QuarantineRecord, got {type(record).__name__}"
                )
        self.n_read += len(chunk)
        self.n_articles += len(articles)
        self.reasons.update(q.reason_code for q in quarantined)

        # Deduplicate within the load: first in read order wins, across chunks too.
        candidates: list[ArticleRecord] = []
        for rec in articles:
            winner = self.canonical_of.get(rec.article_id) or self.by_hash.get(rec.content_hash)
            if winner is None:
                candidates.append(rec)
                winner = rec.article_id
            self.canonical_of.setdefault(rec.article_id, winner)
            self.by_hash.setdefault(rec.content_hash, winner)
        self.stored.update(_existing_ids(con, candidates, registered))
        new_articles = [r for r in candidates if r.article_id not in self.stored]

        q_rows: dict[str, list[Any]] = {name: [] for name in _QUARANTINE_SCHEMA.names}
        for q in quarantined:
            if q.quarantine_id in self.seen_quarantine:
                continue
            self.seen_quarantine.add(q.quarantine_id)
            for name, value in (
                ("quarantine_id", q.quarantine_id),
                ("origin_path", q.origin_path),
                ("origin_locator", q.origin_locator),
                ("reason_code", q.reason_code),
                ("reason", q.reason),
                ("payload", q.payload),
                ("first_seen_at", self.now),
                ("run_id", self.run_id),
            ):
                q_rows[name].append(value)
        self.n_quarantined_new += _insert(
            con, "raw.quarantine", pa.table(q_rows, schema=_QUARANTINE_SCHEMA), registered)

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
                ("first_loaded_at", self.now),
                ("run_id", self.run_id),
            ):
                a_rows[name].append(value)
        # No conflict to skip: the probe above and the load's own dedup keep known ids and hashes out, and
        # DuckDB's ON CONFLICT over two unique keys, repeated in one transaction, costs 20x the insert.
        self.n_new_articles += _insert(
            con, "raw.articles", pa.table(a_rows, schema=_ARTICLE_SCHEMA), registered, skip_conflicts=False)

        s_rows: dict[str, list[Any]] = {name: [] for name in _SOURCE_SCHEMA.names}
        for r in articles:
            winner = self.canonical_of[r.article_id]
            key = (self.stored.get(winner, winner), r.source or "", r.url or "")
            if key in self.seen_sources:
                continue
            self.seen_sources.add(key)
            for name, value in (
                ("article_id", key[0]),
                ("source", key[1]),
                ("url", key[2]),
                ("published_at", _naive_utc(r.published_at)),
                ("origin_path", r.origin_path),
                ("origin_locator", r.origin_locator),
                ("first_seen_at", self.now),
                ("run_id", self.run_id),
            ):
                s_rows[name].append(value)
        self.n_new_sources += _insert(con, "raw.article_sources", pa.table(s_rows, schema=_SOURCE_SCHEMA), registered)

    def summary(self) -> LoadSummary:
        return LoadSummary(
            n_read=self.n_read,
            n_new_articles=self.n_new_articles,
            n_duplicate_articles=self.n_articles - self.n_new_articles,
            n_new_sources=self.n_new_sources,
            n_quarantined_new=self.n_quarantined_new,
            quarantine_reasons=dict(self.reasons),
        )
