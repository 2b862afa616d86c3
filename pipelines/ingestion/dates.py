"""Publication date parsing into timezone-aware UTC datetimes.

News dates arrive as ISO 8601, RFC 2822 (email/RSS), prose ("4 March 2026",
"March 4, 2026"), numeric offsets or epoch seconds. Naive values are taken as
UTC: publishers that omit the zone usually mean UTC or a zone we cannot know,
and a fixed rule keeps runs reproducible.
"""

from __future__ import annotations

import math
import re
import warnings
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Final

from dateutil import parser as _du_parser
from dateutil import tz as _du_tz

__all__ = ["DateError", "parse_date", "check_plausible", "parse_published_at", "MIN_DATE", "FUTURE_SLACK"]

#: Nothing in a news corpus predates this; earlier values are parse artefacts (e.g. epoch 0).
MIN_DATE: Final[datetime] = datetime(1990, 1, 1, tzinfo=timezone.utc)
#: Time-zone slop and embargoed copies may sit slightly in the future, not more.
FUTURE_SLACK: Final[timedelta] = timedelta(days=2)

# Epoch values above this are taken as milliseconds (seconds would be year 5138+).
_EPOCH_MS_THRESHOLD: Final[float] = 1e11
_EPOCH_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
# The stdlib RFC 2822 parser silently drops AM/PM and other words, so it is only
# trusted with strings that have the strict RFC shape ("Wed, 04 Mar 2026 14:05:00 +0100").
_RFC2822_RE = re.compile(
    r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"\s+(?:[+-]\d{4}|[A-Za-z]{1,5})$"
)

# dateutil only knows UTC/GMT by name; these are the abbreviations news feeds use.
_TZINFOS: Final[dict[str, int]] = {
    "UTC": 0,
    "UT": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "CET": 3600,
    "CEST": 2 * 3600,
    "EET": 2 * 3600,
    "EEST": 3 * 3600,
    "MSK": 3 * 3600,
    "IST": 19800,
    "JST": 9 * 3600,
}

# Two distinct defaults reveal whether dateutil filled in a missing year, month
# or day: a complete date parses identically under both.
_DEFAULT_A: Final[datetime] = datetime(2000, 1, 1)
_DEFAULT_B: Final[datetime] = datetime(2001, 2, 2)


class DateError(ValueError):
    """A date that cannot be used; ``code`` is ``invalid_date`` or ``implausible_date``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _from_epoch(number: float, raw: object) -> datetime:
    if not math.isfinite(number):
        raise DateError("invalid_date", f"Date {raw!r} is not a finite number of epoch seconds.")
    if abs(number) >= _EPOCH_MS_THRESHOLD:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=timezone.utc)
    except (OverflowError, OSError, ValueError) as exc:
        raise DateError("invalid_date", f"Date {raw!r} is out of range as epoch seconds.") from exc


def _parse_string(raw: str) -> datetime:
    text = raw.strip()
    if _EPOCH_RE.match(text):
        return _from_epoch(float(text), raw)
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        pass
    if _RFC2822_RE.match(text):
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
    if not any(ch.isdigit() for ch in text):
        # dateutil happily turns "May" into a date this year; a date needs digits.
        raise DateError("invalid_date", _invalid_message(raw))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            first = _du_parser.parse(text, default=_DEFAULT_A, tzinfos=_TZINFOS)
            second = _du_parser.parse(text, default=_DEFAULT_B, tzinfos=_TZINFOS)
        except (ValueError, OverflowError, TypeError) as exc:
            raise DateError("invalid_date", _invalid_message(raw)) from exc
    if first.date() != second.date():
        raise DateError(
            "invalid_date",
            f"Date {raw!r} lacks a year, month or day; a full calendar date is required.",
        )
    if isinstance(first.tzinfo, _du_tz.tzlocal):
        first = first.replace(tzinfo=None)
    return first


def _invalid_message(raw: object) -> str:
    return (
        f"Date {raw!r} could not be parsed; supported forms are ISO 8601 (2026-03-04T14:05:00+01:00), "
        "RFC 2822 (Wed, 04 Mar 2026 14:05:00 +0100), '4 March 2026', 'March 4, 2026', "
        "'2026-03-04 14:05 +0100' and epoch seconds."
    )


def parse_date(value: object) -> datetime | None:
    """Parse ``value`` into an aware UTC datetime; None/blank gives None.

    Raises ``DateError`` (code ``invalid_date``) when the value is not a date.
    Does not check plausibility; see ``check_plausible``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise DateError("invalid_date", _invalid_message(value))
    if isinstance(value, datetime):
        return _to_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value), value)
    if isinstance(value, str):
        if not value.strip():
            return None
        return _to_utc(_parse_string(value))
    raise DateError("invalid_date", _invalid_message(value))


def check_plausible(value: datetime, *, now: datetime | None = None, raw: object = None) -> datetime:
    """Return ``value`` if it lies in [1990-01-01, now + 2 days], else raise ``implausible_date``."""
    now_utc = _to_utc(now) if now is not None else datetime.now(timezone.utc)
    upper = now_utc + FUTURE_SLACK
    if value < MIN_DATE or value > upper:
        shown = raw if raw is not None else value.isoformat()
        raise DateError(
            "implausible_date",
            f"Date {shown!r} (= {value.isoformat()}) is outside the accepted range "
            f"{MIN_DATE.date().isoformat()} to {upper.isoformat(timespec='seconds')} (now + 2 days).",
        )
    return value


def parse_published_at(value: object, *, now: datetime | None = None) -> datetime | None:
    """Parse and plausibility-check a publication date; None when absent."""
    parsed = parse_date(value)
    if parsed is None:
        return None
    return check_plausible(parsed, now=now, raw=value)
