"""Daily partitions: a run over one day touches only that day's rows."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_definitions
from pipelines.defs.ingest.sensors import days_ingested
from pipelines.defs.jobs import day_range_tags
from pipelines.storage.snapshots import working_path_for

DAY_ONE, DAY_TWO = "2026-04-01", "2026-04-02"

ARTICLES = {
    "one-a.txt": f"""Valdoria pulls units back from the border
Source: Harbor Ledger
Published: {DAY_ONE}T08:00:00Z

Valdoria said it is withdrawing troops from the border.
The Selvin Harbour Board said the port would stay open.
Counting in the Kestrian election ended on Monday.
""",
    "one-b.txt": f"""Kestria doubts the pullback
Source: Pressline Agency
Published: {DAY_ONE}T17:30:00Z

Kestria denied that Valdoria is withdrawing troops from the border.
""",
    "two-a.txt": f"""Observers count more units at the border
Source: Harbor Ledger
Published: {DAY_TWO}T09:15:00Z

The Northern Compact said Valdoria is sending more troops to the border.
Turnout in the Kestrian vote was low.
""",
}


def _claims_by_day(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, set[str]]]:
    rows = con.execute(
        "select cast(day as varchar), count(*), list(distinct dbt_invocation_id) from marts.fct_claims group by 1"
    ).fetchall()
    return {day: (n, set(invocations)) for day, n, invocations in rows}


def _extracted_at(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    return dict(con.execute("select article_id, extracted_at from raw.extracted_articles").fetchall())


@pytest.fixture(scope="module")
def partitioned(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("two-days")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    warehouse = tmp_path_factory.mktemp("warehouse") / "w.duckdb"
    defs = build_definitions(warehouse)
    with dg.DagsterInstance.ephemeral() as instance:
        ingested = defs.resolve_job_def("ingest_articles").execute_in_process(
            run_config={"ops": {"raw_articles": {"config": {"paths": [str(folder)]}}}}, instance=instance
        )
        yield defs, instance, warehouse, ingested


def _process(defs: dg.Definitions, instance: dg.DagsterInstance, first: str, last: str):
    return defs.resolve_job_def("process_days").execute_in_process(
        instance=instance, tags=day_range_tags(first, last)
    )


def test_ingestion_reports_the_days_to_process(partitioned) -> None:
    _defs, instance, _warehouse, ingested = partitioned
    assert days_ingested(instance, ingested.run_id) == (DAY_ONE, DAY_TWO)


def test_second_partition_touches_only_its_own_day(partitioned) -> None:
    defs, instance, warehouse, _ = partitioned
    assert _process(defs, instance, DAY_ONE, DAY_ONE).success
    with duckdb.connect(str(working_path_for(warehouse)), read_only=True) as con:
        after_one = _claims_by_day(con)
        extracted_one = _extracted_at(con)
    assert set(after_one) == {DAY_ONE}, "a run of day one must not build day two"
    assert len(extracted_one) == 2

    assert _process(defs, instance, DAY_TWO, DAY_TWO).success
    with duckdb.connect(str(working_path_for(warehouse)), read_only=True) as con:
        after_two = _claims_by_day(con)
        extracted_two = _extracted_at(con)
        frequency_days = {d for (d,) in con.execute("select distinct cast(day as varchar) from marts.mart_claim_frequency").fetchall()}
    assert after_two[DAY_ONE] == after_one[DAY_ONE], "day one's claims were rewritten by day two's run"
    assert after_two[DAY_TWO][0] >= 1
    assert after_two[DAY_TWO][1].isdisjoint(after_one[DAY_ONE][1]), "day two comes from a new dbt invocation"
    assert {k: v for k, v in extracted_two.items() if k in extracted_one} == extracted_one
    assert len(extracted_two) == 3
    assert frequency_days <= {DAY_ONE, DAY_TWO} and DAY_TWO in frequency_days


def test_rerunning_a_day_is_idempotent(partitioned) -> None:
    defs, instance, warehouse, _ = partitioned
    with duckdb.connect(str(working_path_for(warehouse)), read_only=True) as con:
        before = con.execute("select claim_id, content, polarity from marts.fct_claims order by 1").fetchall()
    assert _process(defs, instance, DAY_TWO, DAY_TWO).success
    with duckdb.connect(str(working_path_for(warehouse)), read_only=True) as con:
        after = con.execute("select claim_id, content, polarity from marts.fct_claims order by 1").fetchall()
        contradictions = con.execute("select count(*) from marts.fct_contradictions").fetchone()[0]
    assert after == before
    assert contradictions >= 1, "day two's claim contradicts day one's across partitions"


def test_a_days_run_keeps_the_article_topics_of_other_days(partitioned) -> None:
    """int_article_topics is incremental by day: day two's run adds its article's topic, day one's stays."""
    defs, instance, warehouse, _ = partitioned
    assert _process(defs, instance, DAY_TWO, DAY_TWO).success
    with duckdb.connect(str(working_path_for(warehouse)), read_only=True) as con:
        topics = con.execute(
            "select cast(day as varchar), topic_id from intermediate.int_article_topics order by 1"
        ).fetchall()
    assert topics == [(DAY_ONE, "kestria_election_2026"), (DAY_TWO, "kestria_election_2026")]


def test_a_days_run_replaces_only_its_own_resolved_mentions(partitioned) -> None:
    """int_mentions_resolved_to_actors is incremental by day: re-running day two leaves day one's rows as they
    were written and day two's mentions there once, with the same rows as the staging view's."""
    defs, instance, warehouse, _ = partitioned
    query = ("select cast(day as varchar), mention_id, mention_text, actor_id "
             "from intermediate.int_mentions_resolved_to_actors order by all")
    assert _process(defs, instance, DAY_ONE, DAY_TWO).success
    with duckdb.connect(str(working_path_for(warehouse)), read_only=True) as con:
        before = con.execute(query).fetchall()
    assert _process(defs, instance, DAY_TWO, DAY_TWO).success
    with duckdb.connect(str(working_path_for(warehouse)), read_only=True) as con:
        after = con.execute(query).fetchall()
        staged = con.execute("select mention_id from staging.stg_mentions order by 1").fetchall()
    assert after == before
    assert {day for day, *_ in after} == {DAY_ONE, DAY_TWO}
    assert sorted((mention_id,) for _, mention_id, *_ in after) == staged, "one row per mention, none lost or doubled"
    assert any(actor_id == "VLD" for *_, actor_id in after if actor_id), "Valdoria resolves to its actor"
