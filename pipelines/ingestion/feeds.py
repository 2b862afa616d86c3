"""RSS/Atom feed ingestion: poll configured feeds, fetch new items' pages, extract their text.

Pure library (no Dagster): the caller schedules polls, stores each feed's
``FeedState`` between polls (``to_json``/``from_json``) and loads the returned
records. ``poll_feed`` never raises for bad feeds or pages: every problem is a
``QuarantineRecord`` (origin_path = feed URL, origin_locator = ``"feed"`` or
``"item <guid or link>"``), and a failing item never stops the other items.

XML safety: feeds are parsed with lxml with entity resolution, DTD loading and
network access off and ``huge_tree`` off; any document declaring an ENTITY
(billion laughs, external entities) is refused before parsing (``unsafe_xml``).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .dates import DateError, parse_date, parse_published_at
from .decoding import DecodeError, decode_bytes
from .http import Fetcher, FetchError, FetchTimeout, FetchTooLarge, Response
from .identity import canonical_url
from .readers import ReadOptions, build_article, html_fields, make_quarantine
from .records import ArticleRecord, QuarantineRecord

__all__ = [
    "FeedConfig",
    "FeedState",
    "FeedItem",
    "FeedReason",
    "UnsafeXMLError",
    "FeedParseError",
    "load_feed_config",
    "parse_feed",
    "poll_feed",
    "poll_feeds",
    "is_due",
    "Fetcher",
]

Record = ArticleRecord | QuarantineRecord

#: How many item keys a ``FeedState`` remembers (oldest forgotten first).
DEFAULT_MAX_SEEN: Final[int] = 5000
#: New items handled per poll; the rest wait for the next poll.
DEFAULT_MAX_ITEMS_PER_POLL: Final[int] = 200
#: Transient page failures (timeouts, 5xx, network) are retried on this many polls, then given up.
DEFAULT_MAX_ATTEMPTS: Final[int] = 3

_CONFIG_KEYS: Final[frozenset[str]] = frozenset({"name", "url", "publisher", "poll_minutes"})
# An ENTITY declaration in ASCII-compatible encodings or UTF-16 (either byte order).
_ENTITY_MARKERS: Final[tuple[bytes, ...]] = (
    b"<!ENTITY",
    "<!ENTITY".encode("utf-16-le"),
    "<!ENTITY".encode("utf-16-be"),
)
_WS_RE = re.compile(r"\s+")


class FeedReason:
    """Quarantine reason codes for feeds (stable strings, like ``records.ReasonCode``)."""

    FEED_HTTP_ERROR: Final[str] = "feed_http_error"
    FEED_PARSE_ERROR: Final[str] = "feed_parse_error"
    UNSAFE_XML: Final[str] = "unsafe_xml"
    PAGE_HTTP_ERROR: Final[str] = "page_http_error"
    PAGE_TIMEOUT: Final[str] = "page_timeout"
    PAGE_TOO_LARGE: Final[str] = "page_too_large"
    NO_TEXT: Final[str] = "no_text"


class FeedParseError(ValueError):
    """The feed body is not well-formed RSS or Atom."""


class UnsafeXMLError(FeedParseError):
    """The feed declares entities (entity expansion / external entity attack surface)."""


# --------------------------------------------------------------------------- config


@dataclass(frozen=True)
class FeedConfig:
    """One configured feed."""

    name: str
    url: str
    publisher: str
    poll_minutes: int = 60


def load_feed_config(path: str | Path) -> list[FeedConfig]:
    """Read ``[[feed]]`` tables (name, url, publisher, optional poll_minutes) from a TOML file.

    Raises ``ValueError`` naming the file and the bad entry; ``FileNotFoundError`` if absent.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML ({exc})") from exc
    unknown_top = sorted(set(data) - {"feed"})
    if unknown_top:
        raise ValueError(f"{path}: unknown top-level key(s) {unknown_top}; feeds are listed as [[feed]] tables")
    entries = data.get("feed", [])
    if not isinstance(entries, list):
        raise ValueError(f"{path}: 'feed' must be an array of tables written [[feed]]")
    feeds: list[FeedConfig] = []
    names: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        label = f"{path}: feed #{n}"
        if not isinstance(entry, dict):
            raise ValueError(f"{label} is not a table; write it as [[feed]] with name, url and publisher")
        if isinstance(entry.get("name"), str) and entry["name"].strip():
            label += f" ({entry['name'].strip()!r})"
        unknown = sorted(set(entry) - _CONFIG_KEYS)
        if unknown:
            raise ValueError(f"{label}: unknown key(s) {unknown}; allowed: name, url, publisher, poll_minutes")
        values: dict[str, Any] = {}
        for key in ("name", "url", "publisher"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{label}: '{key}' is required and must be a non-empty string")
            values[key] = value.strip()
        parts = urlsplit(values["url"])
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{label}: 'url' must be an absolute http(s) URL, got {values['url']!r}")
        minutes = entry.get("poll_minutes", 60)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
            raise ValueError(f"{label}: 'poll_minutes' must be a whole number of minutes, 0 or more (0: every poll), got {minutes!r}")
        if values["name"] in names:
            raise ValueError(f"{label}: duplicate feed name {values['name']!r}; names must be unique")
        names.add(values["name"])
        feeds.append(FeedConfig(name=values["name"], url=values["url"], publisher=values["publisher"], poll_minutes=minutes))
    return feeds


# --------------------------------------------------------------------------- state


@dataclass(frozen=True)
class FeedState:
    """What a feed's next poll needs to know; the caller persists it (``to_json``/``from_json``).

    ``seen`` holds the keys (guid, else canonical link) of items already turned
    into a record, oldest first; ``attempts`` counts polls on which an item's
    page failed transiently (it is retried until ``max_attempts``).
    """

    etag: str | None = None
    last_modified: str | None = None
    seen: tuple[str, ...] = ()
    attempts: Mapping[str, int] = field(default_factory=dict)
    last_polled_at: str | None = None
    """ISO 8601 UTC time of the last poll (whatever its outcome)."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "etag": self.etag,
                "last_modified": self.last_modified,
                "seen": list(self.seen),
                "attempts": dict(self.attempts),
                "last_polled_at": self.last_polled_at,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str | bytes | None) -> FeedState:
        """Parse ``to_json`` output; None or blank gives a fresh state. Raises ``ValueError`` if malformed."""
        if text is None or not str(text if isinstance(text, str) else text.decode("utf-8")).strip():
            return cls()
        obj = json.loads(text)
        if not isinstance(obj, dict):
            raise ValueError("FeedState JSON must be an object")
        for key in ("etag", "last_modified", "last_polled_at"):
            if obj.get(key) is not None and not isinstance(obj[key], str):
                raise ValueError(f"FeedState JSON: {key!r} must be a string or null")
        seen = obj.get("seen", [])
        if not isinstance(seen, list) or not all(isinstance(s, str) for s in seen):
            raise ValueError("FeedState JSON: 'seen' must be a list of strings")
        attempts = obj.get("attempts", {})
        if not isinstance(attempts, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in attempts.items()
        ):
            raise ValueError("FeedState JSON: 'attempts' must map strings to integers")
        return cls(
            etag=obj.get("etag"),
            last_modified=obj.get("last_modified"),
            seen=tuple(seen),
            attempts=dict(attempts),
            last_polled_at=obj.get("last_polled_at"),
        )


def is_due(feed: FeedConfig, state: FeedState, now: datetime | None = None) -> bool:
    """True when ``feed.poll_minutes`` have passed since ``state.last_polled_at`` (or it never ran)."""
    if not state.last_polled_at:
        return True
    now = now or datetime.now(timezone.utc)
    try:
        last = parse_date(state.last_polled_at)
    except DateError:
        return True
    return last is None or now - last >= timedelta(minutes=feed.poll_minutes)


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class FeedItem:
    """One RSS item or Atom entry."""

    key: str
    """guid/id when present, else the canonical link: what ``FeedState.seen`` remembers."""
    link: str | None
    title: str | None
    published: str | None
    author: str | None


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c.tag) == name]


def _text(el: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in _children(el, name):
            value = _WS_RE.sub(" ", "".join(child.itertext())).strip()
            if value:
                return value
    return None


def _atom_link(entry: etree._Element) -> str | None:
    fallback = None
    for link in _children(entry, "link"):
        href = (link.get("href") or "").strip()
        if not href:
            continue
        rel = (link.get("rel") or "alternate").strip().lower()
        if rel == "alternate":
            return href
        fallback = fallback or (href if rel not in ("self", "edit", "enclosure", "replies") else None)
    return fallback


def _atom_author(entry: etree._Element) -> str | None:
    for author in _children(entry, "author"):
        name = _text(author, "name")
        if name:
            return name
    return None


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        recover=False,
    )


def parse_feed(body: bytes, base_url: str) -> list[FeedItem]:
    """Parse RSS 2.0 / RSS 1.0 (RDF) / Atom bytes into items, in document order.

    Raises ``UnsafeXMLError`` for any ENTITY declaration and ``FeedParseError``
    for anything that is not a well-formed feed. Relative links resolve against ``base_url``.
    """
    if any(marker in body for marker in _ENTITY_MARKERS):
        raise UnsafeXMLError("The feed declares XML entities (<!ENTITY>), which are refused (entity-expansion risk).")
    if not body.strip():
        raise FeedParseError("The feed body is empty.")
    try:
        root = etree.fromstring(body, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise FeedParseError(f"The feed is not well-formed XML ({exc}).") from exc
    except ValueError as exc:  # e.g. unsupported encoding declaration
        raise FeedParseError(f"The feed could not be parsed as XML ({exc}).") from exc
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXMLError("The feed declares XML entities in its DTD, which are refused (entity-expansion risk).")
    kind = _local(root.tag)
    if kind == "rss":
        channel = next(iter(_children(root, "channel")), None)
        if channel is None:
            raise FeedParseError("The RSS document has no <channel>.")
        entries = _children(channel, "item")
        atom = False
    elif kind == "rdf":
        entries = _children(root, "item")
        atom = False
    elif kind == "feed":
        entries = _children(root, "entry")
        atom = True
    else:
        raise FeedParseError(f"The document's root element is <{kind or root.tag}>, not <rss>, <rdf:RDF> or <feed> (Atom).")
    items: list[FeedItem] = []
    for entry in entries:
        if atom:
            link = _atom_link(entry)
            guid = _text(entry, "id")
            published = _text(entry, "published", "updated")
            author = _atom_author(entry)
        else:
            link = _text(entry, "link")
            guid = _text(entry, "guid")
            guid_els = _children(entry, "guid")
            if not link and guid and guid_els and (guid_els[0].get("isPermaLink") or "true").strip().lower() == "true":
                link = guid  # RSS 2.0: a permalink guid is the item's URL
            published = _text(entry, "pubdate", "date", "published", "issued")
            author = _text(entry, "creator", "author")
        if link:
            link = urljoin(base_url, link.strip())
        key = guid or canonical_url(link) or ""
        if not key:
            title = _text(entry, "title") or ""
            if not title:
                continue  # nothing identifies the item; nothing to fetch either
            key = "title:" + title
        items.append(FeedItem(key=key, link=link, title=_text(entry, "title"), published=published, author=author))
    return items


# --------------------------------------------------------------------------- polling


def _now_iso(now: datetime | None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")


def _usable_date(value: str | None, options: ReadOptions) -> str | None:
    if not value:
        return None
    try:
        return value if parse_published_at(value, now=options.now) is not None else None
    except DateError:
        return None


def _page_record(
    feed: FeedConfig, item: FeedItem, fetcher: Fetcher, options: ReadOptions
) -> tuple[Record, bool]:
    """Fetch and extract one item's page; returns (record, transient_failure)."""
    origin, locator = feed.url, f"item {item.key}"
    link = item.link
    if not link:
        return (
            make_quarantine(
                origin, locator, FeedReason.PAGE_HTTP_ERROR, "The feed item has no link to an article page.", item.key
            ),
            False,
        )
    try:
        response = fetcher.get(link)
    except FetchTimeout as exc:
        return make_quarantine(origin, locator, FeedReason.PAGE_TIMEOUT, f"Article page {link} timed out: {exc.message}", link), True
    except FetchTooLarge as exc:
        return (
            make_quarantine(
                origin, locator, FeedReason.PAGE_TOO_LARGE, f"Article page {link} is larger than {exc.limit:,} bytes.", link
            ),
            False,
        )
    except FetchError as exc:
        transient = type(exc) is FetchError  # network failures; refused schemes are permanent
        return make_quarantine(origin, locator, FeedReason.PAGE_HTTP_ERROR, f"Article page {link}: {exc.message}", link), transient
    if response.status != 200:
        transient = response.status >= 500 or response.status in (408, 429)
        return (
            make_quarantine(
                origin, locator, FeedReason.PAGE_HTTP_ERROR, f"Article page {link} answered HTTP {response.status}.", f"HTTP {response.status} {link}"
            ),
            transient,
        )
    try:
        html = decode_bytes(response.body).text
    except DecodeError as exc:
        return make_quarantine(origin, locator, FeedReason.NO_TEXT, f"Article page {link}: {exc.message}", response.body), False
    extracted = html_fields(html) if html.strip() else {"text": ""}
    if not (extracted.get("text") or "").strip():
        return (
            make_quarantine(
                origin, locator, FeedReason.NO_TEXT, f"No main article text was found on the page {link}.", html
            ),
            False,
        )
    fields = {
        "title": extracted.get("title") or item.title,
        "text": extracted["text"],
        "url": link,
        "source": feed.publisher,
        "author": extracted.get("author") or item.author,
        "published_at": _usable_date(extracted.get("published_at"), options) or _usable_date(item.published, options),
    }
    return build_article(fields, origin_path=origin, locator=locator, fmt="html", options=options, payload=html), False


def poll_feed(
    feed: FeedConfig,
    state: FeedState,
    fetcher: Fetcher,
    *,
    options: ReadOptions | None = None,
    max_items: int = DEFAULT_MAX_ITEMS_PER_POLL,
    max_seen: int = DEFAULT_MAX_SEEN,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: datetime | None = None,
) -> tuple[list[Record], FeedState]:
    """Poll one feed once: conditional GET, parse, fetch and extract each new item's page.

    Returns the records (articles and quarantine rows) and the state to store
    for the next poll. Never raises for feed or page problems. When some items
    failed transiently or were deferred by ``max_items``, the new state keeps no
    ETag/Last-Modified so the next poll re-reads the feed and retries them.
    """
    options = options or ReadOptions(now=now)
    polled_at = _now_iso(now or options.now)
    origin = feed.url
    headers: dict[str, str] = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    headers["Accept"] = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"

    def feed_failure(code: str, reason: str, payload: str | bytes) -> tuple[list[Record], FeedState]:
        return [make_quarantine(origin, "feed", code, reason, payload)], replace(state, last_polled_at=polled_at)

    try:
        response: Response = fetcher.get(feed.url, headers)
    except FetchTimeout as exc:
        return feed_failure(FeedReason.FEED_HTTP_ERROR, f"Feed {feed.name!r} timed out: {exc.message}", feed.url)
    except FetchTooLarge as exc:
        return feed_failure(FeedReason.FEED_HTTP_ERROR, f"Feed {feed.name!r} is larger than {exc.limit:,} bytes.", feed.url)
    except FetchError as exc:
        return feed_failure(FeedReason.FEED_HTTP_ERROR, f"Feed {feed.name!r} could not be fetched: {exc.message}", feed.url)
    except Exception as exc:  # noqa: BLE001 - a failing feed never raises
        return feed_failure(FeedReason.FEED_HTTP_ERROR, f"Feed {feed.name!r} fetch failed ({type(exc).__name__}: {exc}).", feed.url)
    if response.status == 304:
        return [], replace(state, last_polled_at=polled_at)
    if response.status != 200:
        return feed_failure(
            FeedReason.FEED_HTTP_ERROR, f"Feed {feed.name!r} answered HTTP {response.status}.", f"HTTP {response.status} {feed.url}"
        )
    try:
        items = parse_feed(response.body, response.url or feed.url)
    except UnsafeXMLError as exc:
        return feed_failure(FeedReason.UNSAFE_XML, f"Feed {feed.name!r}: {exc}", response.body)
    except FeedParseError as exc:
        return feed_failure(FeedReason.FEED_PARSE_ERROR, f"Feed {feed.name!r}: {exc}", response.body)
    except Exception as exc:  # noqa: BLE001
        return feed_failure(
            FeedReason.FEED_PARSE_ERROR, f"Feed {feed.name!r} could not be parsed ({type(exc).__name__}: {exc}).", response.body
        )

    seen = list(state.seen)
    seen_set = set(seen)
    attempts = dict(state.attempts)
    records: list[Record] = []
    incomplete = False
    handled = 0
    batch_keys: set[str] = set()
    for item in items:
        if item.key in seen_set or item.key in batch_keys:
            continue
        batch_keys.add(item.key)
        if handled >= max_items:
            incomplete = True
            continue
        handled += 1
        try:
            record, transient = _page_record(feed, item, fetcher, options)
        except Exception as exc:  # noqa: BLE001 - one item never stops the others
            record = make_quarantine(
                origin,
                f"item {item.key}",
                FeedReason.PAGE_HTTP_ERROR,
                f"Processing the item failed unexpectedly ({type(exc).__name__}: {exc}).",
                item.link or item.key,
            )
            transient = False
        records.append(record)  # quarantine ids are stable, so a retried failure re-upserts one row
        if transient and attempts.get(item.key, 0) + 1 < max_attempts:
            # Not marked seen: a later poll retries the page.
            attempts[item.key] = attempts.get(item.key, 0) + 1
            incomplete = True
            continue
        attempts.pop(item.key, None)
        seen.append(item.key)
        seen_set.add(item.key)
    if len(seen) > max_seen:
        seen = seen[-max_seen:]
    new_state = FeedState(
        etag=None if incomplete else response.header("ETag"),
        last_modified=None if incomplete else response.header("Last-Modified"),
        seen=tuple(seen),
        attempts=attempts,
        last_polled_at=polled_at,
    )
    return records, new_state


def poll_feeds(
    feeds: Iterable[FeedConfig],
    states: Mapping[str, FeedState],
    fetcher: Fetcher,
    **kwargs: Any,
) -> tuple[list[Record], dict[str, FeedState]]:
    """Poll several feeds in order (states keyed by feed name); one feed's failure never stops the rest."""
    records: list[Record] = []
    new_states: dict[str, FeedState] = dict(states)
    for feed in feeds:
        got, new_states[feed.name] = poll_feed(feed, states.get(feed.name, FeedState()), fetcher, **kwargs)
        records.extend(got)
    return records, new_states
