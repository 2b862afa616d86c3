"""Who a speaker span points to: itself, or an antecedent for pronouns and titles.

"he said" and "the ministry said" name nobody; the speaker is the nearest
earlier mention that fits (a person for he/she, an organization or state
for it/they, a mention holding the title's head word for "the ministry"),
or, read on the parse first, the subject of the clause above the pronoun or
of the sentence before. A relative pronoun ("voters who said") stands for
the noun its clause modifies; "you", "it", "this", "there" alone name
nobody: they stay the written speaker, of kind "missing" (``resolve_speaker``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.extraction.parsing import ParsedArticle, ParsedSentence
from pipelines.extraction.records import Mention, Subject

if TYPE_CHECKING:
    from spacy.tokens import Token

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"it", "its", "they", "them", "their"})
SPEAKER_PRONOUNS = frozenset({"we", "our", "i", "my"})
# The subject of a relative clause ("voters who said ..."): it stands for the noun the clause modifies.
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that"})
# Words that alone name no speaker: generic "you", "one", dummy "it" and "there", demonstratives.
NOT_SPEAKERS = frozenset({"you", "it", "this", "there", "that", "one", "these", "those", "what", "whoever"})
PERSON_TITLES = frozenset(
    """president minister spokesman spokeswoman spokesperson secretary chief leader
    premier chancellor ambassador envoy general commander director official
    prime-minister governor mayor senator""".split()
)
ORGANIZATION_HEADS = frozenset(
    """ministry government agency commission party company firm alliance office
    department army military council committee palace regulator court
    university mission administration bureau authority""".split()
)
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"})
PERSON_LABELS = frozenset({"PERSON"})
# "they" speaks for people or organizations, never for a place ("in Mumbai, they said": not Mumbai).
PLURAL_SPEAKER_LABELS = frozenset({"ORG", "NORP"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})


@dataclass(frozen=True)
class ResolvedSpan:
    start: int
    end: int
    text: str


def nearest_mention(
    mentions: Sequence[Mention], before: int, labels: frozenset[str], head_word: str | None = None
) -> Mention | None:
    """The last mention ending at or before ``before`` with one of ``labels``.

    With ``head_word``, the mention must contain it ("ministry" for "the ministry").
    """
    for mention in reversed(mentions):
        if mention.end > before or mention.label not in labels:
            continue
        if head_word is None or head_word in mention.text.lower():
            return mention
    return None


def resolve_pronoun(mentions: Sequence[Mention], pronoun: str, position: int) -> Mention | None:
    word = pronoun.lower()
    if word in PERSON_PRONOUNS:
        return nearest_mention(mentions, position, PERSON_LABELS)
    if word in PLURAL_PRONOUNS:
        return nearest_mention(mentions, position, PLURAL_SPEAKER_LABELS)
    if word in GROUP_PRONOUNS:
        return nearest_mention(mentions, position, GROUP_LABELS)
    return None


def resolve_title(mentions: Sequence[Mention], head_lemma: str, position: int, text: str = "") -> Mention | None:
    """Antecedent of a definite description such as "the ministry" or "the minister".

    For a person's title, the last person the article introduced with that title ("President X",
    "X, the president") comes first: the nearest person name may be someone else, or a name the
    tagger took for a person ("Twitter").
    """
    if head_lemma in ORGANIZATION_HEADS:
        return nearest_mention(mentions, position, GROUP_LABELS, head_word=head_lemma)
    if head_lemma in PERSON_TITLES:
        titled = _titled_person(mentions, head_lemma, position, text)
        return titled or nearest_mention(mentions, position, PERSON_LABELS)
    return None


def _titled_person(mentions: Sequence[Mention], title: str, position: int, text: str) -> Mention | None:
    for mention in reversed(mentions):
        if mention.end > position or mention.label not in PERSON_LABELS:
            continue
        before = text[max(0, mention.start - 24) : mention.start].lower().split()
        after = text[mention.end : mention.end + 24].lower().replace(",", " ").split()
        if before[-1:] == [title] or after[:2] == ["the", title]:
            return mention
    return None


# Clauses after a noun that say what its people do or are ("scientists studying patients in X", "voters who
# live in Y"): the place or group inside them is not who the speaker is.
_MODIFIER_CLAUSES = frozenset({"acl", "relcl"})
# Titles before a name that make it a person's, whatever entity label the parser gave it ("Dr Martisius").
_PERSON_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "prof", "professor", "sir", "dame"})


def resolve_speaker(
    tokens: Sequence[Token], sentence: ParsedSentence, parsed: ParsedArticle, mentions: Sequence[Mention]
) -> tuple[str, Subject, Subject]:
    """The speaker of an attribution whose speaker is written as ``tokens``: (kind, the span as written, the
    span it resolves to); kind is "named", "title", "pronoun" or "missing"."""
    if not tokens:
        missing = Subject(None, None, None, "missing")
        return "missing", missing, missing
    start, end = sentence.start_of(tokens[0]), sentence.end_of(tokens[-1])
    written = Subject(start, end, sentence.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)], "")
    head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[-1])
    word = head.lower_
    if len(tokens) == 1 and word in RELATIVE_PRONOUNS:
        noun = _relative_antecedent(head)
        if noun is not None:
            antecedent = _as_subject(resolve_pronoun(mentions, noun[0].lower_, start)) if len(noun) == 1 else None
            return "pronoun", written, antecedent or _tokens_subject(sentence, noun)
    if len(tokens) == 1 and word in NOT_SPEAKERS:
        missing = Subject(None, None, None, "missing")
        return "missing", written, missing  # "you said", "it said", "this says": nobody named
    if len(tokens) == 1 and head.pos_ == "PRON" and word in (PERSON_PRONOUNS | GROUP_PRONOUNS | SPEAKER_PRONOUNS):
        subject = _subject_before(head, mentions)
        if subject is not None:
            return "pronoun", written, _tokens_subject(sentence, subject)
        previous = _previous_subject(head, sentence, parsed, mentions)
        if previous is not None:
            return "pronoun", written, _tokens_subject(*previous)
        antecedent = resolve_pronoun(mentions, word, start)
        return "pronoun", written, _as_subject(antecedent) or written
    has_entity = any(t.ent_type_ for t in tokens)
    lemma = head.lemma_.lower()
    if not has_entity and tokens[0].lower_ == "the" and lemma in (ORGANIZATION_HEADS | PERSON_TITLES):
        antecedent = resolve_title(mentions, lemma, start, parsed.text)
        return "title", written, _as_subject(antecedent) or written
    return "named", written, _without_modifier_clause(sentence, tokens, head) or written


def _without_modifier_clause(sentence: ParsedSentence, tokens: list[Token], head: Token) -> Subject | None:
    """The span a named speaker resolves by, without a clause that modifies its head noun: "scientists
    studying patients in a Kestrian province" is resolved as "scientists" (no actor), never as Kestria; the
    written span stays the speaker as written.  None when there is no such clause."""
    clause = next((c for c in head.children if c.dep_ in _MODIFIER_CLAUSES and c.i > head.i and c in tokens), None)
    if clause is None or any(c.dep_ == "agent" for c in clause.children):
        return None  # "a statement released by the ministry": the agent is the source, kept
    first = clause.doc[clause.left_edge.i]
    if first.ent_iob_ == "I" or (first.is_upper and len(first.text) > 1) or (first.is_title and first.i > 0):
        return None  # a name read as a clause ("the Committee to Protect Journalists", "WHO report", "Who Gives a Crap")
    kept = [t for t in tokens if t.i < clause.left_edge.i]
    while kept and (kept[-1].is_punct or kept[-1].lower_ in RELATIVE_PRONOUNS):
        kept.pop()
    if not kept or head not in kept:
        return None
    return _tokens_subject(sentence, kept)


def _subject_before(pronoun: Token, mentions: Sequence[Mention] = ()) -> list[Token] | None:
    """The antecedent of "he"/"she"/"they" in a clause below another clause of the same sentence: that
    clause's subject, when it stands before the pronoun and agrees with it ("Waseem appeared at a news
    conference in which he expressed ..." -> Waseem; "The stores were reluctant, according to a report in
    which they said ..." -> The stores), before any nearer name ("ABC Australia")."""
    word = pronoun.lower_
    if word not in PERSON_PRONOUNS and word not in PLURAL_PRONOUNS:
        return None
    clause = pronoun.head
    for ancestor in clause.ancestors:
        subject = next((c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.i >= pronoun.i or subject.pos_ == "PRON" or subject.lower_ in RELATIVE_PRONOUNS:
            continue
        if word in PERSON_PRONOUNS:
            agrees = subject.ent_type_ == "PERSON" or (
                subject.tag_ == "NNP" and (not subject.ent_type_ or _person_elsewhere(subject, mentions))
            )
        else:
            agrees = subject.tag_ in ("NNS", "NNPS") or subject.ent_type_ in PLURAL_SPEAKER_LABELS
        if not agrees:
            return None  # the nearest subject is someone else: leave it to the mentions
        phrase = [t for t in subject.subtree if t.i <= subject.i and not t.is_punct]
        first = next((i for i, t in enumerate(phrase) if t.i == subject.left_edge.i), 0)
        phrase = phrase[first:]
        return phrase if phrase and phrase[-1].i - phrase[0].i + 1 == len(phrase) else [subject]
    return None


def _previous_subject(
    pronoun: Token, sentence: ParsedSentence, parsed: ParsedArticle, mentions: Sequence[Mention] = ()
) -> tuple[ParsedSentence, list[Token]] | None:
    """The antecedent of a sentence-opening "He"/"She": the subject of the sentence before, when it names a
    person ("Winch said he ... . He then approached a director" -> Winch), before any nearer name in an
    object ("told Wikinews"); None when that sentence was not parsed or its subject is no person's name."""
    if pronoun.lower_ not in PERSON_PRONOUNS or pronoun.dep_ != "nsubj" or pronoun.head.dep_ != "ROOT":
        return None
    position = next((i for i, s in enumerate(parsed.sentences) if s is sentence), 0)
    if position == 0:
        return None
    before = parsed.sentences[position - 1]
    root = next((t for t in before.doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None  # not parsed (no cue in it): the mentions decide
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ == "PRON":
        return None
    phrase = [t for t in subject.subtree if t.i <= subject.i and not t.is_punct]
    phrase = [t for t in phrase if t.i >= subject.left_edge.i]
    titled = any(t.lower_.rstrip(".") in _PERSON_HONORIFICS for t in phrase)
    if not (subject.ent_type_ == "PERSON"
            or (subject.tag_ == "NNP" and (not subject.ent_type_ or titled or _person_elsewhere(subject, mentions)))):
        return None
    if not phrase or phrase[-1].i - phrase[0].i + 1 != len(phrase):
        phrase = [subject]
    return before, phrase


def _person_elsewhere(name: Token, mentions: Sequence[Mention]) -> bool:
    """The parser may label a surname alone an organization ("Trump had asked"): a person elsewhere in the
    article by that surname makes it a person's name."""
    return any(m.label == "PERSON" and m.text.split()[-1] == name.text for m in mentions)


def _relative_antecedent(pronoun: Token) -> list[Token] | None:
    """The noun phrase a relative clause modifies, without the clause: "voters" in "voters who said"."""
    clause = pronoun.head
    for _ in range(4):
        if clause.dep_ == "relcl":
            break
        if clause.head.i == clause.i:
            return None
        clause = clause.head
    else:
        return None
    noun = clause.head
    if noun.i > pronoun.i:
        return None
    phrase = [t for t in noun.subtree if t.i < clause.left_edge.i]
    while phrase and (phrase[-1].is_punct or phrase[-1].lower_ in RELATIVE_PRONOUNS):
        phrase.pop()
    while phrase and phrase[0].is_punct:
        phrase.pop(0)
    if not phrase or noun not in phrase or phrase[-1].i - phrase[0].i + 1 != len(phrase):
        return [noun]
    return phrase


def _tokens_subject(sentence: ParsedSentence, tokens: list[Token]) -> Subject:
    first, last = tokens[0], tokens[-1]
    return Subject(sentence.start_of(first), sentence.end_of(last),
                   sentence.text[first.idx : last.idx + len(last.text)], "")


def _as_subject(mention: Mention | None) -> Subject | None:
    return None if mention is None else Subject(mention.start, mention.end, mention.text, "mention")
