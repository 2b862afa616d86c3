"""Loading records into a real DuckDB file: idempotency, syndication, rollback, scale."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.ingestion import ArticleRecord, read_articles
from pipelines.ingestion.identity import article_id, content_hash
from pipelines.ingestion.readers import make_quarantine
from pipelines.storage.articles import ensure_schema, load_records

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def article(title: str, text: str, url: str | None = None, source: str | None = None, **kw: object) -> ArticleRecord:
    h = content_hash(title, text)
    fields: dict[str, object] = dict(
        article_id=article_id(url, h),
        content_hash=h,
        title=title,
        text=text,
        url=url,
        source=source,
        author=None,
        published_at=datetime(2026, 3, 4, 13, 5, tzinfo=timezone.utc),
        origin_path="/corpus/x.jsonl",
        origin_locator="line 1",
        origin_format="jsonl",
    )
    fields.update(kw)
    return ArticleRecord(**fields)  # type: ignore[arg-type]


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    return {
        t: con.execute(f"SELECT * FROM raw.{t} ORDER BY ALL").fetchall()
        for t in ("articles", "article_sources", "quarantine")
    }


@pytest.fixture()
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def test_ensure_schema_is_repeatable(con: duckdb.DuckDBPyConnection) -> None:
    ensure_schema(con)
    ensure_schema(con)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='raw'").fetchall()}
    assert tables == {"articles", "article_sources", "quarantine"}


def test_load_is_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    records = [
        article("One", "First body.", url="https://a.example/1", source="A"),
        article("Two", "Second body.", source="B"),
        make_quarantine("/corpus/bad.json", "file", "invalid_json", "Not JSON.", "{"),
    ]
    first = load_records(con, records, run_id="run-1")
    assert (first.n_read, first.n_new_articles, first.n_duplicate_articles) == (3, 2, 0)
    assert (first.n_new_sources, first.n_quarantined_new) == (2, 1)
    assert first.quarantine_reasons == {"invalid_json": 1}
    before = snapshot(con)

    second = load_records(con, records, run_id="run-2")
    assert (second.n_new_articles, second.n_duplicate_articles, second.n_new_sources, second.n_quarantined_new) == (0, 2, 0, 0)
    assert second.quarantine_reasons == {"invalid_json": 1}
    assert snapshot(con) == before  # no row changed, not even run_id or timestamps


def test_stored_values(con: duckdb.DuckDBPyConnection) -> None:
    rec = article("One", "First body.", url="https://a.example/1", source="A")
    load_records(con, [rec], run_id="run-1")
    row = con.execute(
        "SELECT article_id, content_hash, published_at, n_chars, run_id, origin_format FROM raw.articles"
    ).fetchone()
    # Stored as naive UTC.
    assert row == (rec.article_id, rec.content_hash, datetime(2026, 3, 4, 13, 5), len("First body."), "run-1", "jsonl")


def test_syndicated_duplicate_stored_once_with_two_sources(con: duckdb.DuckDBPyConnection) -> None:
    original = article('Pier "reopens"', "Same wire copy.", url="https://wire.example/p", source="Wire")
    syndicated = article("Pier \u201creopens\u201d", "Same  wire copy.", url="https://paper.example/p", source="Paper")
    assert original.content_hash == syndicated.content_hash and original.article_id != syndicated.article_id

    summary = load_records(con, [original, syndicated], run_id="r1")
    assert (summary.n_new_articles, summary.n_duplicate_articles, summary.n_new_sources) == (1, 1, 2)
    assert con.execute("SELECT count(*) FROM raw.articles").fetchone() == (1,)
    sources = con.execute("SELECT article_id, source, url FROM raw.article_sources ORDER BY source").fetchall()
    assert sources == [
        (original.article_id, "Paper", "https://paper.example/p"),
        (original.article_id, "Wire", "https://wire.example/p"),
    ]

    # A third copy arriving in a later run also points at the stored article.
    third = article('PIER "REOPENS"', "Same wire copy.", url=None, source=None)
    later = load_records(con, [third], run_id="r2")
    assert (later.n_new_articles, later.n_duplicate_articles, later.n_new_sources) == (0, 1, 1)
    assert con.execute("SELECT count(*) FROM raw.articles").fetchone() == (1,)
    assert con.execute(
        "SELECT article_id FROM raw.article_sources WHERE source = '' AND url = ''"
    ).fetchone() == (original.article_id,)


def test_same_url_first_record_wins(con: duckdb.DuckDBPyConnection) -> None:
    v1 = article("Story", "Version one.", url="https://a.example/s", source="A")
    v2 = article("Story", "Version two, updated.", url="https://a.example/s", source="A")
    summary = load_records(con, [v1, v2], run_id="r")
    assert (summary.n_new_articles, summary.n_duplicate_articles) == (1, 1)
    assert con.execute("SELECT text FROM raw.articles").fetchall() == [("Version one.",)]


def test_failure_rolls_back_everything(con: duckdb.DuckDBPyConnection) -> None:
    load_records(con, [article("Kept", "Kept body.", source="K")], run_id="r1")
    before = snapshot(con)
    good = article("New", "New body.", source="N")
    quarantined = make_quarantine("/corpus/e.txt", "file", "empty_file", "Empty.", "")
    # A record whose title is NULL violates raw.articles' NOT NULL constraint
    # after the quarantine insert has already run inside the transaction.
    broken = dataclasses.replace(article("Broken", "Broken body."), title=None)  # type: ignore[arg-type]
    with pytest.raises(duckdb.ConstraintException):
        load_records(con, [quarantined, good, broken], run_id="r2")
    assert snapshot(con) == before
    # The connection is usable afterwards and the good records load on retry.
    summary = load_records(con, [quarantined, good], run_id="r3")
    assert (summary.n_new_articles, summary.n_quarantined_new) == (1, 1)


def test_a_failure_keeps_the_chunks_before_it_whole_and_a_retry_completes_the_load(tmp_path: Path) -> None:
    """Loads commit a chunk of records at a time (memory holds one chunk, not the load): a failure rolls back
    its own chunk only, every record is stored whole or not at all, and loading again completes the load."""
    first, second = article("First", "First body.", source="A"), article("Second", "Second body.", source="A")
    syndicated = dataclasses.replace(first, article_id="copy-of-first", url="https://b.example/1", source="B")
    third, fourth = article("Third", "Third body.", source="A"), article("Fourth", "Fourth body.", source="A")
    broken = dataclasses.replace(article("Broken", "Broken body."), title=None)  # type: ignore[arg-type]
    # Chunks of two: [first, second], [syndicated copy of first, third], [fourth, broken].
    con = duckdb.connect(str(tmp_path / "chunked.duckdb"))
    with pytest.raises(duckdb.ConstraintException):
        load_records(con, [first, second, syndicated, third, fourth, broken], run_id="r1", chunk_records=2)
    stored = {row[0] for row in con.execute("SELECT title FROM raw.articles").fetchall()}
    assert stored == {"First", "Second", "Third"}  # the failing chunk's good record went with it
    # The copy in the second chunk is a sighting of the article the first chunk stored.
    assert con.execute("SELECT count(*) FROM raw.article_sources WHERE article_id = ?", [first.article_id]).fetchone() == (2,)

    fixed = [first, second, syndicated, third, fourth, dataclasses.replace(broken, title="Broken")]
    retry = load_records(con, fixed, run_id="r2", chunk_records=2)
    assert (retry.n_new_articles, retry.n_duplicate_articles) == (2, 4)
    in_one_go = duckdb.connect(str(tmp_path / "one-chunk.duckdb"))
    load_records(in_one_go, fixed, run_id="r3")

    def keys(connection: duckdb.DuckDBPyConnection) -> tuple[list[tuple[object, ...]], ...]:
        return (connection.execute("SELECT article_id, content_hash, title FROM raw.articles ORDER BY ALL").fetchall(),
                connection.execute("SELECT article_id, source, url FROM raw.article_sources ORDER BY ALL").fetchall())

    assert keys(con) == keys(in_one_go)


def test_rejects_foreign_objects(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(TypeError):
        load_records(con, [{"title": "dict"}], run_id="r")  # type: ignore[list-item]


def test_hundred_thousand_articles_load_over_many_chunks_and_reload_as_duplicates(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(100_000):
            fh.write(
                json.dumps(
                    {
                        "title": f"Story {i}",
                        "text": f"Body of story {i}. The council said it would vote on item {i}.",
                        "url": f"https://news.example/{i}",
                        "source": "News",
                        "published_at": "2026-03-04T10:00:00Z",
                    }
                )
                + "\n"
            )
    records = list(read_articles([path], now=NOW))
    # How fast is the benchmark's to say (docs/benchmark.md: raw_articles' step), not a unit test's.
    summary = load_records(con, records, run_id="big")
    assert summary.n_new_articles == 100_000 and summary.n_new_sources == 100_000
    again = load_records(con, records, run_id="big2")
    assert again.n_new_articles == 0 and again.n_duplicate_articles == 100_000
    assert con.execute("SELECT count(*) FROM raw.articles").fetchone() == (100_000,)
