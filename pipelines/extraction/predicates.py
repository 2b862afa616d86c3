"""What a claim is about: the predicate family matched in its content, and its subject.

A predicate term is a sequence of lemmas from ``predicate_terms.csv``; other
words may stand between them ("send more troops" matches ``send troop``).
The longest matching term wins, then the earliest.  The subject is the
nearest named mention, pronoun or subject noun before the predicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.extraction.lexicon import PredicateTerm
from pipelines.extraction.parsing import ENTITY_LABELS, ParsedSentence
from pipelines.extraction.records import Mention, Subject
from pipelines.extraction.speakers import GROUP_PRONOUNS, PERSON_PRONOUNS, SPEAKER_PRONOUNS, resolve_pronoun

if TYPE_CHECKING:
    from spacy.tokens import Token

MAX_GAP = 3
_WORD = re.compile(r"[a-z][a-z-]*")
NEGATIONS = frozenset({"not", "n't", "never", "no", "nothing", "neither", "nor"})


@dataclass(frozen=True)
class PredicateMatch:
    term: PredicateTerm
    first: int
    """Index of the term's first token in the content tokens."""
    is_negated: bool

    @property
    def polarity(self) -> int:
        return -self.term.polarity if self.is_negated else self.term.polarity


def match_predicate(
    tokens: Sequence[tuple[ParsedSentence, Token]], terms: Sequence[PredicateTerm], context_text: str
) -> PredicateMatch | None:
    """The best predicate term in the content tokens.

    ``context_text`` is the content with the sentences just before it: a term
    with context words ("withdraw" needs troops, forces, a border...) only
    counts when one of them starts a word there.
    """
    lemmas = [token.lemma_.lower() for _, token in tokens]
    present = set(lemmas)
    words = set(_WORD.findall(context_text.lower()))
    best: tuple[int, int, PredicateTerm] | None = None
    for term in terms:
        if term.term[0] not in present:  # most terms fail here, before any scan
            continue
        first = _find_term(lemmas, term.term)
        if first is None:
            continue
        if term.context and not _names_context(words, term.context):
            continue
        if term.context and _qualifies_something_else(tokens[first][1], term.context):
            continue
        if best is None or (-len(term.term), first) < (-len(best[2].term), best[1]):
            best = (len(term.term), first, term)
    if best is None:
        return None
    _, first, term = best
    negated = not (NEGATIONS & set(term.term)) and _is_negated(tokens, first)
    return PredicateMatch(term=term, first=first, is_negated=negated)


def _qualifies_something_else(token: Token, context: frozenset[str]) -> bool:
    """An adjective said of a common noun that is none of the term's context words.

    "legitimate" counts for an election in "the result was legitimate", not in "legitimate legal
    challenges" beside a word about the election; a proper noun or pronoun bearer ("it was fair")
    leaves the decision to the context words around.
    """
    if token.pos_ != "ADJ":
        return False
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # "valid and legitimate challenges": the first conjunct carries the relation
    if token.dep_ == "amod":
        bearer = token.head
    elif token.dep_ in ("acomp", "attr"):
        bearer = next((c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    else:
        return False
    if bearer is None or bearer.pos_ != "NOUN":
        return False
    return not _names_context([t.lower_ for t in bearer.subtree], context)


def _names_context(words: Iterable[str], context: frozenset[str]) -> bool:
    """Whether a word starts with one of the context lemmas ("voters" for "vote")."""
    return any(word.startswith(c) for c in context for word in words)


def _find_term(lemmas: Sequence[str], term: tuple[str, ...]) -> int | None:
    for first, lemma in enumerate(lemmas):
        if lemma != term[0]:
            continue
        position = first
        for word in term[1:]:
            window = lemmas[position + 1 : position + 2 + MAX_GAP]
            if word not in window:
                break
            position += 1 + window.index(word)
        else:
            return first
    return None


def _is_negated(tokens: Sequence[tuple[ParsedSentence, Token]], first: int) -> bool:
    _, token = tokens[first]
    if any(child.dep_ == "neg" for child in token.children):
        return True
    if token.dep_ in ("acomp", "attr", "dobj") and any(child.dep_ == "neg" for child in token.head.children):
        return True
    window = tokens[max(0, first - MAX_GAP) : first]
    return any(t.lower_ in NEGATIONS for _, t in window)


def _in_speaker(mentions: Sequence[Mention], pronoun: str, speaker: Subject) -> Mention | None:
    """In "X said it ...", "it" is X: the last fitting mention inside the speaker span."""
    if speaker.start is None or speaker.end is None:
        return None
    inside = [m for m in mentions if speaker.start <= m.start and m.end <= speaker.end]
    return resolve_pronoun(inside, pronoun, speaker.end)


def find_subject(
    tokens: Sequence[tuple[ParsedSentence, Token]],
    predicate_first: int,
    mentions: Sequence[Mention],
    speaker: Subject,
) -> Subject:
    """Scan back from the predicate for the thing it is said of."""
    for index in range(predicate_first - 1, -1, -1):
        sentence, token = tokens[index]
        start = sentence.start_of(token)
        if token.ent_type_ in ENTITY_LABELS:
            mention = next((m for m in mentions if m.start <= start < m.end), None)
            if mention is not None:
                return Subject(mention.start, mention.end, mention.text, "mention")
        word = token.lower_
        if token.pos_ == "PRON" and word in SPEAKER_PRONOUNS:
            return Subject(speaker.start, speaker.end, speaker.text, "pronoun")
        if token.pos_ == "PRON" and word in (PERSON_PRONOUNS | GROUP_PRONOUNS):
            antecedent = _in_speaker(mentions, word, speaker) or resolve_pronoun(mentions, word, start)
            if antecedent is not None:
                return Subject(antecedent.start, antecedent.end, antecedent.text, "pronoun")
            return Subject(speaker.start, speaker.end, speaker.text, "pronoun")
        if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("NOUN", "PROPN"):
            left = token.left_edge
            span_start = sentence.start_of(left)
            span_end = sentence.end_of(token)
            text = sentence.text[left.idx : token.idx + len(token.text)]
            return Subject(span_start, span_end, text, "noun_phrase")
    return Subject(speaker.start, speaker.end, speaker.text, "speaker" if speaker.text else "missing")
