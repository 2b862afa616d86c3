"""One reader per input format, each turning a file's bytes into records.

Readers never raise for bad input: every problem becomes a ``QuarantineRecord``
so one bad record (or file) never stops the rest. Each reader takes the
absolute ``origin_path`` (for provenance only), the file's bytes and
``ReadOptions``; ``read_file`` does the file-system part and dispatches.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from .dates import DateError, parse_published_at
from .decoding import DecodeError, decode_bytes, looks_like_text
from .identity import article_id, canonical_url, clean_text, content_hash, quarantine_id
from .records import PAYLOAD_MAX_CHARS, SUPPORTED_SUFFIXES, ArticleRecord, QuarantineRecord, ReasonCode

__all__ = [
    "ReadOptions",
    "Record",
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_MAX_ARTICLE_CHARS",
    "read_file",
    "read_txt",
    "read_md",
    "read_html",
    "read_json",
    "read_jsonl",
    "read_csv",
    "read_parquet",
    "build_article",
    "make_quarantine",
]

Record = ArticleRecord | QuarantineRecord

DEFAULT_MAX_FILE_BYTES: Final[int] = 50 * 1024 * 1024
DEFAULT_MAX_ARTICLE_CHARS: Final[int] = 1_000_000
TITLE_MAX_CHARS: Final[int] = 80

# Field aliases for structured formats, in priority order; keys are matched
# case-insensitively so "pubDate" and "Headline" work.
FIELD_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "id": ("id",),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "source": ("source", "publisher", "site"),
    "published_at": ("published_at", "published", "date", "pubdate"),
    "author": ("author", "byline"),
}
# Header keys for .txt/.md files (after the title line).
HEADER_KEYS: Final[dict[str, str]] = {
    "source": "source",
    "publisher": "source",
    "url": "url",
    "published": "published_at",
    "published_at": "published_at",
    "date": "published_at",
    "author": "author",
    "by": "author",
    "id": "id",
}
_HEADER_RE = re.compile(r"^\s*([A-Za-z][A-Za-z_ ]*?)\s*:\s*(.*?)\s*$")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BOLD_KEY_RE = re.compile(r"^\s*\*\*([^*]+?):?\*\*:?\s*")
_WS_RE = re.compile(r"\s+")
_SENTENCE_RE = re.compile(r"^(.+?[.!?])(?:\s|$)")

_SUPPORTED_LIST = ", ".join(SUPPORTED_SUFFIXES)


@dataclass(frozen=True)
class ReadOptions:
    """Limits and clock for reading; ``now`` fixes the plausibility window in tests."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
    now: datetime | None = field(default=None)


class FieldError(ValueError):
    """A structured record field of an unusable type."""


# --------------------------------------------------------------------------- helpers


def _lossy_payload(value: str | bytes) -> str:
    if isinstance(value, bytes):
        value = value[: PAYLOAD_MAX_CHARS * 4].decode("utf-8", "replace")
    return clean_text(value[:PAYLOAD_MAX_CHARS])


def _json_payload(obj: object) -> str:
    try:
        return _lossy_payload(json.dumps(obj, ensure_ascii=False, default=str))
    except (RecursionError, ValueError, TypeError):
        return "<record could not be rendered as JSON>"


def make_quarantine(origin_path: str, locator: str, code: str, reason: str, payload: str | bytes) -> QuarantineRecord:
    """Build a ``QuarantineRecord`` with a stable id and a bounded, storable payload."""
    text = _lossy_payload(payload)
    return QuarantineRecord(
        quarantine_id=quarantine_id(origin_path, locator, code, text),
        origin_path=origin_path,
        origin_locator=locator,
        reason_code=code,
        reason=reason,
        payload=text,
    )


def _normalize_body(text: str) -> str:
    return clean_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _one_line(value: str | None) -> str | None:
    if value is None:
        return None
    value = _WS_RE.sub(" ", clean_text(value)).strip()
    return value or None


def derive_title(text: str) -> str:
    """First sentence of the first non-blank line, cut at a word boundary to 80 chars."""
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    match = _SENTENCE_RE.match(first_line)
    title = match.group(1) if match else first_line
    if len(title) > TITLE_MAX_CHARS:
        cut = title[:TITLE_MAX_CHARS]
        space = cut.rfind(" ")
        title = cut[:space] if space > TITLE_MAX_CHARS // 2 else cut
    return title.strip()


