"""Attributions: speaker, cue and content, found on the dependency parse.

Rules, in the spirit of textacy's ``direct_quotations`` but for indirect
speech too:

- ``verb_cue``: a cue verb (said, denied, warned...) with its subject as the
  speaker and its clausal complement (or, for denials and warnings, its object)
  as the content.  A verb in a conjunction inherits the subject of its head.
- ``adjective_cue``: "X was skeptical that ...".
- ``according_to``: "according to X, ..." with the rest of the clause as content.
- ``quote_after_colon``: "X said:" followed by a quotation.

When the content lies in quotation marks, the whole quotation is the content
(so quotes over several sentences stay whole) and the speech is direct.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.extraction.lexicon import Lexicon
from pipelines.extraction.parsing import ParsedArticle, ParsedSentence
from pipelines.extraction.predicates import Subject, find_subject, match_predicate
from pipelines.extraction.records import Attribution, Mention
from pipelines.extraction.speakers import (
    GROUP_PRONOUNS,
    ORGANIZATION_HEADS,
    PERSON_PRONOUNS,
    PERSON_TITLES,
    SPEAKER_PRONOUNS,
    resolve_pronoun,
    resolve_title,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

# Cues whose direct object is what was said ("denied the report").
_OBJECT_CONTENT_STANCES = frozenset({"deny", "doubt", "warn"})
CONTEXT_SENTENCES = 2
_CONTENT_PREPOSITIONS = frozenset({"of", "about", "against", "on", "for", "to", "with", "over"})
# Dependencies through which a verb without a subject borrows its head's ("X came out, saying ...").
_SUBJECT_CLIMB = frozenset({"conj", "xcomp", "advcl", "acl", "dobj", "pobj", "prep", "pcomp"})
_EDGE_PUNCTUATION = " \t\n,;:-–—"
_COLON_BEFORE_QUOTE = re.compile(r"^(?:[^.!?\"“”]{0,80}:|\s*,)\s*$")

_CONFIDENCE = {"verb_cue": 0.9, "according_to": 0.85, "adjective_cue": 0.75, "quote_after_colon": 0.85}
_SPEAKER_KIND_FACTOR = {"named": 1.0, "title": 0.9, "pronoun": 0.85, "missing": 0.5}


@dataclass(frozen=True)
class _Found:
    sentence: ParsedSentence
    rule: str
    speaker_tokens: list[Token]
    cue_start: int
    cue_end: int
    cue_lemma: str
    content_start: int
    content_end: int


def find_attributions(
    article_id: str, parsed: ParsedArticle, mentions: Sequence[Mention], lexicon: Lexicon
) -> list[Attribution]:
    stances = {cue.cue: cue.stance for cue in lexicon.cues}
    found: list[_Found] = []
    for sentence in parsed.sentences:
        found.extend(_verb_cues(sentence, parsed, lexicon, stances))
        found.extend(_adjective_cues(sentence, lexicon))
        found.extend(_according_to(sentence))
    found = _without_overlaps(found)
    return [
        _to_attribution(article_id, index, item, parsed, mentions, lexicon)
        for index, item in enumerate(sorted(found, key=lambda f: (f.cue_start, f.content_start)))
    ]


def _verb_cues(
    sentence: ParsedSentence, parsed: ParsedArticle, lexicon: Lexicon, stances: dict[str, str]
) -> Iterator[_Found]:
    verbs = lexicon.verb_cues
    for token in sentence.doc:
        lemma = token.lemma_.lower()
        if lemma not in verbs or token.pos_ not in ("VERB", "AUX", "PROPN"):
            continue
        cue_start, cue_end = sentence.start_of(token), sentence.end_of(token)
        if parsed.quote_around(cue_start, cue_end) is not None:
            continue  # a cue inside someone's quotation is part of what they said
        passive = _is_passive(token)
        speaker = _agent_of(token) if passive else _subject_of(token)
        content = _clausal_content(token)
        if content is None:
            quote = _quote_after_colon(parsed, _end_of_objects(sentence, token))
            if quote is not None:
                yield _Found(sentence, "quote_after_colon", speaker, cue_start, cue_end, lemma, *quote)
                continue
            content = _object_content(token, passive)
        if content is None and token.dep_ == "parataxis" and token.head is not token:
            inner = {t.i for t in token.subtree}
            content = [t for t in token.head.subtree if t.i not in inner]
        if content is None:
            continue
        span = _span(sentence, content)
        if span is None:
            continue
        yield _Found(sentence, "verb_cue", speaker, cue_start, cue_end, lemma, *span)


def _adjective_cues(sentence: ParsedSentence, lexicon: Lexicon) -> Iterator[_Found]:
    adjectives = lexicon.adjective_cues
    for token in sentence.doc:
        lemma = token.lemma_.lower()
        if lemma not in adjectives or token.dep_ not in ("acomp", "ROOT", "amod"):
            continue
        content = next((c for c in token.children if c.dep_ == "ccomp"), None)
        if content is None:
            content = _prepositional_object(token)
        if content is None:
            continue
        span = _span(sentence, list(content.subtree))
        if span is None:
            continue
        speaker = _subject_of(token.head if token.dep_ == "acomp" else token)
        yield _Found(
            sentence, "adjective_cue", speaker, sentence.start_of(token), sentence.end_of(token), lemma, *span
        )


def _according_to(sentence: ParsedSentence) -> Iterator[_Found]:
    doc = sentence.doc
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        to = doc[token.i + 1]
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            continue
        phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree}
        before = [t for t in doc if t.i < min(phrase) and not t.is_punct]
        after = [t for t in doc if t.i > max(phrase) and not t.is_punct]
        content = before if len(before) >= len(after) else after
        span = _span(sentence, content)
        if span is None:
            continue
        cue_end = sentence.end_of(to)
        yield _Found(sentence, "according_to", list(source.subtree), sentence.start_of(token), cue_end,
                     "according to", *span)


def _subject_of(verb: Token) -> list[Token]:
    """The speaker: the verb's subject, or, for a conjoined or subordinate verb, its head's."""
    current = verb
    for _ in range(5):
        subject = next((c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return _phrase(subject)
        if current.dep_ not in _SUBJECT_CLIMB or current.head is current:
            break
        current = current.head
    return []


def _phrase(head: Token) -> list[Token]:
    return [t for t in head.subtree if not t.is_punct or t.text in "-'’"]


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _agent_of(verb: Token) -> list[Token]:
    """The speaker of a passive cue: "by X", else nobody ("it was reported that ...")."""
    for child in verb.children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _phrase(pobj)
    return []


def _clausal_content(verb: Token) -> list[Token] | None:
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            return list(child.subtree)
    return None


def _object_content(verb: Token, passive: bool) -> list[Token] | None:
    """No clause: what was said is the object ("denied the report", "called him a liar", "called for X")."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
    if objects:
        return [t for c in objects for t in c.subtree]
    pobj = _prepositional_object(verb)
    if pobj is not None:
        return list(pobj.subtree)
    if passive:
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is not None and subject.lower_ not in ("it", "this"):
            return list(subject.subtree)
    return None


