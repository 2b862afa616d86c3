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

from pipelines.run import RunSummary, run_pipeline
from tests.conftest import SHARED_DIR

WIKINEWS = SHARED_DIR / "corpora" / "wikinews" / "articles.jsonl"

pytestmark = pytest.mark.skipif(
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
    finally:
        con.close()
    # imported countries / governments and the analyst's 2019-2020 office holders both resolve
    assert "USA_GOV" in resolved
    assert any(actor.endswith("_GOV") and actor not in {"USA_GOV", "RUS_GOV"} for actor in resolved)
    assert lower_who == 0  # the pronoun "who" is not the World Health Organization
