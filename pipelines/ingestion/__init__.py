"""Ingestion: read article files and folders into article or quarantine records.

Pure Python, no Dagster: the Dagster assets are thin wiring around
``read_articles`` and ``pipelines.storage.articles.load_records``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from .discover import InputFile, discover_inputs, iter_input_files
from .readers import DEFAULT_MAX_ARTICLE_CHARS, DEFAULT_MAX_FILE_BYTES, ReadOptions, make_quarantine, read_file
from .records import SUPPORTED_SUFFIXES, ArticleRecord, QuarantineRecord, ReasonCode

__all__ = [
    "ArticleRecord",
    "QuarantineRecord",
    "ReasonCode",
    "ReadOptions",
    "SUPPORTED_SUFFIXES",
    "read_articles",
    "read_file",
    "iter_input_files",
    "discover_inputs",
]


def read_articles(
    paths: Iterable[str | Path],
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
    now: datetime | None = None,
) -> Iterator[ArticleRecord | QuarantineRecord]:
    """Yield one record per input record found under ``paths``, in a deterministic order.

    Folders are walked recursively (sorted; hidden and ``_``-prefixed entries
    and README files skipped; symbolic links that lead outside a named folder,
    or loop, are refused as ``unsafe_path``, never followed). Bad files and records become
    ``QuarantineRecord``s; only a non-existent path raises
    (``FileNotFoundError``). ``now`` pins the clock for the date plausibility
    window (default: the current time).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]  # a lone string is iterable too, one character at a time
    path_list = list(paths)
    # Checked eagerly, at call time: a typo must fail before anything is read or loaded.
    for given in path_list:
        if not Path(given).exists():
            raise FileNotFoundError(
                f"Input path does not exist: {str(given)!r} (resolved to {Path(given).absolute()})"
            )
    options = ReadOptions(max_file_bytes=max_file_bytes, max_article_chars=max_article_chars, now=now)
    return _read_all(path_list, options)


def _read_all(paths: list[str | Path], options: ReadOptions) -> Iterator[ArticleRecord | QuarantineRecord]:
    for found in discover_inputs(paths):
        if isinstance(found, InputFile):
            yield from read_file(found.path, options, real_path=found.real_path)
        else:
            yield make_quarantine(str(found.path), "file", found.code, found.reason, "")
