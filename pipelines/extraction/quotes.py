"""Direct quotations: spans between matching quotation marks, across sentences."""

from __future__ import annotations

from collections.abc import Iterator

_OPENING = {"“": "”", "„": "“", "«": "»"}
_STRAIGHT = '"'
# A quote longer than this is more likely a stray mark than a quotation.
MAX_QUOTE_CHARS = 3000


def find_quotes(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each quotation, marks included.

    Curly quotes pair by their direction; straight quotes pair in order of
    appearance within a paragraph.  Unclosed quotes yield nothing.
    """
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        closing = _OPENING.get(char) or (_STRAIGHT if char == _STRAIGHT else None)
        if closing is None:
            i += 1
            continue
        end = text.find(closing, i + 1, min(n, i + 1 + MAX_QUOTE_CHARS))
        paragraph_break = text.find("\n\n", i + 1, end if end != -1 else i + 1)
        if end == -1 or paragraph_break != -1:
            i += 1
            continue
        yield i, end + 1
        i = end + 1
