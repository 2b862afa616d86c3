"""Bytes to text for article files, with binary detection.

Order matters: byte-order marks are authoritative, then strict UTF-8 (the
overwhelming majority), then Windows-1252 / Latin-1. Statistical detection
(charset_normalizer) is only a fallback because on short news texts it
misreads Latin-1 as cp1250/cp1257/big5 and would corrupt é/ñ.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from typing import Final

import charset_normalizer

__all__ = ["Decoded", "DecodeError", "decode_bytes", "looks_like_text"]

_BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Share of non-printable characters above which decoded bytes are called binary.
MAX_NONPRINTABLE_RATIO: Final[float] = 0.05
_ALLOWED_CONTROLS: Final[frozenset[str]] = frozenset("\t\n\r\f\v")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the encoding that produced it."""

    text: str
    encoding: str


class DecodeError(ValueError):
    """Bytes that are not text; ``code`` is ``binary_file``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def looks_like_text(text: str) -> bool:
    """True when at most 5% of characters are control characters or U+FFFD."""
    if not text:
        return True
    sample = text[:100_000]
    bad = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    )
    return bad / len(sample) <= MAX_NONPRINTABLE_RATIO


def _binary(message: str) -> DecodeError:
    return DecodeError("binary_file", message)


def decode_bytes(data: bytes) -> Decoded:
    """Decode article bytes; raise ``DecodeError`` when they are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise _binary(f"The file starts with a {encoding} byte-order mark but does not decode as {encoding}.") from exc
            if not looks_like_text(text):
                raise _binary("The file is mostly non-printable characters; only text files are supported.")
            return Decoded(text.lstrip("\ufeff"), encoding)
    if b"\x00" in data:
        raise _binary(
            "The file contains NUL bytes, so it is binary (or UTF-16 without a byte-order mark); "
            "text must be UTF-8, UTF-16 with a BOM, or a single-byte Western encoding."
        )
    candidates: list[Decoded] = []
    try:
        candidates.append(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        for encoding in ("cp1252", "latin-1"):
            try:
                candidates.append(Decoded(data.decode(encoding), encoding))
                break
            except UnicodeDecodeError:
                continue
        best = charset_normalizer.from_bytes(data).best()
        if best is not None and best.encoding:
            candidates.append(Decoded(str(best), best.encoding))
    for candidate in candidates:
        if looks_like_text(candidate.text):
            return candidate
    raise _binary("The file is mostly non-printable characters; only text files are supported.")
