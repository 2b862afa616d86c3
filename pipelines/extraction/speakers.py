"""Who a speaker span points to: itself, or an antecedent for pronouns and titles.

"he said" and "the ministry said" name nobody; the speaker is the nearest
earlier mention that fits (a person for he/she, an organization or state
for it/they, a mention holding the title's head word for "the ministry").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.extraction.records import Mention

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
