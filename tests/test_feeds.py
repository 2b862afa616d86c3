"""Feed ingestion against a real HTTP server on 127.0.0.1 (no other address is contacted)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipelines.ingestion.feeds import (
    FeedConfig,
    FeedState,
    is_due,
    load_feed_config,
    parse_feed,
    poll_feed,
    poll_feeds,
)
from pipelines.ingestion.http import Fetcher, FetchTimeout, UnsupportedScheme
from pipelines.ingestion.readers import ReadOptions
from pipelines.ingestion.records import ArticleRecord, QuarantineRecord

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
OPTIONS = ReadOptions(now=NOW)
CAP = 64 * 1024
ETAG = '"good-v1"'
LAST_MODIFIED = "Mon, 09 Mar 2026 08:00:00 GMT"

ARTICLES = {
    1: ("Harbour pier to reopen", "The harbour authority said on Monday that the northern pier would reopen next week after repairs were completed ahead of schedule."),
    2: ("Fishermen dispute timeline", "Local fishermen disputed the timeline on Tuesday, saying the repairs had barely started and would take several more months."),
    3: ("Council orders inspection", "The city council ordered an independent inspection of the pier, citing conflicting statements from the authority and the fishermen."),
    4: ("Ferry service resumes", "The ferry operator announced that service to the islands would resume on Thursday after the storm damage was cleared."),
}


def article_html(n: int, *, with_title: bool = True) -> bytes:
    title, para = ARTICLES[n]
    head = f"<title>{title} | Coastal Courier</title>" if with_title else ""
    h1 = f"<h1>{title}</h1>" if with_title else ""
    return (
        f"<!doctype html><html><head>{head}</head><body><nav>Home | World | Sport</nav>"
        f"<article>{h1}<p>{para}</p><p>{para.replace('said', 'added')} Officials declined to comment further on the matter.</p>"
        "</article><footer>Copyright Coastal Courier</footer></body></html>"
    ).encode()


def rss(base: str, links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{base}{link}</link><guid isPermaLink='false'>guid-{link}</guid>"
        f"<pubDate>Mon, 09 Mar 2026 0{i}:00:00 +0000</pubDate></item>"
        for i, link in enumerate(links, start=1)
    )
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>T</title>{items}</channel></rss>".encode()


def atom(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:feed</id>
<link rel="self" href="{base}/atom.xml"/>
<entry><id>urn:entry:4</id><title>Ferry service resumes (feed title)</title>
  <link rel="alternate" href="/articles/4.html"/><published>2026-03-08T09:30:00+01:00</published>
  <author><name>Rui Costa</name></author></entry>
</feed>""".encode()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>http://127.0.0.1/x</link></item></channel></rss>"""


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float
    status: int = 0


@dataclass
class Site:
    base: str
    log: list[Seen] = field(default_factory=list)
    flaky_left: list[int] = field(default_factory=lambda: [2])

    def requests(self, path: str) -> list[Seen]:
        return [r for r in self.log if r.path == path]


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None, length: bool = True) -> None:
            self.rec.status = status
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            self.rec = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
            site.log.append(self.rec)
            try:
                self.route()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout / size cap)

        def route(self) -> None:
            p, b = self.path, site.base
            if p == "/good.xml":
                if self.headers.get("If-None-Match") == ETAG:
                    self._send(304, headers={"ETag": ETAG})
                else:
                    self._send(200, rss(b, ["/articles/1.html", "/articles/2.html", "/articles/3.html"]), "application/rss+xml", {"ETag": ETAG})
            elif p == "/atom.xml":
                if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                    self._send(304)
                else:
                    self._send(200, atom(b), "application/atom+xml", {"Last-Modified": LAST_MODIFIED})
            elif p == "/broken.xml":
                self._send(200, b"<?xml version='1.0'?><rss><channel><item><title>unclosed", "application/rss+xml")
            elif p == "/bomb.xml":
                self._send(200, BOMB, "application/rss+xml")
            elif p == "/gone.xml":
                self._send(410, b"gone")
            elif p == "/bad-pages.xml":
                self._send(200, rss(b, ["/missing.html", "/slow.html", "/huge.html", "/huge-stream.html", "/empty.html", "/articles/1.html"]), "application/rss+xml")
            elif p.startswith("/articles/"):
                n = int(p.rsplit("/", 1)[1].split(".")[0])
                self._send(200, article_html(n, with_title=n != 4))
            elif p == "/slow.html":
                time.sleep(1.0)
                self._send(200, article_html(1))
            elif p == "/huge.html":
                self._send(200, b"<html><body><p>" + b"x" * (CAP * 3) + b"</p></body></html>")
            elif p == "/huge-stream.html":  # no Content-Length: the cap must stop the read
                self._send(200, b"<html><body><p>" + b"y " * (CAP * 2) + b"</p></body></html>", length=False)
            elif p == "/empty.html":
                self._send(200, b"<html><head><title>x</title></head><body><div></div></body></html>")
            elif p == "/flaky":
                if site.flaky_left[0] > 0:
                    site.flaky_left[0] -= 1
                    self._send(503, b"busy")
                else:
                    self._send(200, b"fine", "text/plain")
            elif p == "/ua":
                self._send(200, self.headers.get("User-Agent", "").encode(), "text/plain")
            else:
                self._send(404, b"not found")

    return Handler


