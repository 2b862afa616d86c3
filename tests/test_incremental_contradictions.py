"""Contradiction pairs built a few days at a time, in any order, equal those of one run over every day.

A pair belongs to its later claim's day, and a claim added on one day changes
which earlier claim a later one pairs with, so an incremental run rebuilds the
pairs of every day from its first one on (macro from_first_run_day_incremental).
Here day three is processed before day two: backfilling day two must replace
day three's pair with one to day two's claim.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_definitions
from pipelines.defs.dbt.assets import CHECK_FROM_DAY_ENV_VAR, last_build_passed, warehouse_target_path
from pipelines.defs.dbt.project import DBT_EXECUTABLE
from pipelines.defs.jobs import day_range_tags
from pipelines.settings import DBT_DATABASE_ENV_VAR, DBT_PROJECT_DIR
from pipelines.storage.snapshots import working_path_for

DAY_ONE, DAY_TWO, DAY_THREE = "2026-05-04", "2026-05-05", "2026-05-06"

ARTICLES = {
    "one.txt": f"""Kestria rejects pullback report
Source: Harbor Ledger
Published: {DAY_ONE}T08:00:00Z

Kestria denied that Valdoria is withdrawing troops from the border.
""",
    "two.txt": f"""Kestria repeats its denial
Source: Pressline Agency
Published: {DAY_TWO}T10:00:00Z

Kestria denied on Tuesday that Valdoria is withdrawing troops from the border.
""",
    "three.txt": f"""Valdoria confirms the pullback
Source: Harbor Ledger
Published: {DAY_THREE}T09:30:00Z

Valdoria said it is withdrawing troops from the border.
""",
}

# The names are incremental by publication day (macro published_day_incremental): built a day at a time, in
# any order, they hold every day's rows once, as one run's do.
NAME_TABLES = ["intermediate.int_names_to_resolve", "intermediate.int_name_ngrams", "intermediate.int_article_aliases",
               "intermediate.int_names_resolved_to_actors"]
TABLES = ["intermediate.int_claim_pairs_in_conflict", "marts.fct_contradictions", "marts.mart_actor_contradiction_sides",
          "marts.mart_daily_actor_conflicts", *NAME_TABLES]


def _corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("three-days")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _warehouse(tmp_path_factory: pytest.TempPathFactory, corpus: Path, name: str):
    warehouse = tmp_path_factory.mktemp(name) / "w.duckdb"
    defs = build_definitions(warehouse)
    instance = dg.DagsterInstance.ephemeral()
    ingested = defs.resolve_job_def("ingest_articles").execute_in_process(
        run_config={"ops": {"raw_articles": {"config": {"paths": [str(corpus)]}}}}, instance=instance
    )
    assert ingested.success
    return defs, instance, warehouse


def _process(built, first: str, last: str) -> None:
    defs, instance, _ = built
    result = defs.resolve_job_def("process_days").execute_in_process(instance=instance, tags=day_range_tags(first, last))
    assert result.success


def _rows(built, table: str) -> list[tuple]:
    with duckdb.connect(str(working_path_for(built[2])), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").fetchall()  # noqa: S608 - test constants


def _days_of_earlier_claims(built) -> set[str]:
    """The days of the claims that day three's claims pair with."""
    query = f"""
        select distinct cast(earlier.day as varchar)
        from marts.fct_contradictions as pairs
        inner join marts.fct_claims as earlier on pairs.claim_id = earlier.claim_id
        where pairs.day = date '{DAY_THREE}'
    """  # noqa: S608 - test constants
    with duckdb.connect(str(working_path_for(built[2])), read_only=True) as con:
        return {day for (day,) in con.execute(query).fetchall()}


@pytest.fixture(scope="module")
def built_in_pieces_and_at_once(tmp_path_factory: pytest.TempPathFactory):
    corpus = _corpus(tmp_path_factory)
    pieces = _warehouse(tmp_path_factory, corpus, "pieces")
    _process(pieces, DAY_ONE, DAY_ONE)
    _process(pieces, DAY_THREE, DAY_THREE)
    before_backfill = _days_of_earlier_claims(pieces)
    _process(pieces, DAY_TWO, DAY_TWO)
    at_once = _warehouse(tmp_path_factory, corpus, "at-once")
    _process(at_once, DAY_ONE, DAY_THREE)
    for _, instance, _ in (pieces, at_once):  # the tests read the warehouses only
        instance.dispose()
    return pieces, at_once, before_backfill


def test_backfilling_a_day_replaces_the_later_days_pairs(built_in_pieces_and_at_once) -> None:
    pieces, _, before_backfill = built_in_pieces_and_at_once
    assert before_backfill == {DAY_ONE}, "day three's claim first pairs with day one's denial"
    assert _days_of_earlier_claims(pieces) == {DAY_TWO}, "after the backfill: with day two's, the latest, only"


@pytest.mark.parametrize("table", TABLES)
def test_pairs_built_day_by_day_equal_one_run(built_in_pieces_and_at_once, table: str) -> None:
    pieces, at_once, _ = built_in_pieces_and_at_once
    expected = _rows(at_once, table)
    assert expected, f"{table} is empty: the scenario makes no pair"
    assert _rows(pieces, table) == expected


