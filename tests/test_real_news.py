"""Real news end to end: the Wikinews corpus (293 articles, CC BY 2.5) through the whole graph.

Needs ../shared beside the checkout (tests/conftest.py SHARED_DIR); skipped otherwise.
Every record ends in raw.articles (with its URL in raw.article_sources) or in
raw.quarantine with a reason.  Takes a few minutes.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from pipelines import real_news
from pipelines.run import RunSummary, run_pipeline
from tests.conftest import SHARED_DIR

WIKINEWS = SHARED_DIR / "corpora" / "wikinews" / "articles.jsonl"

needs_wikinews = pytest.mark.skipif(
    not WIKINEWS.exists(), reason=f"the Wikinews corpus is not here ({WIKINEWS}); it lives in ../shared beside the checkout"
)


@pytest.fixture(scope="module")
def wikinews_run(tmp_path_factory: pytest.TempPathFactory) -> RunSummary:
    warehouse = tmp_path_factory.mktemp("wikinews") / "claimhouse.duckdb"
    summary = run_pipeline([str(WIKINEWS)], warehouse)
    assert summary.success, summary.render()
    return summary


def _records() -> list[dict]:
    with WIKINEWS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@needs_wikinews
def test_every_wikinews_record_is_loaded_or_quarantined(wikinews_run: RunSummary) -> None:
    records = _records()
    con = duckdb.connect(str(wikinews_run.warehouse), read_only=True)
    try:
        loaded_urls = {url for (url,) in con.execute("select distinct url from raw.article_sources").fetchall()}
        quarantined = con.execute(
            "select origin_locator, reason_code, reason from raw.quarantine where origin_path like ?",
            [f"%{Path(WIKINEWS).name}"],
        ).fetchall()
        n_articles = con.execute("select count(*) from raw.articles").fetchone()[0]
        n_claims = con.execute("select count(*) from marts.fct_claims").fetchone()[0]
    finally:
        con.close()
    missing = [r["url"] for r in records if r["url"] not in loaded_urls]
    assert len(missing) == len(quarantined), (missing[:5], quarantined[:5])
    assert all(reason_code and reason for _, reason_code, reason in quarantined)
    assert n_articles + len(quarantined) >= len(records) - 1  # a word-for-word copy would be stored once
    assert n_articles >= 0.95 * len(records)
    assert n_claims > len(records)  # real news is full of attributed statements


@needs_wikinews
def test_wikinews_resolves_real_actors(wikinews_run: RunSummary) -> None:
    con = duckdb.connect(str(wikinews_run.warehouse), read_only=True)
    try:
        resolved = dict(
            con.execute(
                "select speaker_actor_id, count(*) from marts.fct_claims "
                "where speaker_actor_id is not null group by 1"
            ).fetchall()
        )
        lower_who = con.execute(
            "select count(*) from intermediate.int_names_resolved_to_actors "
            "where name_key = 'who' and actor_id is not null"
        ).fetchone()[0]
        by_surname = con.execute(
            "select count(*) from intermediate.int_names_resolved_to_actors "
            "where alias_source = 'article' and actor_id is not null"
        ).fetchone()[0]
        fictional = con.execute(
            "select count(*) from marts.fct_claims where speaker_actor_id in "
            "('KST_MOI', 'KST_CEC', 'KST_NHA', 'NCOMPACT', 'MERIDIAN', 'HALVARD', 'KST_CRP')"
        ).fetchone()[0]
        relatives = con.execute(
            "select count(*) from intermediate.int_names_resolved_to_actors "
            "where name_normalized like '%hunter biden%' and actor_id = 'USA_BIDEN'"
        ).fetchone()[0]
    finally:
        con.close()
    # imported countries / governments and the analyst's 2019-2020 office holders both resolve
    assert "USA_GOV" in resolved
    assert any(actor.endswith("_GOV") and actor not in {"USA_GOV", "RUS_GOV"} for actor in resolved)
    assert lower_who == 0  # the pronoun "who" is not the World Health Organization
    assert by_surname > 0  # "Johnson said" after "Boris Johnson" in the same article
    assert fictional == 0  # the sample corpus's generic short forms hold only where its world is named
    assert relatives == 0  # a discovered full name beats a seed surname inside it


# --- hand labels keyed by what was judged (no warehouse needed) --------------------------------------------


def _claim(claim_id: str, speaker: str = "Smith", content: str = "the dam was sabotaged") -> dict:
    sentence = f"{speaker} said {content}."
    return {"claim_id": claim_id, "url": "https://example.org/a", "sentence": sentence, "speaker_text": speaker,
            "speaker_actor_id": None, "cue": "said", "stance": "assert", "content": content,
            "extractor_version": "9.9.9",
            "claim_key": real_news.claim_key("https://example.org/a", sentence, speaker, "said", content)}


def test_claim_keys_survive_new_claim_ids_but_not_new_texts() -> None:
    key = real_news.claim_key("u", "Smith  said it.", "Smith", "Said", "it")
    assert key == real_news.claim_key("u", "Smith said it.", "Smith", "said", " it ")  # whitespace, cue case
    assert key != real_news.claim_key("u", "Smith said it.", "Smith", "said", "it.")  # content changed
    assert key != real_news.claim_key("u", "Smith said it.", "John Smith", "said", "it")  # speaker changed
    first, second = _claim("t_1")["claim_key"], _claim("t_2", speaker="Jones")["claim_key"]
    assert real_news.contradiction_key(first, second) == real_news.contradiction_key(second, first)


def test_id_keyed_labels_are_migrated_and_new_samples_appended(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    old = _claim("t_old_id")
    legacy_fields = ["claim_id", "label", "reason", "speaker_text", "speaker_actor_id", "cue", "stance", "content",
                     "sentence", "url", "extractor_version"]
    real_news.write_labels(path, legacy_fields, [{**old, "label": "correct", "reason": "fine"}])
    # the extractor changed: the same claim has a new id, and a new claim appeared
    same = {**_claim("t_new_id")}
    new = _claim("t_other", content="the dam failed")
    labels = real_news.sync_labels(path, "claim_key", real_news.CLAIM_FIELDS, [same, new], [same, new])
    assert labels[same["claim_key"]]["label"] == "correct"
    assert labels[new["claim_key"]]["label"] == ""
    assert real_news.precision([same, new], labels, "claim_key") == (1, 0, 1)
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[0] == "claim_key" and "claim_id" in header
    # a second run neither duplicates nor loses rows
    real_news.sync_labels(path, "claim_key", real_news.CLAIM_FIELDS, [same, new])
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3


def test_legacy_contradiction_labels_match_on_their_texts(tmp_path: Path) -> None:
    path = tmp_path / "contradictions.csv"
    a, b = _claim("t_a"), _claim("t_b", speaker="Jones", content="the dam was not sabotaged")
    item = {"contradiction_id": "x_new", "kind": "denial", "score": 0.9,
            "claim_key": a["claim_key"], "contradicting_claim_key": b["claim_key"],
            "contradiction_key": real_news.contradiction_key(a["claim_key"], b["claim_key"])}
    for side, claim in (("claim", a), ("contradicting", b)):
        item.update({f"{side}_speaker": claim["speaker_text"], f"{side}_cue": "said",
                     f"{side}_content": claim["content"], f"{side}_sentence": claim["sentence"],
                     f"{side}_url": claim["url"]})
    legacy = {k: v for k, v in item.items() if not k.endswith("_cue") and "key" not in k}
    # labelled the other way round, under an id the warehouse no longer has
    swapped = {**{k.replace("contradicting_", "@").replace("claim_", "contradicting_").replace("@", "claim_"): v
                  for k, v in legacy.items()}, "contradiction_id": "x_old", "label": "wrong", "reason": "consistent: no"}
    real_news.write_labels(path, ["contradiction_id", "label", "reason", "claim_speaker", "claim_content",
                                  "contradicting_speaker", "contradicting_content", "claim_sentence",
                                  "contradicting_sentence", "claim_url", "contradicting_url"], [swapped])
    labels = real_news.sync_labels(path, "contradiction_key", real_news.CONTRADICTION_FIELDS, [item], [item])
    assert labels[item["contradiction_key"]]["label"] == "wrong"
