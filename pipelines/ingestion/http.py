"""A small, polite HTTP fetcher for feeds and article pages (stdlib ``urllib`` only).

``Fetcher.get`` returns a ``Response`` for every HTTP answer (2xx, 304, 4xx,
5xx after retries) and raises a ``FetchError`` subclass only when there is no
answer to give: a timeout, a body over the size cap, a refused scheme or a
network failure. Retries with exponential backoff cover 5xx answers, timeouts
and connection failures; a per-host politeness delay spaces requests to one
host (measured from the end of the previous request to the start of the next).
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

__all__ = [
    "Response",
    "Fetcher",
    "FetchError",
    "FetchTimeout",
    "FetchTooLarge",
    "UnsupportedScheme",
    "DEFAULT_USER_AGENT",
    "ALLOWED_SCHEMES",
]

DEFAULT_USER_AGENT: Final[str] = "Claimhouse-FeedIngest/0.1 (+https://claimhouse.example/bot)"
ALLOWED_SCHEMES: Final[frozenset[str]] = frozenset({"http", "https"})
_CHUNK: Final[int] = 64 * 1024


class FetchError(Exception):
    """No HTTP answer could be obtained (network failure, refused URL...)."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(message)
        self.url = url
        self.message = message


class FetchTimeout(FetchError):
    """The server did not answer (or finish the body) within the timeout, after retries."""


class FetchTooLarge(FetchError):
    """The body is larger than the fetcher's ``max_bytes``."""

    def __init__(self, url: str, message: str, limit: int) -> None:
        super().__init__(url, message)
        self.limit = limit


class UnsupportedScheme(FetchError):
    """Only http and https URLs are fetched (no file:, ftp:, data: ...)."""


@dataclass(frozen=True)
class Response:
    """An HTTP answer. ``headers`` keys are lower-cased; ``url`` is the final URL after redirects."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class _SafeRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http/https (urllib would also follow to ftp)."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise UnsupportedScheme(newurl, f"Redirect to a {scheme or 'relative'!s} URL was refused: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _is_timeout(exc: BaseException) -> bool:
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return True
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, (TimeoutError, socket.timeout)):
        return True
    return False


@dataclass
class Fetcher:
    """GET with timeout, retries with exponential backoff, per-host politeness and a size cap.

    ``timeout`` bounds each socket operation and the whole download of one
    attempt. ``retries`` extra attempts follow a 5xx answer, a timeout or a
    connection failure, after ``backoff * 2**attempt`` seconds. ``proxies``:
    None uses the environment's proxy settings (urllib's default); ``{}``
    disables proxies. Thread-safe.
    """

    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    politeness_delay: float = 1.0
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = DEFAULT_USER_AGENT
    proxies: Mapping[str, str] | None = None
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.retries < 0 or self.backoff < 0 or self.politeness_delay < 0 or self.max_bytes <= 0:
            raise ValueError("Fetcher: timeout and max_bytes must be > 0; retries, backoff and politeness_delay >= 0")
        handlers: list[urllib.request.BaseHandler] = [_SafeRedirectHandler()]
        if self.proxies is not None:
            handlers.append(urllib.request.ProxyHandler(dict(self.proxies)))
        self._opener = urllib.request.build_opener(*handlers)
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_done: dict[str, float] = {}

    # ------------------------------------------------------------------ public

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url``; see the class docstring for what raises and what returns."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES or not parts.hostname:
            raise UnsupportedScheme(url, f"Only absolute http/https URLs are fetched, not {url!r}.")
        host = parts.hostname.lower()
        attempt = 0
        while True:
            try:
                response = self._polite_attempt(host, url, headers or {})
            except FetchTooLarge:
                raise
            except UnsupportedScheme:
                raise
            except Exception as exc:  # noqa: BLE001 - classified below
                timeout = _is_timeout(exc)
                if attempt >= self.retries:
                    if timeout:
                        raise FetchTimeout(url, f"No answer within {self.timeout:g} s after {attempt + 1} attempt(s).") from exc
                    if isinstance(exc, FetchError):
                        raise
                    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
                    raise FetchError(url, f"Request failed after {attempt + 1} attempt(s): {reason}") from exc
            else:
                if response.status < 500 or attempt >= self.retries:
                    return response
            self.sleep(self.backoff * (2**attempt))
            attempt += 1

    # ----------------------------------------------------------------- private

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(host, threading.Lock())

    def _polite_attempt(self, host: str, url: str, headers: Mapping[str, str]) -> Response:
        # One request at a time per host, spaced by the politeness delay.
        with self._host_lock(host):
            last = self._last_done.get(host)
            if last is not None:
                wait = last + self.politeness_delay - self.clock()
                if wait > 0:
                    self.sleep(wait)
            try:
                return self._attempt(url, headers)
            finally:
                self._last_done[host] = self.clock()

    def _attempt(self, url: str, headers: Mapping[str, str]) -> Response:
        request = urllib.request.Request(url, method="GET")
        request.add_header("User-Agent", self.user_agent)
        request.add_header("Accept-Encoding", "identity")
        for key, value in headers.items():
            request.add_header(key, value)
        deadline = self.clock() + self.timeout
        try:
            raw = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as err:  # 304, 4xx and 5xx arrive here
            with err:
                body = self._read_capped(err, url, deadline)
                return Response(err.code, _lower_headers(err.headers), body, err.geturl() or url)
        with raw:
            body = self._read_capped(raw, url, deadline)
            return Response(raw.status, _lower_headers(raw.headers), body, raw.geturl() or url)

    def _read_capped(self, stream, url: str, deadline: float) -> bytes:  # type: ignore[no-untyped-def]
        headers = getattr(stream, "headers", None)
        length = headers.get("Content-Length") if headers is not None else None
        if length is not None and length.strip().isdigit() and int(length) > self.max_bytes:
            raise FetchTooLarge(
                url, f"Content-Length {int(length):,} bytes exceeds the cap of {self.max_bytes:,} bytes.", self.max_bytes
            )
        chunks: list[bytes] = []
        total = 0
        while True:
            if self.clock() > deadline:
                raise TimeoutError(f"body not complete within {self.timeout:g} s")
            chunk = stream.read(min(_CHUNK, self.max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > self.max_bytes:
                raise FetchTooLarge(url, f"The body exceeds the cap of {self.max_bytes:,} bytes.", self.max_bytes)
        return b"".join(chunks)


def _lower_headers(headers) -> dict[str, str]:  # type: ignore[no-untyped-def]
    if headers is None:
        return {}
    return {str(k).lower(): str(v) for k, v in headers.items()}
