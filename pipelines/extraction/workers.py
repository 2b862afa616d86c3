"""Extraction on several processes: each worker holds its own Extractor.

spaCy keeps one core busy per process, so a batch split across N worker
processes extracts up to N times faster.  Workers start lazily, on the first
batch big enough to split, and each loads the language models once.  Small
batches (a handful of articles: the sample corpus, one feed poll) are
extracted in this process, where starting workers would cost more than it saves.

Results come back as Arrow tables (``arrow_batches.SCHEMAS``), built in the
workers: handing the run's process a batch's buffers instead of its Python
objects keeps that long-lived process from growing while it extracts.

>>> with ExtractorPool(workers=1) as pool:
...     tables = pool.extract([ArticleText("a1", "Kestria said it would leave.")])
>>> tables.attributions.column("cue_lemma").to_pylist()
['say']
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipelines.extraction.arrow_batches import ExtractedTables, concat, to_tables
from pipelines.extraction.extractor import Extractor
from pipelines.extraction.records import ArticleText
from pipelines.settings import SEEDS_DIR

# Below this many articles a worker, splitting a batch is not worth the hand-off.
MIN_ARTICLES_PER_WORKER = 25

_worker_extractor: Extractor | None = None  # one per worker process, set by _start_worker


def _start_worker(seeds_dir: str) -> None:
    global _worker_extractor
    _worker_extractor = Extractor(Path(seeds_dir))


def _worker_version() -> str:
    return _worker_extractor.version


def _extract_chunk(articles: list[ArticleText]) -> ExtractedTables:
    return to_tables(_worker_extractor.extract(articles), _worker_extractor.version)


def split_by_words(articles: Sequence[ArticleText], parts: int) -> list[list[ArticleText]]:
    """Contiguous chunks of about equal word count: extraction time follows the words."""
    words = [max(1, article.text.count(" ") + 1) for article in articles]
    total = sum(words)
    chunks: list[list[ArticleText]] = [[] for _ in range(max(1, min(parts, len(articles))))]
    seen = 0
    for article, n in zip(articles, words):
        index = min(len(chunks) - 1, seen * len(chunks) // total)
        chunks[index].append(article)
        seen += n
    return [chunk for chunk in chunks if chunk]


@dataclass(frozen=True)
class _Submitted:
    articles: list[ArticleText]
    chunks: list[Future[ExtractedTables]] | None  # None: too small to split, extracted in this process


class ExtractorPool:
    """``Extractor.extract`` spread over ``workers`` processes, as Arrow tables in input order."""

    def __init__(self, workers: int, seeds_dir: Path = SEEDS_DIR,
                 min_articles_per_worker: int = MIN_ARTICLES_PER_WORKER) -> None:
        self.workers = max(1, workers)
        self.seeds_dir = seeds_dir
        self.min_articles_per_worker = max(1, min_articles_per_worker)
        self._local: Extractor | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._version: str | None = None

    @property
    def version(self) -> str:
        """The extractor version every worker reports (loads the models here if none is running)."""
        if self._version is None:
            self._version = self._pool.submit(_worker_version).result() if self._pool else self._in_process().version
        return self._version

    def extract(self, articles: Sequence[ArticleText]) -> ExtractedTables:
        """The articles' sentences, mentions and attributions (``day`` null)."""
        return self._collect(self._submit(list(articles)))

    def extract_batches(
        self, batches: Iterable[Sequence[ArticleText]]
    ) -> Iterator[tuple[list[ArticleText], ExtractedTables]]:
        """Each batch with its tables, in order, the next batch extracting while the caller handles one.

        The workers get the next batch before this waits for the current one, so they
        go on while the caller writes a result and reads the next batch (``batches`` is
        consumed one batch ahead): without it they sat idle through every write.
        """
        batches = iter(batches)
        current = self._submit(list(first)) if (first := next(batches, None)) is not None else None
        while current is not None:
            following = next(batches, None)
            upcoming = self._submit(list(following)) if following is not None else None
            yield current.articles, self._collect(current)
            current = upcoming

    def _submit(self, articles: list[ArticleText]) -> _Submitted:
        parts = min(self.workers, len(articles) // self.min_articles_per_worker)
        if parts < 2:  # extracted here, when collected
            return _Submitted(articles, None)
        pool = self._workers()
        return _Submitted(articles, [pool.submit(_extract_chunk, chunk) for chunk in split_by_words(articles, parts)])

    def _collect(self, submitted: _Submitted) -> ExtractedTables:
        if submitted.chunks is None:
            local = self._in_process()
            return to_tables(local.extract(submitted.articles), local.version)
        return concat([chunk.result() for chunk in submitted.chunks])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _in_process(self) -> Extractor:
        if self._local is None:
            self._local = Extractor(self.seeds_dir)
        return self._local

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the parent may hold threads (Dagster, DuckDB) that a fork would copy mid-lock.
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(str(self.seeds_dir),),
            )
            version = self._pool.submit(_worker_version).result()
            if self._version is not None and version != self._version:
                raise RuntimeError(f"extraction workers report {version}, this process {self._version}")
            self._version = version
        return self._pool
