"""The benchmark corpus generator: deterministic, the requested size, ingestible, realistic.

The benchmark itself is not run here: its speed targets are checked by
``make bench``, not by unit tests.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from pipelines.benchmark import corpus
from pipelines.extraction.sentences import split_sentences
from pipelines.ingestion import ArticleRecord, QuarantineRecord, read_articles
from pipelines.ingestion.identity import content_hash

N = 200


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus_200(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus200")
    manifest = corpus.generate(out, N, seed=11, per_file=80)
    return out, manifest


def _lines(folder: Path) -> list[str]:
    return [line for p in sorted(folder.glob("*.jsonl")) for line in p.read_text(encoding="utf-8").splitlines()]


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    corpus.generate(tmp_path / "a", 120, seed=5)
    corpus.generate(tmp_path / "b", 120, seed=5)
    corpus.generate(tmp_path / "c", 120, seed=6)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_records_depend_only_on_seed_and_index(tmp_path: Path) -> None:
    """A prefix of a larger corpus is the smaller corpus; an offset batch continues it."""
    whole = [line for _, line in corpus.iter_records(60, seed=3)]
    assert [line for _, line in corpus.iter_records(40, seed=3)] == whole[:40]
    later = [line for _, line in corpus.iter_records(20, seed=3, offset=40)]
    ids = {json.loads(line)["id"] for line in whole[:40] if line.endswith("}")}
    assert not ids & {json.loads(line)["id"] for line in later if line.endswith("}")}


def test_requested_count_with_malformed_share_accounted_for(corpus_200: tuple[Path, dict]) -> None:
    folder, manifest = corpus_200
    lines = _lines(folder)
    assert len(lines) == manifest["records"] == N
    assert len(manifest["files"]) == 3  # 80 + 80 + 40 records
    assert manifest["articles"] + manifest["duplicates"] + manifest["malformed"] == N
    # The share over a larger stream stays near 0.5% malformed and 2% duplicates.
    kinds = Counter(corpus._kind(11, index) for index in range(4000))
    malformed = sum(kinds[k] for k in corpus.MALFORMED_KINDS)
    assert 0.002 <= malformed / 4000 <= 0.01, kinds
    assert 0.01 <= kinds["duplicate"] / 4000 <= 0.03, kinds
    assert all(kinds[k] > 0 for k in corpus.MALFORMED_KINDS), kinds


def test_output_ingests_every_line(corpus_200: tuple[Path, dict]) -> None:
    folder, manifest = corpus_200
    records = list(read_articles([folder]))  # the _manifest file is skipped, like every _-prefixed name
    articles = [r for r in records if isinstance(r, ArticleRecord)]
    quarantined = [r for r in records if isinstance(r, QuarantineRecord)]
    assert len(articles) + len(quarantined) == len(_lines(folder)) == N
    assert len(quarantined) == manifest["malformed"]
    for article in articles:
        assert article.url and ".example/" in article.url
        assert article.source and article.published_at and article.author
        assert 150 <= len(article.text.split()) <= 2500


def test_malformed_records_are_quarantined(tmp_path: Path) -> None:
    """Each malformed kind reaches raw.quarantine, never raw.articles."""
    world = corpus.build_world(2)
    indexes = [i for i in range(3000) if corpus._kind(2, i) in corpus.MALFORMED_KINDS]
    malformed = [corpus._record_line(world, 2, i, 0) for i in indexes]
    assert {k for k, _ in malformed} == set(corpus.MALFORMED_KINDS)
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(line + "\n" for _, line in malformed), encoding="utf-8")
    records = list(read_articles([path]))
    assert len(records) == len(malformed)
    assert all(isinstance(r, QuarantineRecord) for r in records), [type(r).__name__ for r in records]


def test_syndicated_duplicates_exist(corpus_200: tuple[Path, dict]) -> None:
    folder, manifest = corpus_200
    articles = [r for r in read_articles([folder]) if isinstance(r, ArticleRecord)]
    hashes = Counter(content_hash(a.title, a.text) for a in articles)
    duplicated = sum(n - 1 for n in hashes.values() if n > 1)
    assert manifest["duplicates"] > 0
    assert duplicated == manifest["duplicates"]
    # Syndicated copies come from another publisher and URL.
    by_hash: dict[str, set[str]] = {}
    for a in articles:
        by_hash.setdefault(content_hash(a.title, a.text), set()).add(a.url)
    assert any(len(urls) > 1 for urls in by_hash.values())


def test_thousands_of_actors_and_seed_actors_appear(corpus_200: tuple[Path, dict]) -> None:
    folder, _ = corpus_200
    world = corpus.build_world(11)
    assert world.n_actors >= 2000
    text = "\n".join(line for _, line in corpus.iter_records(1000, seed=11))
    for seed_actor in ("Valdoria", "Kestria", "Northern Compact", "Meridian"):
        assert seed_actor in text
    for cue in (" said ", " denied ", " doubted ", ' said.', "According to "):
        assert cue in text


def test_candidate_share_is_realistic(corpus_200: tuple[Path, dict], extractor) -> None:  # noqa: ANN001
    """About 15-25% of sentences are attributed; the extractor's cheap filter agrees."""
    folder, _ = corpus_200
    articles = [r for r in read_articles([folder]) if isinstance(r, ArticleRecord)][:60]
    total = candidates = 0
    for article in articles:
        for start, end in split_sentences(article.text):
            total += 1
            candidates += extractor.is_candidate(article.text[start:end])
    assert total > 1000
    assert 0.12 <= candidates / total <= 0.30, candidates / total


