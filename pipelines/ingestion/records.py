"""Record types produced by ingestion.

Every input record ends as exactly one of these two: an ``ArticleRecord`` that
goes to ``raw.articles`` or a ``QuarantineRecord`` that goes to
``raw.quarantine`` ("nothing is lost"). Both are plain frozen dataclasses so
they can cross process boundaries and be compared in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

__all__ = [
    "ArticleRecord",
    "QuarantineRecord",
    "ReasonCode",
    "SUPPORTED_SUFFIXES",
    "PAYLOAD_MAX_CHARS",
]

#: Suffixes ``read_articles`` dispatches on (lower-cased); anything else is quarantined.
SUPPORTED_SUFFIXES: Final[tuple[str, ...]] = (
    ".txt",
    ".md",
    ".html",
    ".htm",
    ".json",
    ".jsonl",
    ".ndjson",
    ".csv",
    ".parquet",
)

#: Quarantine payloads are evidence for a human, not a copy of the input.
PAYLOAD_MAX_CHARS: Final[int] = 2000


class ReasonCode:
    """Quarantine reason codes (stable strings; dashboards group by them)."""

    EMPTY_FILE: Final[str] = "empty_file"
    BINARY_FILE: Final[str] = "binary_file"
    FILE_TOO_LARGE: Final[str] = "file_too_large"
    UNREADABLE_FILE: Final[str] = "unreadable_file"
    UNSUPPORTED_FORMAT: Final[str] = "unsupported_format"
    INVALID_ENCODING: Final[str] = "invalid_encoding"
    INVALID_JSON: Final[str] = "invalid_json"
    NOT_AN_OBJECT: Final[str] = "not_an_object"
    INVALID_CSV: Final[str] = "invalid_csv"
    INVALID_PARQUET: Final[str] = "invalid_parquet"
    INVALID_FIELD: Final[str] = "invalid_field"
    NO_TEXT: Final[str] = "no_text"
    MISSING_TEXT: Final[str] = "missing_text"
    ARTICLE_TOO_LARGE: Final[str] = "article_too_large"
    INVALID_DATE: Final[str] = "invalid_date"
    IMPLAUSIBLE_DATE: Final[str] = "implausible_date"
    READ_ERROR: Final[str] = "read_error"
    UNSAFE_PATH: Final[str] = "unsafe_path"
    """A symbolic link inside an ingested folder that leads outside it (or loops); never followed."""


@dataclass(frozen=True)
class ArticleRecord:
    """One article as read from a file, before deduplication against the warehouse."""

    article_id: str
    """``"a_"`` + 16 hex chars of sha256(canonical URL), or of ``content_hash`` without URL."""
    content_hash: str
    """sha256 hex of the normalized title + text; equal for syndicated copies."""
    title: str
    text: str
    """The body exactly as downstream extraction reads it (character offsets index into it)."""
    url: str | None
    """Canonical URL (see ``identity.canonical_url``)."""
    source: str | None
    """Publisher."""
    author: str | None
    published_at: datetime | None
    """Timezone-aware, in UTC."""
    origin_path: str
    """Absolute path of the file the record came from."""
    origin_locator: str
    """Where inside the file: ``"file"``, ``"line 3"``, ``"row 5"``, ``"record 2"``."""
    origin_format: str
    """``txt``, ``md``, ``html``, ``json``, ``jsonl``, ``csv`` or ``parquet``."""


@dataclass(frozen=True)
class QuarantineRecord:
    """An input record that could not become an article, with the reason why."""

    quarantine_id: str
    """``"q_"`` + 16 hex of sha256(origin_path|origin_locator|reason_code|payload): stable across runs."""
    origin_path: str
    origin_locator: str
    reason_code: str
    """Short snake_case code from ``ReasonCode``."""
    reason: str
    """One human sentence: what was wrong and what is supported."""
    payload: str
    """The first ``PAYLOAD_MAX_CHARS`` characters of the offending record, decoded lossily."""