def build_article(
    fields: Mapping[str, Any],
    *,
    origin_path: str,
    locator: str,
    fmt: str,
    options: ReadOptions,
    payload: str | bytes,
) -> Record:
    """Validate raw fields (title, text, url, source, author, published_at) into a record.

    ``payload`` is what a quarantine record would show if validation fails.
    """
    text_raw = fields.get("text")
    text = _normalize_body(text_raw) if isinstance(text_raw, str) else ""
    if not text:
        return make_quarantine(
            origin_path,
            locator,
            ReasonCode.MISSING_TEXT,
            "The record has no article text; provide a non-blank text (or body/content) field.",
            payload,
        )
    if len(text) > options.max_article_chars:
        return make_quarantine(
            origin_path,
            locator,
            ReasonCode.ARTICLE_TOO_LARGE,
            f"The article text has {len(text):,} characters, more than the limit of "
            f"{options.max_article_chars:,}; split it or raise max_article_chars.",
            payload,
        )
    try:
        published_at = parse_published_at(fields.get("published_at"), now=options.now)
    except DateError as exc:
        return make_quarantine(origin_path, locator, exc.code, exc.message, payload)
    title = _one_line(fields.get("title")) or derive_title(text)
    url = canonical_url(_one_line(fields.get("url")))
    chash = content_hash(title, text)
    return ArticleRecord(
        article_id=article_id(url, chash),
        content_hash=chash,
        title=title,
        text=text,
        url=url,
        source=_one_line(fields.get("source")),
        author=_one_line(fields.get("author")),
        published_at=published_at,
        origin_path=origin_path,
        origin_locator=locator,
        origin_format=fmt,
    )


#: Lists inside a text field deeper than this are not article text (and would
#: otherwise recurse until ``RecursionError``).
MAX_FIELD_NESTING: Final[int] = 8


def _as_str(value: Any, name: str, joiner: str, depth: int = 0) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise FieldError(f"field {name!r} is a boolean, expected text")
    if isinstance(value, float):
        # Missing values in CSV-derived Parquet/Polars data arrive as NaN.
        return None if math.isnan(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Mapping):
        # RSS-to-JSON converters nest publisher/author as {"name": ...}.
        inner = value.get("name")
        if isinstance(inner, str):
            return inner
        raise FieldError(f"field {name!r} is an object, expected text")
    if isinstance(value, (list, tuple)):
        if depth >= MAX_FIELD_NESTING:
            raise FieldError(f"field {name!r} is a list nested more than {MAX_FIELD_NESTING} levels deep, expected text")
        parts = [_as_str(v, name, joiner, depth + 1) for v in value]
        return joiner.join(p for p in parts if p)
    raise FieldError(f"field {name!r} has type {type(value).__name__}, expected text")


def fields_from_mapping(obj: Mapping[Any, Any]) -> dict[str, Any]:
    """Map a structured record's keys (any alias, any case) onto canonical field names."""
    lowered: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(key, str):
            lowered.setdefault(key.strip().lower(), value)
    out: dict[str, Any] = {}
    for canonical, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            value = lowered.get(alias)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if isinstance(value, float) and math.isnan(value):
                continue
            out[canonical] = value
            break
    for name in ("url", "title", "text", "source", "author", "id"):
        if name in out:
            out[name] = _as_str(out[name], name, "\n\n" if name == "text" else ", ")
    return out


def _record_from_mapping(
    obj: Any, *, origin_path: str, locator: str, fmt: str, options: ReadOptions, payload: str | bytes | None = None
) -> Record:
    shown = payload if payload is not None else _json_payload(obj)
    if not isinstance(obj, Mapping):
        return make_quarantine(
            origin_path,
            locator,
            ReasonCode.NOT_AN_OBJECT,
            f"The {fmt} record is a {type(obj).__name__}, not an object; each article must be an object "
            "with fields such as title, text, url, source, published_at, author.",
            shown,
        )
    try:
        fields = fields_from_mapping(obj)
    except FieldError as exc:
        return make_quarantine(
            origin_path, locator, ReasonCode.INVALID_FIELD, f"The record's {exc}.", shown
        )
    except RecursionError:
        return make_quarantine(
            origin_path, locator, ReasonCode.INVALID_FIELD, "The record's fields are nested too deeply to read.", shown
        )
    return build_article(fields, origin_path=origin_path, locator=locator, fmt=fmt, options=options, payload=shown)


