"""Actor mentions: named entities of people, organizations, places and groups."""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.extraction.parsing import ENTITY_LABELS, ParsedSentence
from pipelines.extraction.records import Mention

# Leading words spaCy sometimes pulls into an entity ("Said" after a name).
_TRAILING_NOISE = frozenset({"said", "says", "told", "added"})


def find_mentions(article_id: str, sentences: Iterable[ParsedSentence]) -> list[Mention]:
    """One mention per named entity of an actor-like type, in text order."""
    mentions: list[Mention] = []
    for sentence in sentences:
        for entity in sentence.doc.ents:
            if entity.label_ not in ENTITY_LABELS:
                continue
            tokens = list(entity)
            while tokens and tokens[-1].lower_ in _TRAILING_NOISE:
                tokens.pop()
            if not tokens:
                continue
            start = sentence.start_of(tokens[0])
            end = sentence.start_of(tokens[-1]) + len(tokens[-1].text)
            text = sentence.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
            mentions.append(
                Mention(
                    article_id=article_id,
                    mention_index=len(mentions),
                    sentence_index=sentence.sentence_index,
                    start=start,
                    end=end,
                    text=text,
                    label=entity.label_,
                )
            )
    return mentions
