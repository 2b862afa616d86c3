"""Direct quotations: spans between matching quotation marks, across sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Double quotation marks, including the two apostrophes some archives write for one ('').
_MARK = re.compile(r"''|[\"“”„«»]")
_OPENING_GLYPHS = frozenset("“„«")
_CLOSING_GLYPHS = frozenset("”»")
# Characters after which a mark opens a quotation, and before which a mark closes one.
_BEFORE_OPENING = frozenset("([{—–-/")
_AFTER_CLOSING = frozenset(".,;:!?)]}—–-…")
# A quote longer than this is more likely a stray mark than a quotation.
MAX_QUOTE_CHARS = 3000


def _direction(text: str, start: int, end: int) -> str | None:
    """'open', 'close' or None for a mark at ``text[start:end]``, by its neighbours, else its glyph.

    Archives mix marks (“...," or ''...''), so the neighbours decide first: a mark after a
    space and before a word opens, a mark after a word and before a space or punctuation closes.
    """
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    opens = (before.isspace() or before in _BEFORE_OPENING) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in _AFTER_CLOSING or after in "\"“”'’")
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    glyph = text[start]
    if glyph in _OPENING_GLYPHS:
        return "open"
    if glyph in _CLOSING_GLYPHS:
        return "close"
    return None


def find_quotes(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each quotation, marks included.

    A quotation runs from an opening mark to the next closing mark in the same paragraph;
    an opening mark with no closing one before the next opening mark or paragraph break
    yields nothing.  A straight mark whose direction its neighbours do not tell closes an
    open quotation, else opens one.
    """
    open_at: int | None = None
    for match in _MARK.finditer(text):
        start, end = match.span()
        if open_at is not None and (start - open_at > MAX_QUOTE_CHARS or "\n\n" in text[open_at:start]):
            open_at = None
        direction = _direction(text, start, end)
        if direction is None:
            direction = "close" if open_at is not None else "open"
        if direction == "open":
            open_at = start
        elif open_at is not None:
            yield open_at, end
            open_at = None


def inner(text: str, start: int, end: int) -> tuple[int, int]:
    """The quotation ``text[start:end]`` without its marks ('' is two characters)."""
    opening = 2 if text.startswith("''", start) else 1
    closing = 2 if text.startswith("''", end - 2) and end - 2 >= start + opening else 1
    return start + opening, end - closing
