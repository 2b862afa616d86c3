"""Which quotation a cue reports when the parse does not say: the one just before it ('"...," she said'),
the one after its colon ('said: "..."'), or none when the words between are more than a speaker.

Quotations themselves are found in ``quotes.py``; this module places them against a cue and tells
whether a cue's words lie inside one (``in_quote``), and inside someone's words (``in_spoken_quote``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipelines.extraction.parsing import ParsedArticle, ParsedSentence
from pipelines.extraction.quotes import inner

if TYPE_CHECKING:
    from spacy.tokens import Token

# Between a quotation and its cue: a comma and at most the speaker ("," he', ", the senator").
_SPEAKER_BEFORE_CUE = re.compile(r"^[,\s]*[^.!?;:\"“”]{0,60}$")
# Between a cue and its quotation: "said:", "told reporters on Monday:", "replied, ", "told CNN, ".
_COLON_BEFORE_QUOTE = re.compile(r"^(?:[^.!?\"“”]{0,80}:|[^.!?\"“”,:;]{0,40},)\s*$")
# A quotation shorter than this before a cue is a scare quote ("declares 'revolution,' ignores"), no report.
_MIN_QUOTE_WORDS = 3
_CLOSING_MARKS = "\"”’'"


def in_quote(parsed: ParsedArticle, sentence: ParsedSentence, tokens: Sequence[Token]) -> bool:
    return parsed.quote_around(sentence.start_of(tokens[0]), sentence.end_of(tokens[-1])) is not None


def in_spoken_quote(parsed: ParsedArticle, sentence: ParsedSentence, tokens: Sequence[Token]) -> bool:
    """Inside a quotation of someone's words ('"..., I hold him in high esteem," he said'), not a quoted name
    or title ('"Harbour First" calls for ...'): a name holds no punctuation and no comma follows it."""
    quote = parsed.quote_around(sentence.start_of(tokens[0]), sentence.end_of(tokens[-1]))
    if quote is None:
        return False
    words = parsed.text[slice(*inner(parsed.text, *quote))]
    return any(c in ",.;:?!…" for c in words) or parsed.text[quote[1] : quote[1] + 1] == ","


def closed_quote_before(
    parsed: ParsedArticle, sentence: ParsedSentence, cue_start: int, speaker: list[Token]
) -> tuple[int, int] | None:
    """A reported quotation that a comma, a question or an exclamation closes just before the cue, in its
    paragraph, with nothing but the speaker between ('"...," she told'): not a quotation that closed a
    sentence before, nor one that another clause reports ('"...", but he also warned the minister')."""
    quote = reported_quote_before(parsed, cue_start)
    if quote is None or "\n" in parsed.text[quote[1] : cue_start]:
        return None
    # the quotation's last character, or the first after its closing mark: '"...,"' or '"...",'
    last = parsed.text[quote[1] - 1] + parsed.text[quote[1] : cue_start].lstrip(_CLOSING_MARKS)[:1]
    if not any(c in ",?!" for c in last):
        return None
    # the words between may start in the sentence before (a quotation that closed it): a speaker's word is
    # one of the cue's sentence, matched by that sentence and its index
    spoken = {t.i for t in speaker}
    for words_sentence, t in parsed.tokens_between(quote[1], cue_start):
        is_speaker = words_sentence is sentence and t.i in spoken
        if not (t.is_punct or t.is_space or is_speaker or t.pos_ == "ADV"):
            return None
    return quote


def reported_quote_before(parsed: ParsedArticle, cue_start: int) -> tuple[int, int] | None:
    """A quotation of a few words or more just before the cue; a shorter one is a scare quote."""
    quote = quote_before(parsed, cue_start)
    if quote is None or len(parsed.text[quote[0] : quote[1]].split()) < _MIN_QUOTE_WORDS:
        return None
    return quote


def quote_after_colon(parsed: ParsedArticle, cue_end: int) -> tuple[int, int] | None:
    for quote_start, quote_end in parsed.quotes:
        if quote_start < cue_end:
            continue
        if _COLON_BEFORE_QUOTE.match(parsed.text[cue_end:quote_start]):
            return inner(parsed.text, quote_start, quote_end)
        return None
    return None


def quote_before(parsed: ParsedArticle, cue_start: int) -> tuple[int, int] | None:
    """A quotation just before the cue, in its sentence: "'Just one minute,' he urged them." """
    for quote_start, quote_end in reversed(parsed.quotes):
        if quote_end > cue_start:
            continue
        if _SPEAKER_BEFORE_CUE.match(parsed.text[quote_end:cue_start]):
            return inner(parsed.text, quote_start, quote_end)
        return None
    return None