def _end_of_objects(sentence: ParsedSentence, verb: Token) -> int:
    """Where a quotation may start after the cue: past its addressee and time ("told reporters Monday: ...")."""
    end = verb
    for child in verb.children:
        if child.i > end.i and child.dep_ in ("dobj", "dative", "npadvmod", "advmod", "prt"):
            end = max(child.subtree, key=lambda t: t.i)
    return sentence.end_of(end)


def _prepositional_object(head: Token) -> Token | None:
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in _CONTENT_PREPOSITIONS:
            return next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
    return None


def _quote_after_colon(parsed: ParsedArticle, cue_end: int) -> tuple[int, int] | None:
    for quote_start, quote_end in parsed.quotes:
        if quote_start < cue_end:
            continue
        if _COLON_BEFORE_QUOTE.match(parsed.text[cue_end:quote_start]):
            return quote_start + 1, quote_end - 1
        return None
    return None


def _span(sentence: ParsedSentence, tokens: Sequence[Token]) -> tuple[int, int] | None:
    tokens = [t for t in tokens if not t.is_space]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ == "mark"):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return sentence.start_of(tokens[0]), sentence.end_of(tokens[-1])


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """One attribution per cue; a cue that sits inside another's content is nested speech, kept."""
    seen: set[int] = set()
    unique = []
    for item in found:
        if item.cue_start in seen:
            continue
        seen.add(item.cue_start)
        unique.append(item)
    return unique