def _decode_or_quarantine(origin_path: str, data: bytes) -> str | QuarantineRecord:
    """The file's text, or the quarantine record of a file that is undecodable or blank."""
    try:
        text = decode_bytes(data).text
    except DecodeError as exc:
        return make_quarantine(origin_path, "file", exc.code, exc.message, data)
    if not text.strip():
        return _empty(origin_path, "is empty or holds only whitespace")
    return text


def _empty(origin_path: str, what: str, payload: str | bytes = "") -> QuarantineRecord:
    return make_quarantine(origin_path, "file", ReasonCode.EMPTY_FILE, f"The file {what}; there is nothing to load.", payload)


# --------------------------------------------------------------------------- formats


def _parse_text_article(text: str, *, markdown: bool) -> dict[str, Any]:
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    title = lines[i].strip() if i < len(lines) else ""
    if markdown:
        title = _MD_HEADING_RE.sub("", title).strip()
    i += 1
    fields: dict[str, Any] = {"title": title}
    while i < len(lines):
        line = lines[i]
        if markdown:
            # "**Source:** Reuters" and "- Source: Reuters" are common front-matter styles.
            line = line.strip()
            if line.startswith(("- ", "* ")):
                line = line[2:]
            line = _MD_BOLD_KEY_RE.sub(lambda m: m.group(1) + ": ", line)
        match = _HEADER_RE.match(line)
        if not match:
            break
        key = HEADER_KEYS.get(match.group(1).strip().lower().replace(" ", "_"))
        if key is None:
            break
        fields.setdefault(key, match.group(2))
        i += 1
    fields["text"] = "\n".join(lines[i:])
    return fields


def _read_plain(origin_path: str, data: bytes, options: ReadOptions, fmt: str) -> Iterator[Record]:
    decoded = _decode_or_quarantine(origin_path, data)
    if isinstance(decoded, QuarantineRecord):
        yield decoded
        return
    fields = _parse_text_article(decoded, markdown=fmt == "md")
    yield build_article(fields, origin_path=origin_path, locator="file", fmt=fmt, options=options, payload=decoded)


def read_txt(origin_path: str, data: bytes, options: ReadOptions) -> Iterator[Record]:
    """Plain text: title line, optional ``Key: value`` headers, blank line, body."""
    yield from _read_plain(origin_path, data, options, "txt")


def read_md(origin_path: str, data: bytes, options: ReadOptions) -> Iterator[Record]:
    """Markdown: like text; a leading ``#`` heading marker is stripped from the title."""
    yield from _read_plain(origin_path, data, options, "md")


def html_fields(html: str) -> dict[str, Any]:
    """Main text and metadata of an HTML page, via trafilatura (files and feed pages alike)."""
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"},
    )
    doc: dict[str, Any] = {}
    if result is not None:
        doc = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = (doc.get("text") or "").strip()
    title = (doc.get("title") or "").strip()
    # trafilatura repeats the <h1> as the first line of the text; drop it so the body is the body.
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest
    return {
        "title": title,
        "text": text,
        "url": doc.get("url"),
        "source": doc.get("sitename"),
        "author": doc.get("author"),
        "published_at": doc.get("date"),
    }


def read_html(origin_path: str, data: bytes, options: ReadOptions) -> Iterator[Record]:
    """HTML page: main text and metadata via trafilatura."""
    decoded = _decode_or_quarantine(origin_path, data)
    if isinstance(decoded, QuarantineRecord):
        yield decoded
        return
    fields = html_fields(decoded)
    if not fields["text"]:
        yield make_quarantine(
            origin_path,
            "file",
            ReasonCode.NO_TEXT,
            "No main article text was found in the HTML page; supply a page with an article body.",
            decoded,
        )
        return
    yield build_article(fields, origin_path=origin_path, locator="file", fmt="html", options=options, payload=decoded)


