"""The whole graph over the bundled sample corpus: Dagster, DuckDB, dbt, checks."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.run import RunSummary, run_pipeline
from pipelines.settings import SAMPLE_CORPUS_DIR
from tests.conftest import CRIMEA_ARTICLE, fetch_dicts, table_counts

ALL_TABLES = [
    "raw.articles", "raw.article_sources", "raw.quarantine", "raw.sentences", "raw.mentions",
    "raw.attributions", "marts.dim_actors", "marts.fct_claims", "marts.fct_contradictions",
    "marts.mart_claim_frequency", "marts.mart_contradiction_rates", "marts.mart_actor_conflicts",
    "marts.mart_contested_propositions", "marts.mart_actor_contradiction_sides", "marts.mart_daily_actor_conflicts",
]


def test_sample_run_loads_articles_and_quarantines_the_malformed(sample_run: RunSummary) -> None:
    totals = sample_run.totals
    assert totals["articles"] >= 40
    assert totals["claims"] > 100
    assert totals["contradictions"] > 0
    reasons = dict(sample_run.quarantine_reasons)
    assert {"empty_file", "invalid_json", "missing_text", "invalid_date", "implausible_date"} <= set(reasons)
    assert all(passed for _, passed, _ in sample_run.checks), sample_run.checks
    assert "Claimhouse run succeeded" in sample_run.render()


def test_check_results_travel_with_the_published_snapshot(sample_db: duckdb.DuckDBPyConnection) -> None:
    rows = fetch_dicts(sample_db, "select check_name, passed from raw.check_results")
    names = {r["check_name"] for r in rows}
    assert {"gx_raw_articles", "gx_raw_attributions", "gx_fct_claims", "articles_are_fresh"} <= names
    assert all(r["passed"] for r in rows)


def test_syndicated_copy_is_one_article_with_two_sources(sample_db: duckdb.DuckDBPyConnection) -> None:
    rows = fetch_dicts(
        sample_db,
        "select article_id, count(distinct source) as n_sources from raw.article_sources "
        "group by article_id having count(distinct source) > 1",
    )
    assert len(rows) == 1 and rows[0]["n_sources"] == 2


def test_latin1_file_is_decoded(sample_db: duckdb.DuckDBPyConnection) -> None:
    [(text,)] = sample_db.execute(
        "select text from raw.articles where origin_path like '%latin1.txt'"
    ).fetchall()
    assert any(ch in text for ch in "éñü")


def _conflicts(con: duckdb.DuckDBPyConnection, family: str) -> set[tuple[str, str, str]]:
    """(kind, root of the contradicted speaker, root of the contradicting speaker) on one family."""
    rows = con.execute(
        """
        select contradictions.kind, claimed_actor.root_actor_id, contradicting_actor.root_actor_id
        from marts.fct_contradictions as contradictions
        inner join marts.dim_propositions as propositions using (proposition_id)
        inner join marts.dim_actors as claimed_actor on contradictions.claim_actor_id = claimed_actor.actor_id
        inner join marts.dim_actors as contradicting_actor
            on contradictions.contradicting_actor_id = contradicting_actor.actor_id
        where propositions.family_id = ?
        """,
        [family],
    ).fetchall()
    return {tuple(row) for row in rows}


def test_storyline_troop_posture(sample_db: duckdb.DuckDBPyConnection) -> None:
    conflicts = _conflicts(sample_db, "troop_posture")
    kinds_between = {kind for kind, a, b in conflicts if {a, b} == {"VLD", "NCOMPACT"}}
    assert "opposite_polarity" in kinds_between or "denial" in kinds_between
    assert any(kind == "doubt" and {a, b} == {"VLD", "KST"} for kind, a, b in conflicts)
    assert ("self_reversal", "VLD", "VLD") in conflicts
    attack = _conflicts(sample_db, "military_attack")
    assert any(kind == "denial" and "VLD" in (a, b) and "KST" in (a, b) for kind, a, b in attack)


def test_storyline_drug(sample_db: duckdb.DuckDBPyConnection) -> None:
    [label] = sample_db.execute(
        "select proposition_label from marts.mart_contested_propositions where family_id = 'treatment_efficacy' "
        "order by n_claims desc limit 1"
    ).fetchone()
    assert label.startswith("Corvexin")
    conflicts = _conflicts(sample_db, "treatment_efficacy")
    assert any({a, b} == {"MERIDIAN", "OSKEL_UNI"} for _, a, b in conflicts)
    assert any(kind == "doubt" and "KST" in (a, b) for kind, a, b in conflicts)


def test_storyline_election(sample_db: duckdb.DuckDBPyConnection) -> None:
    conflicts = _conflicts(sample_db, "election_integrity")
    assert any(kind == "denial" and {a, b} == {"KST_CRP", "KST"} for kind, a, b in conflicts)
    assert ("self_reversal", "KST_CRP", "KST_CRP") in conflicts


def test_storyline_dam(sample_db: duckdb.DuckDBPyConnection) -> None:
    conflicts = _conflicts(sample_db, "sabotage")
    assert any({a, b} == {"KST", "HALVARD"} for _, a, b in conflicts)


def test_marts_answer_the_contract(sample_db: duckdb.DuckDBPyConnection) -> None:
    rates = fetch_dicts(sample_db, "select * from marts.mart_contradiction_rates")
    assert rates and all(0 <= r["contradiction_rate"] <= 1 for r in rates)
    assert all(r["contradiction_rate_ci_low"] <= r["contradiction_rate"] <= r["contradiction_rate_ci_high"]
               for r in rates)
    frequency = fetch_dicts(sample_db, "select * from marts.mart_claim_frequency")
    assert sum(r["n_claims"] for r in frequency) == sample_db.execute(
        "select count(*) from marts.fct_claims where speaker_actor_id is not null"
    ).fetchone()[0]
    [(n_unresolved_mentions,)] = sample_db.execute(
        "select sum(n_mentions) from marts.mart_unresolved_names"
    ).fetchall()
    assert n_unresolved_mentions > 0, "unresolved mentions are kept and counted, not dropped"


def test_rerun_changes_no_row(sample_run: RunSummary) -> None:
    before = table_counts(sample_run.warehouse, ALL_TABLES)
    claims_before = duckdb.connect(str(sample_run.warehouse), read_only=True).execute(
        "select claim_id, proposition_id, polarity, stance from marts.fct_claims order by claim_id"
    ).fetchall()
    again = run_pipeline([str(SAMPLE_CORPUS_DIR)], sample_run.warehouse)
    assert again.success
    assert again.ingest["new_articles"] == 0
    assert table_counts(sample_run.warehouse, ALL_TABLES) == before
    con = duckdb.connect(str(sample_run.warehouse), read_only=True)
    try:
        assert con.execute(
            "select claim_id, proposition_id, polarity, stance from marts.fct_claims order by claim_id"
        ).fetchall() == claims_before
    finally:
        con.close()


@pytest.mark.skipif(not CRIMEA_ARTICLE.exists(), reason="needs ../shared/seeds beside the checkout")
def test_crimea_article_speakers_and_contradictions(tmp_path) -> None:
    warehouse = tmp_path / "crimea.duckdb"
    summary = run_pipeline([str(CRIMEA_ARTICLE)], warehouse)
    assert summary.success, summary.render()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        roots = {r for (r,) in con.execute(
            "select distinct actors.root_actor_id from marts.fct_claims as claims "
            "inner join marts.dim_actors as actors on claims.speaker_actor_id = actors.actor_id"
        ).fetchall()}
        assert {"RUS", "USA", "NATO"} <= roots
        pairs = con.execute(
            "select kind, claim_actor_id, contradicting_actor_id from marts.fct_contradictions"
        ).fetchall()
        russian = {"RUS", "RUS_GOV", "RUS_MOD"}
        assert any(kind == "opposite_polarity" and {a, b} & russian and "NATO" in (a, b) for kind, a, b in pairs)
        assert any(kind == "doubt" and {a, b} & russian and "USA_GOV" in (a, b) for kind, a, b in pairs)
        [(rate,)] = con.execute(
            "select contradiction_rate from marts.mart_contradiction_rates where actor_id = 'RUS'"
        ).fetchall()
        assert rate > 0
    finally:
        con.close()
