"""Typed rows produced by the extraction library.

Offsets are character offsets into the article text as stored in
``raw.articles.text`` (Python ``str`` indices, end exclusive).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleText:
    """The input of extraction: one article's id and its body text."""

    article_id: str
    text: str


@dataclass(frozen=True)
class Sentence:
    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    is_candidate: bool
    """True when the sentence holds a cue word or a quotation mark and was parsed deeply."""


@dataclass(frozen=True)
class Mention:
    article_id: str
    mention_index: int
    sentence_index: int
    start: int
    end: int
    text: str
    label: str
    """spaCy entity label (PERSON, ORG, GPE, NORP, FAC, LOC, PRODUCT, EVENT, LAW)."""


@dataclass(frozen=True)
class Subject:
    """A span an attribution points to, its speaker or its claim's subject (all None: nobody), and how it
    was found (``kind``: "mention", "pronoun", "noun_phrase", ...; empty for the span as written)."""

    start: int | None
    end: int | None
    text: str | None
    kind: str


@dataclass(frozen=True)
class Attribution:
    """One statement attributed to a speaker by a cue, with what was said.

    ``speaker_*`` is the span as written (may be a pronoun or a title such as
    "the ministry"); ``speaker_resolved_*`` is the antecedent it points to, or
    the same span when it names the speaker itself.  ``subject_*`` is what the
    content is about (the proposition's subject) and ``predicate_*`` the
    predicate family matched in the content, when one was found.
    """

    article_id: str
    attribution_index: int
    sentence_index: int
    speaker_start: int | None
    speaker_end: int | None
    speaker_text: str | None
    speaker_resolved_start: int | None
    speaker_resolved_end: int | None
    speaker_resolved_text: str | None
    speaker_kind: str
    """named, pronoun, title or missing."""
    cue_start: int
    cue_end: int
    cue_text: str
    cue_lemma: str
    content_start: int
    content_end: int
    content_text: str
    is_direct: bool
    is_multi_sentence: bool
    is_negated: bool
    """True when the content's predicate is negated ("does not work")."""
    predicate_family_id: str | None
    predicate_term: str | None
    predicate_polarity: int | None
    subject_start: int | None
    subject_end: int | None
    subject_text: str | None
    subject_kind: str
    """mention, pronoun, noun_phrase, speaker or missing."""
    rule: str
    """The rule that found it: verb_cue, adjective_cue, according_to, quote_after_colon."""
    confidence: float