def read_json(origin_path: str, data: bytes, options: ReadOptions) -> Iterator[Record]:
    """A JSON object, an array of objects, or ``{"articles": [...]}``."""
    decoded = _decode_or_quarantine(origin_path, data)
    if isinstance(decoded, QuarantineRecord):
        yield decoded
        return
    try:
        obj = json.loads(decoded)
    except RecursionError:
        yield make_quarantine(
            origin_path, "file", ReasonCode.INVALID_JSON, "The JSON is nested too deeply to parse.", decoded
        )
        return
    except ValueError as exc:
        yield make_quarantine(
            origin_path,
            "file",
            ReasonCode.INVALID_JSON,
            f"The file is not valid JSON ({exc}); expected an object, an array of objects or "
            '{"articles": [...]}.',
            decoded,
        )
        return
    if isinstance(obj, Mapping) and isinstance(obj.get("articles"), list):
        obj = obj["articles"]
    if isinstance(obj, Mapping):
        yield _record_from_mapping(obj, origin_path=origin_path, locator="file", fmt="json", options=options)
        return
    if not isinstance(obj, list):
        yield _record_from_mapping(obj, origin_path=origin_path, locator="file", fmt="json", options=options)
        return
    if not obj:
        yield _empty(origin_path, "holds an empty JSON array", decoded)
        return
    for n, item in enumerate(obj, start=1):
        yield _record_from_mapping(item, origin_path=origin_path, locator=f"record {n}", fmt="json", options=options)


def _jsonl_lines(data: bytes, whole: str, whole_is_utf8: bool) -> Iterator[tuple[int, str | None, bytes]]:
    """Yield (line number, decoded line or None when undecodable, raw bytes)."""
    if whole_is_utf8:
        for n, line in enumerate(whole.split("\n"), start=1):
            yield n, line, b""
        return
    # Not UTF-8 as a whole: decode line by line so valid UTF-8 lines stay exact
    # and only the odd legacy-encoded line falls back to cp1252.
    for n, raw in enumerate(data.split(b"\n"), start=1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield n, raw.decode("utf-8"), raw
        except UnicodeDecodeError:
            text = raw.decode("cp1252", "replace")
            yield n, (text if looks_like_text(text) else None), raw


def read_jsonl(origin_path: str, data: bytes, options: ReadOptions) -> Iterator[Record]:
    """JSON Lines: one object per line; blank lines are skipped; bad lines quarantine alone."""
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        yield make_quarantine(origin_path, "file", exc.code, exc.message, data)
        return
    if not decoded.text.strip():
        yield _empty(origin_path, "is empty or holds only whitespace")
        return
    whole_ok = decoded.encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32")
    for n, line, raw in _jsonl_lines(data, decoded.text, whole_ok):
        locator = f"line {n}"
        if line is None:
            yield make_quarantine(
                origin_path, locator, ReasonCode.INVALID_ENCODING, f"Line {n} is not decodable text; JSON Lines must be UTF-8.", raw
            )
            continue
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except RecursionError:
            yield make_quarantine(
                origin_path, locator, ReasonCode.INVALID_JSON, f"Line {n} is JSON nested too deeply to parse.", line
            )
            continue
        except ValueError as exc:
            yield make_quarantine(
                origin_path,
                locator,
                ReasonCode.INVALID_JSON,
                f"Line {n} is not valid JSON ({exc}); each line must hold one JSON object.",
                line,
            )
            continue
        yield _record_from_mapping(obj, origin_path=origin_path, locator=locator, fmt="jsonl", options=options, payload=line)


def _set_csv_field_limit() -> None:
    # Article bodies easily exceed csv's 128 KiB default field limit.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def read_csv(origin_path: str, data: bytes, options: ReadOptions) -> Iterator[Record]:
    """CSV with a header row naming the fields; locator is the 1-based data row."""
    decoded = _decode_or_quarantine(origin_path, data)
    if isinstance(decoded, QuarantineRecord):
        yield decoded
        return
    _set_csv_field_limit()
    reader = csv.DictReader(io.StringIO(decoded, newline=""))
    n = 0
    try:
        for n, row in enumerate(reader, start=1):
            clean = {k: v for k, v in row.items() if k is not None}
            yield _record_from_mapping(clean, origin_path=origin_path, locator=f"row {n}", fmt="csv", options=options)
    except csv.Error as exc:
        yield make_quarantine(
            origin_path,
            f"row {n + 1}",
            ReasonCode.INVALID_CSV,
            f"CSV parsing failed at data row {n + 1} ({exc}); the rest of the file was not read.",
            decoded,
        )
        return
    if n == 0:
        yield _empty(origin_path, "has a CSV header but no data rows", decoded)


def read_parquet(origin_path: str, data: bytes, options: ReadOptions) -> Iterator[Record]:
    """Parquet with the same columns as CSV; locator is the 1-based row."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pfile = pq.ParquetFile(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield make_quarantine(
            origin_path, "file", ReasonCode.INVALID_PARQUET, f"The file is not readable Parquet ({exc}).", data
        )
        return
    if pfile.metadata.num_rows == 0:
        yield _empty(origin_path, "is a Parquet file with no rows")
        return
    n = 0
    try:
        for batch in pfile.iter_batches(batch_size=8192):
            for row in batch.to_pylist():
                n += 1
                yield _record_from_mapping(row, origin_path=origin_path, locator=f"row {n}", fmt="parquet", options=options)
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield make_quarantine(
            origin_path,
            f"row {n + 1}",
            ReasonCode.INVALID_PARQUET,
            f"Parquet reading failed after row {n} ({exc}); the rest of the file was not read.",
            b"",
        )


READERS: Final[dict[str, Callable[[str, bytes, ReadOptions], Iterator[Record]]]] = {
    ".txt": read_txt,
    ".md": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".parquet": read_parquet,
}


def _read_bounded(open_path: str, *, no_follow: bool, max_bytes: int) -> tuple[bytes, int, bool]:
    """Read at most ``max_bytes`` (+1 to detect growth) from one regular file.

    Returns (data, size, too_large); when too large, ``data`` is only the head
    (evidence for the quarantine payload). The size is taken from the open
    file, so the cap is applied before the content is read into memory, and a
    file that grows after the check is still cut at the cap. ``no_follow``
    refuses a final symlink (ELOOP): a file found by walking a folder must not
    have been swapped for a link since. ``O_NONBLOCK`` keeps a FIFO from
    hanging the open.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if no_follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(open_path, flags)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "it is not a regular file but a directory, FIFO, socket or device")
        if st.st_size > max_bytes:
            return fh.read(PAYLOAD_MAX_CHARS), st.st_size, True
        data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            return data[:PAYLOAD_MAX_CHARS], max(len(data), st.st_size), True
        return data, len(data), False


