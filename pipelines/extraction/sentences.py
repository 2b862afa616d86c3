"""Sentence boundaries with character offsets, by rule.

A rule-based splitter is an order of magnitude faster than a statistical
parser and good enough to decide which sentences deserve a deep parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Titles and abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr
    inc ltd co corp dept univ vs etc no jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n e.g i.e a.m p.m""".split()
)

_BOUNDARY = re.compile(
    r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])"""  # end punctuation, then a capital
    r"""|\n\s*"""  # a line break always ends a sentence: news text is one paragraph a line
)
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.[\"'”’)\]]*\s*$")


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each non-blank sentence of ``text``."""
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group(0)[0] != "\n" and _ends_with_abbreviation(text[start : match.start()]):
            continue
        yield from _trimmed(text, start, match.start())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _ends_with_abbreviation(chunk: str) -> bool:
    found = _WORD_BEFORE.search(chunk[-20:])
    if not found:
        return False
    word = found.group(1).lower()
    # A single capital initial ("J. Smith") is an abbreviation too.
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end
