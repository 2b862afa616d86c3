"""The entities of sentences recognized before, by text, across batches.

News repeats itself across days and publishers: syndicated copies of a story, a statement quoted
again.  A batch parses each distinct sentence once (``Extractor.parse_streams``); this cache carries
the entity recognizer's answer for a sentence outside the candidates to later batches, so a
sentence recognized once is only tokenized again.  spaCy recognizes each of our sentences on its
own, so its entities depend on the text alone.

Bounded: it keeps the most recently used ``capacity`` sentences, each as a 16-byte digest of its
text and a flat tuple of token positions and labels (about 30 MiB for 100,000 sentences), so a long
run's memory does not grow with the corpus.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

DEFAULT_CAPACITY = 200_000

_Entities = tuple[int, ...]  # first token, end token and label id of each entity, one after the other


class EntityCache:
    """Least recently used sentence texts -> the entities recognized in them."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = max(0, capacity)
        self._entities: OrderedDict[bytes, _Entities] = OrderedDict()
        self._labels: dict[int, int] = {}  # one int object per label, shared by every entry
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entities)

    def recall(self, text: str, make_doc) -> Doc | None:  # noqa: ANN001 - the pipeline's tokenizer
        """The sentence tokenized by ``make_doc`` with the entities recognized in it before, or None."""
        key = _key(text)
        entities = self._entities.get(key)
        if entities is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entities.move_to_end(key)
        return _with_entities(make_doc(text), entities)

    def remember(self, text: str, doc: Doc) -> None:
        """Keep what the entity recognizer found in ``doc`` (the parse of ``text``)."""
        if not self.capacity:
            return
        key = _key(text)
        self._entities[key] = tuple(
            value for entity in doc.ents
            for value in (entity.start, entity.end, self._labels.setdefault(entity.label, entity.label))
        )
        self._entities.move_to_end(key)
        while len(self._entities) > self.capacity:
            self._entities.popitem(last=False)


def _key(text: str) -> bytes:
    # 16 bytes instead of the text (a sentence is 130 characters on average); a collision between two
    # of a run's sentences has a chance of about 2^-128 per pair.
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _with_entities(doc: Doc, entities: _Entities) -> Doc:
    # The recognizer marks every token: inside an entity or outside all of them.
    from spacy.tokens import Span

    spans = [Span(doc, entities[i], entities[i + 1], label=entities[i + 2]) for i in range(0, len(entities), 3)]
    doc.set_ents(spans, default="outside")
    return doc
