"""Identity (URL canonicalization, hashes, ids) and date parsing."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pipelines.ingestion.dates import DateError, parse_date, parse_published_at
from pipelines.ingestion.identity import article_id, canonical_url, content_hash, quarantine_id

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://News.Example.COM/world/story-1/", "https://news.example.com/world/story-1"),
        ("https://example.com/a?utm_source=x&utm_medium=y&id=7#comments", "https://example.com/a?id=7"),
        ("http://example.com:80/a/?fbclid=abc", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/", "https://example.com"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("", None),
        (None, None),
        ("not a url", "not a url"),
    ],
)
def test_canonical_url(raw: str | None, expected: str | None) -> None:
    assert canonical_url(raw) == expected


def test_content_hash_ignores_case_quotes_and_whitespace() -> None:
    a = content_hash("Minister \u201cdenies\u201d plan", "He said  it\u2019s\nfalse.")
    b = content_hash('minister "DENIES" plan', "He said it's false.")
    assert a == b
    assert a != content_hash('minister "DENIES" plan', "He said it is false.")
    assert len(a) == 64


def test_content_hashes_stay_those_of_earlier_loads() -> None:
    # Idempotent loading needs the hash of the same input never to change. This value was computed
    # when whitespace was collapsed with re.sub(r"\s+", " ", ...); no-break, ideographic, em and
    # line-separator spaces, NEL and the information separators all count as whitespace.
    title = "\u00a0Minister\u2003\u201cdenies\u201d\x1cplan "
    text = "He said\u3000it\u2019s\x85false.\u2028\u2029 Then\t\x0b\x0cleft.\n"
    assert content_hash(title, text) == "5fb7fd3e9c62ed6c150dfe86f36fcf2fdac982e8cd5fd4d717d82c0965012e1c"
    # str.split() and regex \s agree on every code point, so no other text hashes differently either.
    import re

    whitespace = re.compile(r"\s")
    assert all(bool(whitespace.fullmatch(chr(code))) == chr(code).isspace() for code in range(0x110000))


def test_article_id_prefers_url_and_is_stable() -> None:
    h = content_hash("t", "x")
    with_url = article_id("https://example.com/a", h)
    assert with_url.startswith("a_") and len(with_url) == 18
    assert with_url == article_id("https://example.com/a", content_hash("other", "y"))
    assert article_id(None, h) != with_url
    assert article_id(None, h) == article_id(None, h)


def test_quarantine_id_stable_and_distinct() -> None:
    q1 = quarantine_id("/p", "line 3", "invalid_json", "{")
    assert q1 == quarantine_id("/p", "line 3", "invalid_json", "{")
    assert q1 != quarantine_id("/p", "line 4", "invalid_json", "{")
    assert q1.startswith("q_") and len(q1) == 18


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-04T14:05:00+01:00", datetime(2026, 3, 4, 13, 5, tzinfo=timezone.utc)),
        ("2026-03-04T14:05:00Z", datetime(2026, 3, 4, 14, 5, tzinfo=timezone.utc)),
        ("2026-03-04", datetime(2026, 3, 4, tzinfo=timezone.utc)),
        ("2026-03-04T14:05:00", datetime(2026, 3, 4, 14, 5, tzinfo=timezone.utc)),  # naive = UTC
        ("Wed, 04 Mar 2026 14:05:00 +0100", datetime(2026, 3, 4, 13, 5, tzinfo=timezone.utc)),
        ("Wed, 04 Mar 2026 14:05:00 GMT", datetime(2026, 3, 4, 14, 5, tzinfo=timezone.utc)),
        ("4 March 2026", datetime(2026, 3, 4, tzinfo=timezone.utc)),
        ("March 4, 2026", datetime(2026, 3, 4, tzinfo=timezone.utc)),
        ("2026-03-04 14:05 +0100", datetime(2026, 3, 4, 13, 5, tzinfo=timezone.utc)),
        ("Mar 4 2026 2:05 PM EST", datetime(2026, 3, 4, 19, 5, tzinfo=timezone.utc)),
        ("1772633100", datetime(2026, 3, 4, 14, 5, tzinfo=timezone.utc)),
        (1772633100, datetime(2026, 3, 4, 14, 5, tzinfo=timezone.utc)),
        (datetime(2026, 3, 4, 14, 5), datetime(2026, 3, 4, 14, 5, tzinfo=timezone.utc)),
    ],
)
def test_date_forms_to_utc(raw: object, expected: datetime) -> None:
    parsed = parse_published_at(raw, now=NOW)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("raw", ["yesterday", "May", "2026-13-45", "March 2026", "soon-ish 12"])
def test_invalid_dates(raw: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(raw)
    assert info.value.code == "invalid_date"


@pytest.mark.parametrize("raw", ["1989-12-31", "0", "2026-03-13T00:00:00Z", "2126-01-01"])
def test_implausible_dates(raw: str) -> None:
    with pytest.raises(DateError) as info:
        parse_published_at(raw, now=NOW)
    assert info.value.code == "implausible_date"
    assert "1990-01-01" in info.value.message and raw in info.value.message


def test_missing_date_is_allowed() -> None:
    assert parse_published_at(None, now=NOW) is None
    assert parse_published_at("  ", now=NOW) is None
    # Just inside the two-day future window.
    assert parse_published_at("2026-03-12T11:00:00Z", now=NOW) is not None
