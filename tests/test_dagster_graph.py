"""The Dagster side: Definitions load, assets materialize, blocking checks block."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_definitions, build_resources
from pipelines.defs.ingest.assets import raw_articles
from pipelines.run import run_pipeline
from pipelines.settings import SEEDS_DIR
from pipelines.storage.snapshots import working_path_for

ARTICLE = """Selvin harbour board keeps port open
Source: Harbor Ledger
Published: 2026-03-05T09:00:00Z

The Selvin Harbour Board said the port would stay open through the storm season.
Valdoria said it is withdrawing troops from the border.
"""

NEXT_DAY_ARTICLE = """Relief convoy reaches Marren
Source: Harbor Ledger
Published: 2026-03-06T09:00:00Z

The relief agency said the convoy reached Marren before dawn.
"""


@pytest.fixture
def one_article(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "port.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_definitions_load_with_every_layer(tmp_path: Path) -> None:
    defs = build_definitions(tmp_path / "w.duckdb")
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"raw/articles", "raw/quarantine", "raw/attributions", "marts/fct_claims",
            "marts/fct_contradictions", "lexicon/actor_aliases", "warehouse/published_snapshot"} <= keys
    graph = defs.resolve_asset_graph()
    assert dg.AssetKey(["raw", "attributions"]) in graph.get(dg.AssetKey(["staging", "stg_attributions"])).parent_keys
    check_keys = {key.name for key in graph.asset_check_keys}
    assert {"gx_raw_articles", "gx_raw_attributions", "gx_fct_claims"} <= check_keys


def test_the_dbt_resource_knows_its_version_without_running_dbt(tmp_path: Path) -> None:
    """The resource reads dbt's version from the installed package and builds no in-process adapter; the
    version must be the one the executable it runs reports."""
    dbt = build_resources(tmp_path / "w.duckdb")["dbt"]
    reported = subprocess.run([dbt.dbt_executable, "--version"], capture_output=True, text=True, check=True).stdout
    installed = re.search(r"installed:\s*(\d+\.\d+\.\d+)", reported).group(1)
    assert str(dbt._cli_version) == installed
    assert dbt._initialize_dbt_core_adapter(["build"]) is None


def test_every_singular_dbt_test_is_a_check_on_the_model_it_names(tmp_path: Path) -> None:
    """A test that reads several models is an asset check only when its ``meta.dagster.ref`` names one;
    without it dagster-dbt logs its result as an observation, which no check view shows."""
    from pipelines.settings import DBT_PROJECT_DIR

    graph = build_definitions(tmp_path / "w.duckdb").resolve_asset_graph()
    checks = {key.name: key.asset_key.to_user_string() for key in graph.asset_check_keys}
    singular = sorted(path.stem for path in (DBT_PROJECT_DIR / "tests").glob("*.sql"))
    assert singular, "no singular tests found"
    assert {name: checks.get(name) for name in singular} == {
        "assert_actor_contradiction_sides_cover_every_resolved_speaker": "marts/mart_actor_contradiction_sides",
        "assert_contradiction_pairs_have_opposite_polarity": "marts/fct_contradictions",
        "assert_contradiction_pairs_share_a_proposition": "marts/fct_contradictions",
        "assert_daily_actor_conflicts_add_up": "marts/mart_daily_actor_conflicts",
        "assert_daily_marts_add_up": "marts/mart_daily_claims",
    }


def test_ingestion_asset_materializes_into_a_temporary_warehouse(one_article: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    result = dg.materialize(
        [raw_articles],
        resources=build_resources(warehouse),
        run_config={"ops": {"raw_articles": {"config": {"paths": [str(one_article)]}}}},
    )
    assert result.success
    metadata = result.asset_materializations_for_node("raw_articles")[0].metadata
    assert metadata["new_articles"].value == 1
    con = duckdb.connect(str(working_path_for(warehouse)), read_only=True)
    assert con.execute("select source, published_at from raw.articles").fetchall()[0][0] == "Harbor Ledger"
    con.close()


def test_editing_an_alias_seed_changes_the_resolved_speaker(one_article: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    aliases = SEEDS_DIR / "actor_aliases.csv"
    original = aliases.read_text(encoding="utf-8")

    def speaker_of_port_claim() -> str | None:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return con.execute(
                "select speaker_actor_id from marts.fct_claims where speaker_text like '%Harbour Board%'"
            ).fetchone()[0]
        finally:
            con.close()

    assert run_pipeline([str(one_article)], warehouse).success
    # No seed names the board: it is an organization discovered in the article, or nobody.
    before = speaker_of_port_claim()
    assert before is None or before.startswith("ORG_"), before
    try:
        with aliases.open("a", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(["KST_GOV", "Selvin Harbour Board", "description", "", ""])
        assert run_pipeline([str(one_article)], warehouse).success
        assert speaker_of_port_claim() == "KST_GOV"
    finally:
        aliases.write_text(original, encoding="utf-8")


def test_a_run_disposes_of_its_dagster_instance(
    one_article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's in-memory Dagster instance holds two SQLite connections. Left to the garbage collector,
    they were closed in whichever thread collected them (in CI, the dashboard's script thread), and the
    logged error's traceback, formatted in the middle of Streamlit compiling the page, broke that compile."""
    created, disposed = [], []
    ephemeral, dispose = dg.DagsterInstance.ephemeral, dg.DagsterInstance.dispose
    monkeypatch.setattr(dg.DagsterInstance, "ephemeral", staticmethod(lambda: created.append(ephemeral()) or created[-1]))
    monkeypatch.setattr(dg.DagsterInstance, "dispose", lambda self: disposed.append(self) or dispose(self))
    assert run_pipeline([str(one_article)], tmp_path / "w.duckdb").success
    assert len(created) == 1 and disposed == created