def _background_templates() -> tuple[str, ...]:
    """Every template of a sentence that carries no claim."""
    return corpus._BACKGROUND + corpus._NON_POLITICAL + tuple(
        t for pool in corpus._BACKGROUND_BY_FAMILY.values() for t in pool)


def test_no_background_sentence_runs_through_the_corpus(corpus_200: tuple[Path, dict]) -> None:
    """Background varies from article to article: no sentence that is not a claim is in one article out of
    eight (before their places, days and figures were filled in, one was in 72 of these 194)."""
    folder, _ = corpus_200
    articles = {content_hash(r.title, r.text): r.text for r in read_articles([folder]) if isinstance(r, ArticleRecord)}
    first_words = {t.split(" ", 1)[0] for t in _background_templates() if not t.startswith("{")}
    in_articles = Counter(
        sentence for text in articles.values()
        for sentence in {text[start:end] for start, end in split_sentences(text)}
        if sentence.split(" ", 1)[0] in first_words and not sentence.startswith('"'))
    sentence, n = in_articles.most_common(1)[0]
    assert n / len(articles) < 1 / 8, (sentence, n, len(articles))


def test_background_sentences_carry_no_cue(extractor) -> None:  # noqa: ANN001
    """Background templates must not trip the candidate filter, or the attributed share drifts."""
    assert [t for t in _background_templates() if extractor.is_candidate(t)] == []


def test_extractor_finds_claims_in_the_corpus(corpus_200: tuple[Path, dict], extractor) -> None:  # noqa: ANN001
    from pipelines.extraction.records import ArticleText

    folder, _ = corpus_200
    articles = [r for r in read_articles([folder]) if isinstance(r, ArticleRecord)][:4]
    result = extractor.extract([ArticleText(a.article_id, a.text) for a in articles])
    assert len(result.attributions) >= 10
    assert {a.cue_lemma for a in result.attributions} & {"deny", "doubt", "dismiss", "reject", "question"}
    assert any(a.predicate_family_id for a in result.attributions)


def test_cli_writes_a_corpus(tmp_path: Path) -> None:
    assert corpus.main(["--articles", "25", "--seed", "4", "--per-file", "10", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.jsonl"))) == 3
    assert len(_lines(tmp_path)) == 25
