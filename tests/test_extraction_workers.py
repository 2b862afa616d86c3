"""Extraction on worker processes gives exactly what one process gives."""

from __future__ import annotations

import json

import pytest

from pipelines.benchmark.corpus import iter_records
from pipelines.extraction import ArticleText, Extractor, arrow_batches
from pipelines.extraction.workers import ExtractorPool, split_by_words
from pipelines.settings import EXTRACT_WORKERS_ENV_VAR, extract_workers


def _articles(n: int) -> list[ArticleText]:
    articles = []
    for kind, line in iter_records(n * 2, seed=7):
        if kind == "article":  # not the generator's duplicates and malformed records
            record = json.loads(line)
            articles.append(ArticleText(record["id"], record["text"]))
    return articles[:n]


def test_two_workers_extract_what_one_process_extracts() -> None:
    articles = _articles(12)
    assert len(articles) == 12
    extractor = Extractor()
    expected = arrow_batches.to_tables(extractor.extract(articles), extractor.version)
    with ExtractorPool(workers=2, min_articles_per_worker=1) as pool:
        got = pool.extract(articles)
        assert pool._pool is not None, "the batch should have been split across worker processes"
        assert pool.version == extractor.version
    for name, schema in arrow_batches.SCHEMAS.items():
        assert getattr(got, name).schema == schema, name
        assert getattr(got, name).to_pylist() == getattr(expected, name).to_pylist(), name
    assert expected.attributions.num_rows > 10


def test_batches_come_back_in_order_while_the_next_one_extracts() -> None:
    articles = _articles(12)
    pulled: list[int] = []

    def three_batches():  # noqa: ANN202 - a generator of batches, as the pipeline reads them
        for start in range(0, 12, 4):
            pulled.append(start)
            yield articles[start : start + 4]

    with ExtractorPool(workers=2, min_articles_per_worker=1) as pool:
        results = [(batch, tables, len(pulled)) for batch, tables in pool.extract_batches(three_batches())]
        whole = pool.extract(articles)
    assert [batch for batch, _, _ in results] == [articles[0:4], articles[4:8], articles[8:12]]
    # Each batch reaches the caller once the next one was read and handed to the workers.
    assert [n for _, _, n in results] == [2, 3, 3]
    for batch, tables, _ in results:
        assert set(tables.sentences.column("article_id").to_pylist()) == {a.article_id for a in batch}
    together = arrow_batches.concat([tables for _, tables, _ in results])
    for name in arrow_batches.SCHEMAS:
        assert getattr(together, name).to_pylist() == getattr(whole, name).to_pylist(), name


def test_small_batches_stay_in_process() -> None:
    with ExtractorPool(workers=2) as pool:  # 3 articles: below the split threshold
        result = pool.extract([ArticleText("a1", "Kestria said it would leave."),
                               ArticleText("a2", "Valdoria denied the report."),
                               ArticleText("a3", "Nobody spoke.")])
        assert pool._pool is None
    assert result.attributions.column("article_id").to_pylist() == ["a1", "a2"]


def test_chunks_keep_order_and_balance_words() -> None:
    articles = [ArticleText(f"a{i}", "word " * (10 if i % 2 else 300)) for i in range(20)]
    chunks = split_by_words(articles, 2)
    assert [a for chunk in chunks for a in chunk] == articles
    words = [sum(a.text.count(" ") for a in chunk) for chunk in chunks]
    assert abs(words[0] - words[1]) <= 300
    assert split_by_words(articles[:1], 4) == [articles[:1]]


def test_worker_count_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXTRACT_WORKERS_ENV_VAR, "3")
    assert extract_workers() == 3
    monkeypatch.setenv(EXTRACT_WORKERS_ENV_VAR, "none")
    with pytest.raises(ValueError, match="whole number"):
        extract_workers()
    monkeypatch.delenv(EXTRACT_WORKERS_ENV_VAR)
    assert extract_workers() >= 1
