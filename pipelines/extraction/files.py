"""Extraction over plain text files, for evaluation and ad-hoc use.

The whole file is the article text (title line included), so offsets index
into the file exactly as read; this is what ``claimhouse extract`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pipelines.extraction.extractor import Extractor
from pipelines.extraction.records import ArticleText

BATCH_SIZE = 50


def text_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the ``*.txt`` files under the folders named, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found


def extract_files(files: Iterable[Path], extractor: Extractor) -> Iterator[dict[str, object]]:
    """One JSON-ready dict per attribution, with offsets into each file's text."""
    stances = {cue.cue: cue.stance for cue in extractor.lexicon.cues}
    batch: list[ArticleText] = []
    for path in files:
        batch.append(ArticleText(path.name, path.read_text(encoding="utf-8", errors="replace")))
        if len(batch) >= BATCH_SIZE:
            yield from _rows(batch, extractor, stances)
            batch = []
    if batch:
        yield from _rows(batch, extractor, stances)


def _rows(batch: list[ArticleText], extractor: Extractor, stances: dict[str, str]) -> Iterator[dict[str, object]]:
    for a in extractor.extract(batch).attributions:
        yield {
            "file": a.article_id,
            "speaker_start": a.speaker_start,
            "speaker_end": a.speaker_end,
            "cue_start": a.cue_start,
            "cue_end": a.cue_end,
            "content_start": a.content_start,
            "content_end": a.content_end,
            "speaker_text": a.speaker_text,
            "speaker_resolved_text": a.speaker_resolved_text,
            "cue_text": a.cue_text,
            "content_text": a.content_text,
            "stance": stances.get(a.cue_lemma, "assert"),
            "is_direct": a.is_direct,
            "rule": a.rule,
            "extractor_version": extractor.version,
        }