def test_processing_days_again_replaces_their_names(built_in_pieces_and_at_once, tmp_path: Path) -> None:
    """Days processed again (a backfill, `claimhouse run --days`) get their names replaced, not added twice."""
    pieces, at_once, _ = built_in_pieces_and_at_once
    copy = tmp_path / "again" / "w.duckdb"
    copy.parent.mkdir()
    shutil.copy(working_path_for(pieces[2]), working_path_for(copy))
    again = (build_definitions(copy), dg.DagsterInstance.ephemeral(), copy)
    _process(again, DAY_TWO, DAY_THREE)
    again[1].dispose()
    for table in NAME_TABLES:
        assert _rows(again, table) == _rows(at_once, table), table


# Data tests that read only the rows the build wrote: singular ones call rows_this_build_wrote, generic ones
# name it in their `where` config (macros/test_where.sql renders it while the test runs).
SCOPED_TESTS = [
    "assert_actor_contradiction_sides_cover_every_resolved_speaker",
    "assert_contradiction_pairs_share_a_proposition",
    "assert_contradiction_pairs_have_opposite_polarity",
    "assert_daily_actor_conflicts_add_up",
    "unique_fct_contradictions_contradiction_id",
    "unique_combination_fct_contradictions_claim_id__contradicting_claim_id",
    "unique_combination_int_claim_pairs_in_conflict_claim_id__contradicting_claim_id",
    "unique_int_mentions_resolved_to_actors_mention_id",
    "unique_combination_mart_daily_actor_conflicts_day__claim_published_on__contradicting_published_on__claim_source__"
    "contradicting_source__actor_id__contradicting_actor_id__proposition_id__True",
]


def _compiled_test(target: Path, name: str) -> str:
    """The SQL the last build in ``target`` ran for data test ``name`` (file names of long test names are hashed)."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    found = [r["compiled_code"] for r in results if r["unique_id"].split(".")[2] == name]
    assert len(found) == 1, f"{name}: {len(found)} results"
    return found[0]


@pytest.mark.parametrize("test_name", SCOPED_TESTS)
def test_scoped_tests_read_the_days_the_build_wrote(built_in_pieces_and_at_once, test_name: str) -> None:
    """After a passing build, an incremental one checks the rows from its first day on; a first build, all."""
    pieces, at_once, _ = built_in_pieces_and_at_once
    pieces_target = warehouse_target_path(working_path_for(pieces[2]))
    assert last_build_passed(pieces_target)
    assert f"day >= cast('{DAY_TWO}' as date)" in _compiled_test(pieces_target, test_name)
    assert "day >= cast(" not in _compiled_test(warehouse_target_path(working_path_for(at_once[2])), test_name)


@pytest.mark.parametrize(("damage", "test_name"), [
    # A duplicate pair fails the uniqueness test.
    (f"insert into marts.fct_contradictions select * from marts.fct_contradictions where day = date '{DAY_THREE}'",
     "unique_fct_contradictions_contradiction_id"),
    # A cell lost: the actor-conflict cells no longer add up to the pairs.
    (f"delete from marts.mart_daily_actor_conflicts where day = date '{DAY_THREE}'",
     "assert_daily_actor_conflicts_add_up"),
])
def test_a_scoped_test_still_fails_on_the_rows_the_build_wrote(built_in_pieces_and_at_once, tmp_path: Path,
                                                               damage: str, test_name: str) -> None:
    """Damage on a day the build wrote fails the scoped test: the day filter the test reads through (the
    `where` placeholder, `rows_this_build_wrote`) is the run's, not a filter that drops every row."""
    pieces, _, _ = built_in_pieces_and_at_once
    database = tmp_path / "copy.duckdb"
    shutil.copy(working_path_for(pieces[2]), database)
    with duckdb.connect(str(database)) as con:
        con.execute(damage)
    env = {**os.environ, DBT_DATABASE_ENV_VAR: str(database), CHECK_FROM_DAY_ENV_VAR: DAY_TWO}
    command = [DBT_EXECUTABLE, "test", "--select", test_name,
               "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
               "--target-path", str(tmp_path / "target")]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 1, result.stdout[-2000:]
    assert f"FAIL 1 {test_name}" in result.stdout
    assert f"day >= cast('{DAY_TWO}' as date)" in _compiled_test(tmp_path / "target", test_name)


def test_a_failed_build_makes_the_next_one_check_every_row(built_in_pieces_and_at_once, tmp_path: Path) -> None:
    pieces, _, _ = built_in_pieces_and_at_once
    results = json.loads((warehouse_target_path(working_path_for(pieces[2])) / "run_results.json").read_text())
    cover = next(r for r in results["results"] if "assert_actor_contradiction_sides_cover" in r["unique_id"])
    cover["status"] = "fail"
    (tmp_path / "run_results.json").write_text(json.dumps(results))
    assert not last_build_passed(tmp_path)
    assert not last_build_passed(tmp_path / "no-build-yet")