@pytest.fixture()
def site() -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(Site("")))
    host, port = server.server_address[:2]
    s = Site(f"http://{host}:{port}")
    server.RequestHandlerClass = make_handler(s)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def fetcher(**kw: object) -> Fetcher:
    args: dict[str, object] = {"timeout": 2.0, "retries": 0, "backoff": 0.01, "politeness_delay": 0.0, "max_bytes": CAP, "proxies": {}}
    args.update(kw)
    return Fetcher(**args)  # type: ignore[arg-type]


def feed(site: Site, path: str, name: str | None = None) -> FeedConfig:
    return FeedConfig(name=name or path.strip("/"), url=site.base + path, publisher="Coastal Courier")


def articles(records: list) -> list[ArticleRecord]:
    return [r for r in records if isinstance(r, ArticleRecord)]


def quarantines(records: list) -> list[QuarantineRecord]:
    return [r for r in records if isinstance(r, QuarantineRecord)]


# ----------------------------------------------------------------------------- polling


def test_good_rss_feed_then_conditional_second_poll(site: Site) -> None:
    f = feed(site, "/good.xml")
    records, state = poll_feed(f, FeedState(), fetcher(), options=OPTIONS)
    arts = articles(records)
    assert len(arts) == 3 and not quarantines(records)
    by_title = {a.title: a for a in arts}
    assert set(by_title) == {ARTICLES[n][0] for n in (1, 2, 3)}
    a1 = by_title["Harbour pier to reopen"]
    assert a1.source == "Coastal Courier"
    assert "northern pier would reopen" in a1.text and "Home | World" not in a1.text
    assert a1.url == site.base + "/articles/1.html"
    assert a1.origin_path == f.url and a1.origin_locator == "item guid-/articles/1.html"
    assert a1.origin_format == "html"
    assert a1.published_at == datetime(2026, 3, 9, 1, 0, tzinfo=timezone.utc)  # from the item: page has none
    assert state.etag == ETAG and len(state.seen) == 3

    restored = FeedState.from_json(state.to_json())
    assert restored == state
    before = len(site.log)
    again, state2 = poll_feed(f, restored, fetcher(), options=OPTIONS)
    assert again == []
    new = site.log[before:]
    assert [r.path for r in new] == ["/good.xml"]  # no page fetched
    assert new[0].headers.get("if-none-match") == ETAG and new[0].status == 304
    assert state2.seen == state.seen and state2.etag == ETAG


def test_seen_items_are_skipped_even_without_validators(site: Site) -> None:
    f = feed(site, "/good.xml")
    _, state = poll_feed(f, FeedState(), fetcher(), options=OPTIONS)
    records, _ = poll_feed(f, FeedState(seen=state.seen), fetcher(), options=OPTIONS)
    assert records == []
    assert len(site.requests("/articles/1.html")) == 1


def test_atom_feed_uses_item_title_and_last_modified(site: Site) -> None:
    f = feed(site, "/atom.xml")
    records, state = poll_feed(f, FeedState(), fetcher(), options=OPTIONS)
    (art,) = articles(records)
    assert art.title == "Ferry service resumes (feed title)"  # page has no title
    assert art.author == "Rui Costa"
    assert art.url == site.base + "/articles/4.html"  # relative link resolved
    assert art.origin_locator == "item urn:entry:4"
    assert art.published_at == datetime(2026, 3, 8, 8, 30, tzinfo=timezone.utc)
    assert state.last_modified == LAST_MODIFIED
    again, _ = poll_feed(f, state, fetcher(), options=OPTIONS)
    assert again == [] and site.requests("/atom.xml")[-1].status == 304