def read_file(path: str | Path, options: ReadOptions | None = None, *, real_path: str | None = None) -> Iterator[Record]:
    """Read one file into records; never raises for bad content or unreadable files.

    ``real_path`` is the resolved location that discovery checked lies inside
    the ingested folder; when given, it is what is opened (refusing a symlink
    in its place) while ``path`` stays the provenance in ``origin_path``.
    """
    options = options or ReadOptions()
    origin_path = os.path.abspath(os.fspath(path))
    suffix = Path(origin_path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        yield make_quarantine(
            origin_path,
            "file",
            ReasonCode.UNSUPPORTED_FORMAT,
            f"The file type {suffix or '(no suffix)'!r} is not supported; supported suffixes are {_SUPPORTED_LIST}.",
            "",
        )
        return
    try:
        data, size, too_large = _read_bounded(
            real_path or origin_path, no_follow=real_path is not None, max_bytes=options.max_file_bytes
        )
    except OSError as exc:
        if exc.errno == errno.ELOOP and real_path is not None:
            yield make_quarantine(
                origin_path,
                "file",
                ReasonCode.UNSAFE_PATH,
                f"The file {origin_path} was replaced by a symbolic link after the folder was scanned; "
                "it was not followed.",
                "",
            )
            return
        yield make_quarantine(
            origin_path, "file", ReasonCode.UNREADABLE_FILE, f"The file could not be read ({exc.strerror or exc}).", ""
        )
        return
    if too_large:
        yield make_quarantine(
            origin_path,
            "file",
            ReasonCode.FILE_TOO_LARGE,
            f"The file is {size:,} bytes, more than the limit of {options.max_file_bytes:,} bytes; "
            "split it or raise max_file_bytes.",
            data,
        )
        return
    if not data.strip():
        yield _empty(origin_path, "is empty or holds only whitespace")
        return
    count = 0
    try:
        for record in reader(origin_path, data, options):
            count += 1
            yield record
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the other files
        yield make_quarantine(
            origin_path,
            f"record {count + 1}" if count else "file",
            ReasonCode.READ_ERROR,
            f"Reading failed unexpectedly ({type(exc).__name__}: {exc}); the rest of the file was not read.",
            data,
        )