def test_a_failing_blocking_check_stops_the_marts(one_article: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    assert run_pipeline([str(one_article)], warehouse).success
    published_before = warehouse.read_bytes()
    con = duckdb.connect(str(working_path_for(warehouse)))
    n_claims = con.execute("select count(*) from marts.fct_claims").fetchone()[0]
    # A bad row as a broken extractor would write it: confidence out of range, content past the text.
    con.execute(
        """
        insert into raw.attributions by name
        select 't_bad' as attribution_id, article_id, extractor_version, 99 as attribution_index,
               0 as sentence_index, 'named' as speaker_kind, 0 as cue_start, 4 as cue_end, 'said' as cue_text,
               'say' as cue_lemma, 5 as content_start, 99999 as content_end, 'x' as content_text,
               false as is_direct, false as is_multi_sentence, false as is_negated, 'missing' as subject_kind,
               'verb_cue' as rule, 1.5 as confidence
        from raw.attributions limit 1
        """
    )
    con.close()

    # Nothing new arrived, so re-run the article's day: its checks see the bad row.
    summary = run_pipeline([str(one_article)], warehouse, days=("2026-03-05", "2026-03-05"))
    assert not summary.success
    failed = [name for name, passed, _ in summary.checks if not passed]
    assert any("gx_raw_attributions" in name for name in failed)
    assert "FAILED raw/attributions:gx_raw_attributions" in summary.render()
    assert warehouse.read_bytes() == published_before, "a run that fails a blocking check publishes nothing"
    con = duckdb.connect(str(working_path_for(warehouse)), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_claims").fetchone()[0] == n_claims
        assert con.execute("select count(*) from marts.fct_claims where claim_id = 't_bad'").fetchone()[0] == 0
    finally:
        con.close()

    # The failed evaluation vouches for no row: a run of another day reads every attribution, the bad one too.
    summary = run_pipeline([], warehouse, days=("2026-03-06", "2026-03-06"))
    assert not summary.success
    [attributions_check] = [text for name, _, text in summary.checks if name.endswith("gx_raw_attributions")]
    assert "in rows ['t_bad']" in attributions_check


def _check_descriptions(summary) -> dict[str, str]:  # noqa: ANN001 - a RunSummary
    return {name: description for name, _, description in summary.checks}


def test_checks_read_the_rows_their_run_wrote(one_article: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = run_pipeline([str(one_article)], warehouse)
    assert first.success, first.render()
    # No earlier evaluation vouches for any row: the first run's checks read every row.
    assert all("(the rows" not in text for text in _check_descriptions(first).values())

    next_day = tmp_path / "next_day"
    next_day.mkdir()
    (next_day / "convoy.txt").write_text(NEXT_DAY_ARTICLE, encoding="utf-8")
    second = run_pipeline([str(next_day)], warehouse)
    assert second.success, second.render()
    checks = _check_descriptions(second)
    with duckdb.connect(str(working_path_for(warehouse)), read_only=True) as con:
        new_attributions, all_attributions = con.execute(
            "select count(*) filter (where cast(articles.published_at as date) = date '2026-03-06'), count(*) "
            "from raw.attributions join raw.articles using (article_id)"
        ).fetchone()
        new_claims = con.execute("select count(*) from marts.fct_claims where day = date '2026-03-06'").fetchone()[0]
    assert 0 < new_attributions < all_attributions
    assert checks["raw/attributions:gx_raw_attributions"].endswith(
        f"over {new_attributions} rows (the rows of days 2026-03-06..2026-03-06).")
    assert checks["marts/fct_claims:gx_fct_claims"].endswith(
        f"over {new_claims} rows (the rows of days 2026-03-06..2026-03-06).")
    assert re.search(r"over 1 rows \(the rows run \S+ loaded\)\.$", checks["raw/articles:gx_raw_articles"])

    # A full refresh reads every row again.
    refreshed = run_pipeline([], warehouse, full_refresh=True)
    assert refreshed.success, refreshed.render()
    checks = _check_descriptions(refreshed)
    assert checks["raw/attributions:gx_raw_attributions"].endswith(f"over {all_attributions} rows.")
    assert checks["raw/articles:gx_raw_articles"].endswith("over 2 rows.")