def _to_attribution(
    article_id: str, index: int, item: _Found, parsed: ParsedArticle, mentions: Sequence[Mention], lexicon: Lexicon
) -> Attribution:
    text = parsed.text
    content_start, content_end = item.content_start, item.content_end
    quote = parsed.quote_around(content_start, content_end)
    is_direct = item.rule == "quote_after_colon" or quote is not None
    if quote is not None:
        content_start, content_end = quote[0] + 1, quote[1] - 1
    speaker_kind, speaker, resolved = _speaker(item, mentions)
    content_tokens = parsed.tokens_between(content_start, content_end)
    predicate = match_predicate(content_tokens, lexicon.predicate_terms, _context_text(parsed, item, content_end))
    if predicate is not None:
        subject = find_subject(content_tokens, predicate.first, mentions, resolved)
    else:
        subject = Subject(None, None, None, "missing")
    sentence_end = item.sentence.offset + len(item.sentence.doc.text)
    confidence = _CONFIDENCE[item.rule] * _SPEAKER_KIND_FACTOR[speaker_kind]
    return Attribution(
        article_id=article_id,
        attribution_index=index,
        sentence_index=item.sentence.sentence_index,
        speaker_start=speaker.start,
        speaker_end=speaker.end,
        speaker_text=speaker.text,
        speaker_resolved_start=resolved.start,
        speaker_resolved_end=resolved.end,
        speaker_resolved_text=resolved.text,
        speaker_kind=speaker_kind,
        cue_start=item.cue_start,
        cue_end=item.cue_end,
        cue_text=text[item.cue_start : item.cue_end],
        cue_lemma=item.cue_lemma,
        content_start=content_start,
        content_end=content_end,
        content_text=text[content_start:content_end],
        is_direct=is_direct,
        is_multi_sentence=content_end > sentence_end or content_start < item.sentence.offset,
        is_negated=bool(predicate and predicate.is_negated),
        predicate_family_id=predicate.term.family_id if predicate else None,
        predicate_term=" ".join(predicate.term.term) if predicate else None,
        predicate_polarity=predicate.polarity if predicate else None,
        subject_start=subject.start,
        subject_end=subject.end,
        subject_text=subject.text,
        subject_kind=subject.kind,
        rule=item.rule,
        confidence=round(confidence, 3),
    )


def _context_text(parsed: ParsedArticle, item: _Found, content_end: int) -> str:
    """The content and the sentences just before it, where a predicate's context words may stand."""
    position = next(i for i, s in enumerate(parsed.sentences) if s is item.sentence)
    window_start = parsed.sentences[max(0, position - CONTEXT_SENTENCES)].offset
    return parsed.text[window_start:content_end]


def _speaker(item: _Found, mentions: Sequence[Mention]) -> tuple[str, Subject, Subject]:
    """(kind, the span as written, the span it resolves to)."""
    tokens = item.speaker_tokens
    if not tokens:
        missing = Subject(None, None, None, "missing")
        return "missing", missing, missing
    sentence = item.sentence
    start, end = sentence.start_of(tokens[0]), sentence.end_of(tokens[-1])
    written = Subject(start, end, sentence.doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)], "")
    head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[-1])
    word = head.lower_
    if len(tokens) == 1 and head.pos_ == "PRON" and word in (PERSON_PRONOUNS | GROUP_PRONOUNS | SPEAKER_PRONOUNS):
        antecedent = resolve_pronoun(mentions, word, start)
        return "pronoun", written, _as_subject(antecedent) or written
    has_entity = any(t.ent_type_ for t in tokens)
    lemma = head.lemma_.lower()
    if not has_entity and tokens[0].lower_ == "the" and lemma in (ORGANIZATION_HEADS | PERSON_TITLES):
        antecedent = resolve_title(mentions, lemma, start)
        return "title", written, _as_subject(antecedent) or written
    return "named", written, written


def _as_subject(mention: Mention | None) -> Subject | None:
    return None if mention is None else Subject(mention.start, mention.end, mention.text, "mention")
