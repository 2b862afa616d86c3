"""Extraction as one function over Arrow record batches, for any engine.

``extract_arrow`` takes a batch of articles (at least ``article_id`` and
``text``; ``day`` is carried through when present) and returns three Arrow
tables with exactly the columns ``pipelines.storage.extractions`` writes to
``raw.sentences``, ``raw.mentions`` and ``raw.attributions``, plus ``day``.
The Spark path (``DataFrame.mapInArrow``) calls it; the in-process path
(``ExtractorPool``) turns its results into the same tables with ``to_tables``,
in the worker processes, so the run's process receives Arrow buffers, never
millions of Python row objects.  The spaCy pipeline and the lexicon are loaded once per process
(``get_extractor``), so a Spark Python worker pays for them once, not per batch.

Engines whose map step has a single output schema (Spark's ``mapInArrow``)
use ``extract_tagged``: one stream of batches with a ``table`` column and one
struct column per output table; ``untag`` splits it back.

No Dagster and no engine imports here: pyarrow and the extraction library only.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from datetime import date
from typing import NamedTuple

import pyarrow as pa

from pipelines.extraction.extractor import ExtractionResult, Extractor
from pipelines.extraction.records import ArticleText, Attribution

DEFAULT_BATCH_SIZE = 500
"""Articles handed to the extractor at once: spaCy holds the docs of one sub-batch in memory."""

DAY = pa.field("day", pa.date32())

SENTENCES_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string()),
        pa.field("extractor_version", pa.string()),
        pa.field("sentence_index", pa.int32()),
        pa.field("start_char", pa.int32()),
        pa.field("end_char", pa.int32()),
        pa.field("sentence_text", pa.string()),
        pa.field("is_candidate", pa.bool_()),
        DAY,
    ]
)

MENTIONS_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string()),
        pa.field("extractor_version", pa.string()),
        pa.field("mention_index", pa.int32()),
        pa.field("sentence_index", pa.int32()),
        pa.field("start_char", pa.int32()),
        pa.field("end_char", pa.int32()),
        pa.field("mention_text", pa.string()),
        pa.field("entity_label", pa.string()),
        DAY,
    ]
)

_ATTRIBUTION_TYPES = {
    "attribution_id": pa.string(),
    "article_id": pa.string(),
    "extractor_version": pa.string(),
    "attribution_index": pa.int32(),
    "sentence_index": pa.int32(),
    "speaker_start": pa.int32(),
    "speaker_end": pa.int32(),
    "speaker_text": pa.string(),
    "speaker_resolved_start": pa.int32(),
    "speaker_resolved_end": pa.int32(),
    "speaker_resolved_text": pa.string(),
    "speaker_kind": pa.string(),
    "cue_start": pa.int32(),
    "cue_end": pa.int32(),
    "cue_text": pa.string(),
    "cue_lemma": pa.string(),
    "content_start": pa.int32(),
    "content_end": pa.int32(),
    "content_text": pa.string(),
    "is_direct": pa.bool_(),
    "is_multi_sentence": pa.bool_(),
    "is_negated": pa.bool_(),
    "predicate_family_id": pa.string(),
    "predicate_term": pa.string(),
    "predicate_polarity": pa.int32(),
    "subject_start": pa.int32(),
    "subject_end": pa.int32(),
    "subject_text": pa.string(),
    "subject_kind": pa.string(),
    "rule": pa.string(),
    "confidence": pa.float64(),
}
_ATTRIBUTION_FIELDS = [field.name for field in fields(Attribution)]
ATTRIBUTIONS_SCHEMA = pa.schema([pa.field(name, type_) for name, type_ in _ATTRIBUTION_TYPES.items()] + [DAY])

SCHEMAS: dict[str, pa.Schema] = {
    "sentences": SENTENCES_SCHEMA,
    "mentions": MENTIONS_SCHEMA,
    "attributions": ATTRIBUTIONS_SCHEMA,
}
"""Output table name -> its Arrow schema (the raw table's columns in DDL order, then ``day``)."""


def _without_day(schema: pa.Schema) -> pa.StructType:
    return pa.struct([field for field in schema if field.name != "day"])


TAGGED_SCHEMA = pa.schema(
    [pa.field("table", pa.string()), DAY]
    + [pa.field(name[:-1], _without_day(schema)) for name, schema in SCHEMAS.items()]
)
"""One schema for all three outputs: ``table`` names the output, the struct column of that name
(``sentence``, ``mention``, ``attribution``) holds the row, the other two are null."""


class ExtractedTables(NamedTuple):
    sentences: pa.Table
    mentions: pa.Table
    attributions: pa.Table


def attribution_id(article_id: str, extractor_version: str, index: int) -> str:
    """An attribution's key: stable for an article, extractor version and position."""
    digest = hashlib.sha256(f"{article_id}|{extractor_version}|{index}".encode()).hexdigest()
    return "t_" + digest[:16]


def concat(parts: Sequence[ExtractedTables]) -> ExtractedTables:
    """The outputs of several batches as one, in order (empty tables for no batches)."""
    if not parts:
        return ExtractedTables(*(schema.empty_table() for schema in SCHEMAS.values()))
    return ExtractedTables(*(pa.concat_tables(tables) for tables in zip(*parts)))


_extractor: Extractor | None = None
_extractor_lock = threading.Lock()


def get_extractor() -> Extractor:
    """The process's extractor (spaCy pipeline + lexicon), loaded on first use."""
    global _extractor
    if _extractor is None:
        with _extractor_lock:
            if _extractor is None:
                _extractor = Extractor()
    return _extractor


def extract_arrow(
    articles: pa.RecordBatch | pa.Table,
    *,
    extractor: Extractor | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ExtractedTables:
    """Sentences, mentions and attributions of a batch of articles, as Arrow tables.

    ``articles`` needs ``article_id`` and ``text`` columns; an optional ``day``
    (date) column is copied onto every output row of the article, else ``day``
    is null.  Other columns are ignored.
    """
    extractor = extractor or get_extractor()
    ids = articles.column("article_id").to_pylist()
    texts = articles.column("text").to_pylist()
    days = articles.column("day").to_pylist() if "day" in articles.schema.names else [None] * len(ids)
    day_of = dict(zip(ids, days))
    parts: list[ExtractedTables] = []
    for offset in range(0, len(ids), batch_size):
        batch = [ArticleText(a, t) for a, t in zip(ids[offset : offset + batch_size], texts[offset : offset + batch_size])]
        parts.append(to_tables(extractor.extract(batch), extractor.version, day_of))
    return concat(parts)


def to_tables(result: ExtractionResult, version: str, day_of: dict[str, date | None] | None = None) -> ExtractedTables:
    """An ``Extractor.extract`` result as Arrow tables of ``SCHEMAS``; ``day`` from ``day_of`` (article id -> day),
    else null."""
    day_of = day_of or {}
    sentences = {
        "article_id": [s.article_id for s in result.sentences],
        "extractor_version": [version] * len(result.sentences),
        "sentence_index": [s.sentence_index for s in result.sentences],
        "start_char": [s.start for s in result.sentences],
        "end_char": [s.end for s in result.sentences],
        "sentence_text": [s.text for s in result.sentences],
        "is_candidate": [s.is_candidate for s in result.sentences],
        "day": [day_of.get(s.article_id) for s in result.sentences],
    }
    mentions = {
        "article_id": [m.article_id for m in result.mentions],
        "extractor_version": [version] * len(result.mentions),
        "mention_index": [m.mention_index for m in result.mentions],
        "sentence_index": [m.sentence_index for m in result.mentions],
        "start_char": [m.start for m in result.mentions],
        "end_char": [m.end for m in result.mentions],
        "mention_text": [m.text for m in result.mentions],
        "entity_label": [m.label for m in result.mentions],
        "day": [day_of.get(m.article_id) for m in result.mentions],
    }
    found = result.attributions
    attributions = {
        # A column at a time: ``dataclasses.asdict`` deep-copies every field of every row.
        **{name: [getattr(a, name) for a in found] for name in _ATTRIBUTION_FIELDS},
        "attribution_id": [attribution_id(a.article_id, version, a.attribution_index) for a in found],
        "extractor_version": [version] * len(found),
        "day": [day_of.get(a.article_id) for a in found],
    }
    return ExtractedTables(
        pa.Table.from_pydict(sentences, schema=SENTENCES_SCHEMA),
        pa.Table.from_pydict(mentions, schema=MENTIONS_SCHEMA),
        pa.Table.from_pydict(attributions, schema=ATTRIBUTIONS_SCHEMA),
    )


def tag(tables: ExtractedTables) -> pa.Table:
    """The three outputs as one table of ``TAGGED_SCHEMA``."""
    parts = []
    for name, table in zip(SCHEMAS, tables):
        n = table.num_rows
        columns = {"table": pa.array([name] * n, pa.string()), "day": table.column("day")}
        for other, schema in SCHEMAS.items():
            struct_type = _without_day(schema)
            if other == name:
                columns[other[:-1]] = pa.StructArray.from_arrays(
                    [table.column(f.name).combine_chunks() for f in struct_type], fields=list(struct_type)
                ) if n else pa.array([], struct_type)
            else:
                columns[other[:-1]] = pa.nulls(n, struct_type)
        parts.append(pa.Table.from_pydict(columns, schema=TAGGED_SCHEMA))
    return pa.concat_tables(parts)


def untag(tagged: pa.Table) -> ExtractedTables:
    """Split a ``TAGGED_SCHEMA`` table back into the three outputs."""
    import pyarrow.compute as pc

    out = []
    for name, schema in SCHEMAS.items():
        rows = tagged.filter(pc.equal(tagged.column("table"), name))
        struct = rows.column(name[:-1]).combine_chunks()
        columns = {f.name: struct.field(f.name) for f in _without_day(schema)}
        columns["day"] = rows.column("day")
        out.append(pa.Table.from_pydict(columns, schema=schema))
    return ExtractedTables(*out)


def extract_tagged(batches: Iterable[pa.RecordBatch], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[pa.RecordBatch]:
    """``extract_arrow`` over a stream of article batches, as ``TAGGED_SCHEMA`` batches.

    This is the function Spark's ``DataFrame.mapInArrow`` runs on each worker.
    """
    for batch in batches:
        if batch.num_rows:
            yield from tag(extract_arrow(batch, batch_size=batch_size)).to_batches()