def test_broken_feed_is_parse_error(site: Site) -> None:
    records, state = poll_feed(feed(site, "/broken.xml"), FeedState(), fetcher(), options=OPTIONS)
    (q,) = records
    assert isinstance(q, QuarantineRecord) and q.reason_code == "feed_parse_error"
    assert q.origin_locator == "feed" and q.origin_path.endswith("/broken.xml")
    assert state.etag is None and state.seen == ()


def test_feed_http_error_names_status(site: Site) -> None:
    (q,), _ = poll_feed(feed(site, "/gone.xml"), FeedState(), fetcher(), options=OPTIONS)
    assert q.reason_code == "feed_http_error" and "HTTP 410" in q.reason


def test_entity_bomb_is_refused_quickly(site: Site) -> None:
    start = time.monotonic()
    (q,), _ = poll_feed(feed(site, "/bomb.xml"), FeedState(), fetcher(), options=OPTIONS)
    assert time.monotonic() - start < 1.0
    assert q.reason_code == "unsafe_xml"
    assert "lollol" not in q.payload  # never expanded
    assert len(site.log) == 1  # the bomb's item link was not followed


def test_parse_feed_refuses_entities_even_in_utf16() -> None:
    from pipelines.ingestion.feeds import UnsafeXMLError

    with pytest.raises(UnsafeXMLError):
        parse_feed(BOMB.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>').encode("utf-16"), "http://127.0.0.1/")
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><title>&x;</title></channel></rss>'
    with pytest.raises(UnsafeXMLError):
        parse_feed(xxe, "http://127.0.0.1/")


def test_bad_pages_quarantine_alone(site: Site) -> None:
    f = feed(site, "/bad-pages.xml")
    records, state = poll_feed(f, FeedState(), fetcher(timeout=0.3), options=OPTIONS)
    by_loc = {r.origin_locator: r for r in records}
    codes = {loc.removeprefix("item guid-/"): r.reason_code if isinstance(r, QuarantineRecord) else "article" for loc, r in by_loc.items()}
    assert codes == {
        "missing.html": "page_http_error",
        "slow.html": "page_timeout",
        "huge.html": "page_too_large",
        "huge-stream.html": "page_too_large",
        "empty.html": "no_text",
        "articles/1.html": "article",
    }
    assert "404" in by_loc["item guid-/missing.html"].reason
    # The timeout is transient: not marked seen, and validators dropped so the next poll retries it.
    assert "guid-/slow.html" not in state.seen and state.attempts == {"guid-/slow.html": 1}
    assert "guid-/missing.html" in state.seen and state.etag is None


def test_transient_failure_is_given_up_after_max_attempts(site: Site) -> None:
    f = feed(site, "/bad-pages.xml")
    state = FeedState()
    for _ in range(2):
        records, state = poll_feed(f, state, fetcher(timeout=0.3), options=OPTIONS, max_attempts=2)
    assert [r.reason_code for r in records if isinstance(r, QuarantineRecord)] == ["page_timeout"]
    assert "guid-/slow.html" in state.seen and state.attempts == {}


def test_bad_feeds_first_do_not_stop_good_feed(site: Site) -> None:
    feeds = [feed(site, p) for p in ("/broken.xml", "/bomb.xml", "/gone.xml", "/nope.xml", "/good.xml")]
    records, states = poll_feeds(feeds, {}, fetcher(), options=OPTIONS)
    assert len(articles(records)) == 3
    assert [q.reason_code for q in quarantines(records)] == ["feed_parse_error", "unsafe_xml", "feed_http_error", "feed_http_error"]
    assert set(states) == {f.name for f in feeds} and states["good.xml"].etag == ETAG


def test_unreachable_feed_never_raises() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    f = FeedConfig(name="down", url=f"http://127.0.0.1:{port}/feed.xml", publisher="X")
    (q,), _ = poll_feed(f, FeedState(), fetcher(), options=OPTIONS)
    assert q.reason_code == "feed_http_error"


# ----------------------------------------------------------------------------- fetcher


def test_politeness_delay_spaces_requests_to_one_host(site: Site) -> None:
    delay = 0.05
    poll_feed(feed(site, "/good.xml"), FeedState(), fetcher(politeness_delay=delay), options=OPTIONS)
    times = sorted(r.at for r in site.log)
    assert len(times) == 4
    assert all(b - a >= delay for a, b in zip(times, times[1:]))


def test_retries_with_backoff_on_5xx(site: Site) -> None:
    sleeps: list[float] = []
    f = fetcher(retries=2, backoff=0.01, sleep=lambda s: (sleeps.append(s), time.sleep(s)))
    resp = f.get(site.base + "/flaky")
    assert resp.status == 200 and resp.body == b"fine"
    assert [r.status for r in site.requests("/flaky")] == [503, 503, 200]
    assert sleeps == [0.01, 0.02]


def test_gives_up_after_retries(site: Site) -> None:
    site.flaky_left[0] = 5
    resp = fetcher(retries=1).get(site.base + "/flaky")
    assert resp.status == 503 and len(site.requests("/flaky")) == 2


def test_timeout_raises_after_retries(site: Site) -> None:
    start = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetcher(timeout=0.2, retries=1).get(site.base + "/slow.html")
    assert time.monotonic() - start < 1.5
    assert len(site.requests("/slow.html")) == 2


def test_user_agent_and_schemes(site: Site) -> None:
    assert b"Claimhouse" in fetcher().get(site.base + "/ua").body
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/plain,hi", "/relative"):
        with pytest.raises(UnsupportedScheme):
            fetcher().get(url)
    with pytest.raises(ValueError):
        Fetcher(timeout=0)


# ----------------------------------------------------------------------------- config and state


def test_load_feed_config(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[feed]]\nname = "courier"\nurl = "https://courier.example/rss"\npublisher = "Coastal Courier"\npoll_minutes = 30\n\n'
        '[[feed]]\nname = "wire"\nurl = "https://wire.example/atom.xml"\npublisher = "Wire"\n',
        encoding="utf-8",
    )
    assert load_feed_config(path) == [
        FeedConfig("courier", "https://courier.example/rss", "Coastal Courier", 30),
        FeedConfig("wire", "https://wire.example/atom.xml", "Wire", 60),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[feed]]\nname = "a"\npublisher = "P"\n', r"feed #1 \('a'\): 'url' is required"),
        ('[[feed]]\nname = "a"\nurl = "ftp://x.example/f"\npublisher = "P"\n', r"feed #1 \('a'\): 'url' must be an absolute http"),
        ('[[feed]]\nname = "a"\nurl = "https://x.example/f"\npublisher = "P"\npoll_minutes = -5\n', "poll_minutes"),
        ('[[feed]]\nname = "a"\nurl = "https://x.example/f"\npublisher = "P"\npoll_minutes = true\n', "poll_minutes"),
        ('[[feed]]\nname = "a"\nurl = "https://x.example/f"\npublisher = "P"\nfoo = 1\n', r"unknown key\(s\) \['foo'\]"),
        ('[[feed]]\nname = "a"\nurl = "https://x.example/f"\npublisher = "P"\n[[feed]]\nname = "a"\nurl = "https://y.example/f"\npublisher = "Q"\n', r"feed #2 \('a'\): duplicate"),
        ('[[feed]]\nname = "a"\nurl = "https://x.example/f"\npublisher = ""\n', r"'publisher' is required"),
        ("[[feed]\nname = 1", "not valid TOML"),
        ('[[feeds]]\nname = "a"\n', "unknown top-level"),
    ],
)
def test_config_errors_are_clear(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_feed_config(path)


def test_example_config_parses() -> None:
    path = Path(__file__).resolve().parents[1] / "warehouse" / "feeds.example.toml"
    feeds = load_feed_config(path)
    assert len(feeds) == 2 and all(".example" in f.url for f in feeds)


def test_state_json_roundtrip_and_validation() -> None:
    state = FeedState(etag='"x"', last_modified=None, seen=("a", "b"), attempts={"c": 1}, last_polled_at="2026-03-10T12:00:00+00:00")
    assert FeedState.from_json(state.to_json()) == state
    assert FeedState.from_json(None) == FeedState() == FeedState.from_json("")
    with pytest.raises(ValueError):
        FeedState.from_json('{"seen": "abc"}')
    with pytest.raises(ValueError):
        FeedState.from_json("[1]")


def test_is_due() -> None:
    f = FeedConfig("a", "https://a.example/f", "A", poll_minutes=30)
    assert is_due(f, FeedState(), NOW)
    assert not is_due(f, FeedState(last_polled_at="2026-03-10T11:45:00+00:00"), NOW)
    assert is_due(f, FeedState(last_polled_at="2026-03-10T11:30:00+00:00"), NOW)
