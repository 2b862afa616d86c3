"""Each input format and each quarantine reason, on real files in tmp_path."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.ingestion import ArticleRecord, QuarantineRecord, read_articles

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
BODY = (
    "The harbour authority said on Monday that the northern pier would reopen next week. "
    "Local fishermen disputed the timeline, saying repairs had barely started."
)


def read(*paths: Path, **kwargs: object) -> list[ArticleRecord | QuarantineRecord]:
    return list(read_articles(list(paths), now=NOW, **kwargs))  # type: ignore[arg-type]


def only_article(records: list[ArticleRecord | QuarantineRecord]) -> ArticleRecord:
    assert len(records) == 1, records
    assert isinstance(records[0], ArticleRecord), records[0]
    return records[0]


def only_quarantine(records: list[ArticleRecord | QuarantineRecord], code: str) -> QuarantineRecord:
    assert len(records) == 1, records
    rec = records[0]
    assert isinstance(rec, QuarantineRecord), rec
    assert rec.reason_code == code, rec
    assert rec.reason.endswith(".") and len(rec.reason) > 20
    return rec


# ----------------------------------------------------------------------------- text formats


def test_txt_with_headers(tmp_path: Path) -> None:
    path = tmp_path / "pier.txt"
    path.write_text(
        "Harbour pier to reopen, authority says\n"
        "Source: Coastal Courier\n"
        "URL: https://Courier.example/pier/?utm_source=rss\n"
        "Published: 4 March 2026\n"
        "author: Ana Lima\n"
        "\n"
        f"{BODY}\n\nSecond paragraph.\n",
        encoding="utf-8",
    )
    rec = only_article(read(path))
    assert rec.title == "Harbour pier to reopen, authority says"
    assert rec.source == "Coastal Courier"
    assert rec.url == "https://courier.example/pier"
    assert rec.author == "Ana Lima"
    assert rec.published_at == datetime(2026, 3, 4, tzinfo=timezone.utc)
    assert rec.text == f"{BODY}\n\nSecond paragraph."
    assert rec.origin_format == "txt" and rec.origin_locator == "file"
    assert rec.origin_path == str(path.absolute())
    assert rec.article_id.startswith("a_") and len(rec.content_hash) == 64


def test_txt_without_headers_body_starts_on_line_two(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(f"A plain title\n\n\n{BODY}\n", encoding="utf-8")
    rec = only_article(read(path))
    assert rec.title == "A plain title"
    assert rec.text == BODY
    assert rec.url is None and rec.published_at is None and rec.source is None


def test_txt_unknown_key_is_body_not_header(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Title here\nNote: this line is prose.\nMore prose.\n", encoding="utf-8")
    rec = only_article(read(path))
    assert rec.text == "Note: this line is prose.\nMore prose."


def test_md_heading_and_bold_headers(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "# Ministry announces grain deal\n**Source:** Wire Daily\nDate: 2026-03-04T09:00:00+02:00\n\n" + BODY,
        encoding="utf-8",
    )
    rec = only_article(read(path))
    assert rec.title == "Ministry announces grain deal"
    assert rec.source == "Wire Daily"
    assert rec.published_at == datetime(2026, 3, 4, 7, 0, tzinfo=timezone.utc)
    assert rec.origin_format == "md"


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Señor Muñoz en Málaga\n\nEl alcalde declaró que la situación es crítica.\n".encode("latin-1"))
    rec = only_article(read(path))
    assert rec.title == "Señor Muñoz en Málaga"
    assert rec.text == "El alcalde declaró que la situación es crítica."


def test_utf16_bom_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Élysée statement\n\nLe président a déclaré: « non ».\n".encode("utf-16"))
    rec = only_article(read(path))
    assert rec.title == "Élysée statement"
    assert rec.text == "Le président a déclaré: « non »."


def test_utf8_bom_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle with BOM\n\nBody.\n")
    assert only_article(read(path)).title == "Title with BOM"


def test_missing_title_is_derived(tmp_path: Path) -> None:
    path = tmp_path / "notitle.json"
    path.write_text(json.dumps({"text": BODY}), encoding="utf-8")
    rec = only_article(read(path))
    assert rec.title == "The harbour authority said on Monday that the northern pier would reopen next"
    assert len(rec.title) <= 80


# ----------------------------------------------------------------------------- html


def test_html_extracts_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        """<!doctype html><html><head><title>Pier reopens | Coastal Courier</title>
        <meta property="og:site_name" content="Coastal Courier">
        <meta name="author" content="Ana Lima">
        <link rel="canonical" href="https://courier.example/pier-reopens/">
        <meta property="article:published_time" content="2026-03-04T10:00:00+01:00">
        </head><body><nav>Home | World | Sport</nav><article><h1>Pier reopens</h1>
        <p>The harbour authority said on Monday that the northern pier would reopen next week after repairs.</p>
        <p>Local fishermen disputed the timeline, saying the repairs had barely started and would take months.</p>
        </article><footer>Copyright</footer></body></html>""",
        encoding="utf-8",
    )
    rec = only_article(read(path))
    assert rec.title == "Pier reopens"
    assert rec.source == "Coastal Courier"
    assert rec.author == "Ana Lima"
    assert rec.url == "https://courier.example/pier-reopens"
    assert rec.published_at is not None and rec.published_at.date().isoformat() == "2026-03-04"
    assert "northern pier" in rec.text and "fishermen disputed" in rec.text
    assert "Home | World" not in rec.text and not rec.text.startswith("Pier reopens")
    assert rec.origin_format == "html"


def test_html_without_text_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text("<html><head><title>x</title></head><body><div></div></body></html>", encoding="utf-8")
    only_quarantine(read(path), "no_text")


# ----------------------------------------------------------------------------- structured


def test_json_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps(
            {
                "headline": "Pier reopens",
                "body": BODY,
                "link": "https://courier.example/p",
                "publisher": {"name": "Coastal Courier"},
                "pubDate": "Wed, 04 Mar 2026 14:05:00 +0100",
                "byline": ["Ana Lima", "Rui Costa"],
            }
        ),
        encoding="utf-8",
    )
    rec = only_article(read(path))
    assert (rec.title, rec.url, rec.source, rec.author) == (
        "Pier reopens",
        "https://courier.example/p",
        "Coastal Courier",
        "Ana Lima, Rui Costa",
    )
    assert rec.published_at == datetime(2026, 3, 4, 13, 5, tzinfo=timezone.utc)
    assert rec.origin_locator == "file" and rec.origin_format == "json"


def test_json_array_and_articles_wrapper(tmp_path: Path) -> None:
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([{"title": "A", "text": "Alpha body."}, {"title": "B", "text": "Beta body."}, 5]))
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"articles": [{"title": "C", "content": "Gamma body."}]}))
    records = read(arr, wrapped)
    assert [r.origin_locator for r in records] == ["record 1", "record 2", "record 3", "record 1"]
    assert [type(r).__name__ for r in records] == ["ArticleRecord", "ArticleRecord", "QuarantineRecord", "ArticleRecord"]
    assert isinstance(records[2], QuarantineRecord) and records[2].reason_code == "not_an_object"


def test_jsonl_bad_line_quarantines_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"title": "One", "text": "First body."})
        + "\n\n"
        + '{"title": "Broken", "text": \n'
        + '["not", "an", "object"]\n'
        + json.dumps({"title": "Four", "text": "Fourth body."})
        + "\n",
        encoding="utf-8",
    )
    records = read(path)
    assert [(type(r).__name__, r.origin_locator) for r in records] == [
        ("ArticleRecord", "line 1"),
        ("QuarantineRecord", "line 3"),
        ("QuarantineRecord", "line 4"),
        ("ArticleRecord", "line 5"),
    ]
    bad, not_obj = records[1], records[2]
    assert isinstance(bad, QuarantineRecord) and bad.reason_code == "invalid_json"
    assert "Line 3" in bad.reason and bad.payload == '{"title": "Broken", "text": '
    assert isinstance(not_obj, QuarantineRecord) and not_obj.reason_code == "not_an_object"


def test_jsonl_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.ndjson"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps({"title": "ok", "text": "fine"}) + "\n")
    records = read(path)
    assert isinstance(records[0], QuarantineRecord) and records[0].reason_code in {"invalid_json", "not_an_object"}
    assert isinstance(records[1], ArticleRecord)


def test_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    big = "x" * 200_000  # beyond csv's default field size limit
    path.write_text(
        "Title,Text,URL,Source,Published_At,Author\n"
        f'"Pier, reopened","{BODY}",https://courier.example/p,Courier,2026-03-04,Ana\n'
        f"Big one,{big},,,,\n"
        "No text,,,,,\n",
        encoding="utf-8-sig",
    )
    records = read(path)
    first, second, third = records
    assert isinstance(first, ArticleRecord) and first.title == "Pier, reopened" and first.origin_locator == "row 1"
    assert first.source == "Courier" and first.published_at == datetime(2026, 3, 4, tzinfo=timezone.utc)
    assert isinstance(second, ArticleRecord) and len(second.text) == 200_000 and second.url is None
    assert isinstance(third, QuarantineRecord) and third.reason_code == "missing_text" and third.origin_locator == "row 3"


def test_parquet_rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.parquet"
    table = pa.table(
        {
            "title": ["Pier reopens", "Second"],
            "text": [BODY, "Second body."],
            "url": ["https://courier.example/p", None],
            "published_at": pa.array(
                [datetime(2026, 3, 4, 14, 5, tzinfo=timezone.utc), None], type=pa.timestamp("us", tz="UTC")
            ),
            "source": ["Courier", None],
        }
    )
    pq.write_table(table, path)
    records = read(path)
    assert all(isinstance(r, ArticleRecord) for r in records)
    first, second = records
    assert isinstance(first, ArticleRecord) and isinstance(second, ArticleRecord)
    assert first.published_at == datetime(2026, 3, 4, 14, 5, tzinfo=timezone.utc)
    assert (first.origin_locator, second.origin_locator) == ("row 1", "row 2")
    assert first.origin_format == "parquet" and second.published_at is None


# ----------------------------------------------------------------------------- quarantine reasons


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n\t\n")
    only_quarantine(read(tmp_path / "empty.txt"), "empty_file")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 8)
    rec = only_quarantine(read(path), "binary_file")
    assert "\x00" not in rec.payload and len(rec.payload) <= 2000


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.md"
    path.write_bytes(bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 50 + b"abc")
    only_quarantine(read(path), "binary_file")


def test_invalid_json_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"title": "x", ')
    rec = only_quarantine(read(path), "invalid_json")
    assert rec.origin_locator == "file"


def test_json_deeply_nested_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    assert isinstance(read(path)[0], QuarantineRecord)


def test_missing_text(tmp_path: Path) -> None:
    path = tmp_path / "notext.json"
    path.write_text(json.dumps({"title": "Only a title", "text": "   "}))
    only_quarantine(read(path), "missing_text")


def test_invalid_date(tmp_path: Path) -> None:
    path = tmp_path / "baddate.json"
    path.write_text(json.dumps({"title": "T", "text": "Body.", "date": "sometime last week"}))
    rec = only_quarantine(read(path), "invalid_date")
    assert "sometime last week" in rec.reason


def test_implausible_date(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_text("Old news\nPublished: 1970-01-01\n\nBody text.\n")
    rec = only_quarantine(read(path), "implausible_date")
    assert "1970-01-01" in rec.reason and "1990-01-01" in rec.reason


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "slides.pdf"
    path.write_bytes(b"%PDF-1.4")
    rec = only_quarantine(read(path), "unsupported_format")
    assert ".jsonl" in rec.reason and ".parquet" in rec.reason


def test_not_an_object_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "scalars.jsonl"
    path.write_text('"just a string"\n')
    rec = only_quarantine(read(path), "not_an_object")
    assert rec.origin_locator == "line 1"


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Big\n\n" + "word " * 1000)
    rec = only_quarantine(read(path, max_file_bytes=1000), "file_too_large")
    assert "1,000" in rec.reason


def test_article_too_large(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Long\n\n" + "word " * 100)
    only_quarantine(read(path, max_article_chars=50), "article_too_large")


def test_invalid_parquet(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"PAR1 not really parquet")
    only_quarantine(read(path), "invalid_parquet")


def test_quarantine_ids_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{nope")
    first = read(path)
    assert first == read(path)


# ----------------------------------------------------------------------------- discovery


def test_discovery_order_and_skips(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "_parquet_source").mkdir()
    (tmp_path / ".hidden").mkdir()
    for rel in ["b/2.txt", "a/1.txt", "a/README.md", "z.txt", "_parquet_source/x.txt", ".hidden/y.txt", ".dot.txt", "_private.txt"]:
        (tmp_path / rel).write_text(f"Title {rel}\n\nBody of {rel}.\n")
    records = read(tmp_path)
    assert [Path(r.origin_path).relative_to(tmp_path).as_posix() for r in records] == ["z.txt", "a/1.txt", "b/2.txt"]
    # The same file named twice is read once.
    assert len(read(tmp_path / "z.txt", tmp_path)) == 3


def test_missing_path_raises(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("T\n\nB\n")
    with pytest.raises(FileNotFoundError, match="does-not-exist"):
        read_articles([tmp_path / "ok.txt", tmp_path / "does-not-exist"])


def test_single_string_path(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("T\n\nB\n")
    assert len(list(read_articles(str(tmp_path)))) == 1  # type: ignore[arg-type]
