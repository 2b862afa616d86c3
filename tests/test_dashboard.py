"""The BI dashboard, its queries and the Parquet export, against a real sample warehouse."""

from __future__ import annotations

import gc
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from pipelines.cli import main
from pipelines.dashboard import evidence, queries
from pipelines.dashboard.queries import Filters
from pipelines.run import RunSummary
from pipelines.settings import REPO_DIR, WAREHOUSE_ENV_VAR
from pipelines.storage.readonly import connect_read_only

pytestmark = pytest.mark.slow

APP = REPO_DIR / "pipelines" / "dashboard" / "app.py"


@pytest.fixture(scope="module")
def warehouse(sample_run: RunSummary) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WAREHOUSE_ENV_VAR, str(sample_run.warehouse))
        yield sample_run.warehouse


@pytest.fixture(scope="module")
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect_read_only(warehouse)
    yield connection
    connection.close()


def scalar(con: duckdb.DuckDBPyConnection, query: str, parameters: list | None = None):
    return con.execute(query, parameters or []).fetchone()[0]


@pytest.fixture(autouse=True)
def _restore_main_module() -> Iterator[None]:
    """AppTest leaves the app script as ``sys.modules["__main__"]``: put the real one back, or a
    process spawned later in the session (an extraction worker) would run the app as it starts."""
    main_module = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main_module


# CPython 3.11 keeps the AST builder's recursion depth per interpreter: a finalizer that runs while
# Streamlit compiles the app and itself parses code (logging a traceback does, for its carets) breaks
# the compile ("SystemError: AST constructor recursion depth mismatch"); Streamlit logs it and renders
# nothing. In CI the finalizers were those of SQLite connections left to the garbage collector (now
# closed by the run). Collecting garbage first, in this thread, keeps finalizers out of the compile;
# a page that still rendered no sidebar is opened again. A script that does not compile fails all tries.
COMPILE_TRIES = 3


def open_page(page: str) -> AppTest:
    for _ in range(COMPILE_TRIES):
        gc.collect()
        app = AppTest.from_file(str(APP), default_timeout=60).run()
        assert not app.exception, [e.value for e in app.exception]
        if rendered(app) and page != "Overview":
            app.sidebar.radio(key="page").set_value(page).run()
            assert not app.exception, [e.value for e in app.exception]
        if rendered(app):
            return app
    raise AssertionError(f"the dashboard rendered nothing in {COMPILE_TRIES} tries at the {page} page")


def rendered(app: AppTest) -> bool:
    """Every page that ran draws the page picker in the sidebar."""
    return any(getattr(radio, "key", None) == "page" for radio in app.sidebar.radio)


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


# ---------------------------------------------------------------- pages

def test_overview_shows_the_warehouse_numbers(warehouse: Path, con: duckdb.DuckDBPyConnection) -> None:
    shown = metrics(open_page("Overview"))
    claims = scalar(con, "select count(*) from marts.fct_claims")
    contradicted = scalar(con, """
        select count(*) from marts.fct_claims where claim_id in
        (select claim_id from marts.fct_contradictions union select contradicting_claim_id from marts.fct_contradictions)""")
    assert claims > 0
    assert shown["Claims"] == str(claims)
    assert shown["Articles"] == str(scalar(con, "select count(*) from raw.articles"))
    assert shown["Contradictions"] == str(scalar(con, "select count(*) from marts.fct_contradictions"))
    assert shown["Actors"] == str(scalar(con, "select count(distinct speaker_actor_id) from marts.fct_claims"))
    assert shown["Contradiction rate"] == f"{contradicted / claims:.1%}"
    assert shown["Latest run"] == str(scalar(con, "select max(extracted_at) from raw.extracted_articles"))[:19]


def test_publisher_filter_applies_to_the_overview(warehouse: Path, con: duckdb.DuckDBPyConnection) -> None:
    app = open_page("Overview")
    publisher = scalar(con, "select source from marts.fct_claims group by 1 order by count(*) desc limit 1")
    app.sidebar.multiselect(key="filter_publishers").set_value([publisher]).run()
    assert not app.exception
    expected = scalar(con, "select count(*) from marts.fct_claims where source = ?", [publisher])
    assert metrics(app)["Claims"] == str(expected)
    assert expected < scalar(con, "select count(*) from marts.fct_claims")


def test_actors_page_lists_every_rated_actor(warehouse: Path, con: duckdb.DuckDBPyConnection) -> None:
    app = open_page("Actors")
    rates = app.dataframe[0].value
    assert len(rates) == scalar(con, "select count(*) from marts.mart_contradiction_rates")
    assert {"contradiction_rate_ci_low", "contradiction_rate_ci_high", "n_claims"} <= set(rates.columns)
    top = rates.iloc[0]
    assert top["n_claims"] == scalar(con, "select max(n_claims) from marts.mart_contradiction_rates")
    actor_claims = app.dataframe[1].value
    assert len(actor_claims) == scalar(
        con, "select count(*) from marts.fct_claims where speaker_actor_id = ?", [top["actor_id"]])
    # Each pair counts once for each of its sides that is one of the actor's claims.
    assert actor_claims["n_contradictions"].sum() == scalar(con, """
        select count(*) from marts.fct_contradictions as x, marts.fct_claims as c
        where c.speaker_actor_id = ? and c.claim_id in (x.claim_id, x.contradicting_claim_id)
    """, [top["actor_id"]])
    assert (actor_claims["n_contradictions"] > 0).sum() == top["n_contradicted"]


def test_conflicts_page_shows_the_matrix(warehouse: Path, con: duckdb.DuckDBPyConnection) -> None:
    app = open_page("Conflicts")
    n_pairs = scalar(con, "select count(*) from marts.mart_actor_conflicts")
    assert len(app.dataframe[0].value) == n_pairs
    assert app.dataframe[0].value["n_contradictions"].sum() == scalar(
        con, "select sum(n_contradictions) from marts.mart_actor_conflicts")
    assert f"Shown: all {n_pairs:,} pairs of actors in conflict." in "\n".join(m.value for m in app.markdown)


def test_conflicts_keep_the_pairs_with_most_conflicts(con: duckdb.DuckDBPyConnection) -> None:
    top_three = con.execute("""
        select actor_id, contradicting_actor_id, n_contradictions from marts.mart_actor_conflicts
        order by n_contradictions desc, actor_id, contradicting_actor_id limit 3
    """).fetchall()
    first, last = con.execute("select min(published_at)::date, max(published_at)::date from marts.fct_claims").fetchone()
    names = dict(con.execute("select actor_id, coalesce(name, actor_id) from marts.dim_actors").fetchall())
    for filters in (Filters(), Filters(date_from=first, date_to=last)):
        pairs, n_pairs = queries.actor_conflicts(con, filters, limit=3)
        assert n_pairs == scalar(con, "select count(*) from marts.mart_actor_conflicts") > 3
        assert list(pairs[["actor", "contradicting_actor", "n_contradictions"]].itertuples(index=False, name=None)) == [
            (names[a], names[b], n) for a, b, n in top_three]


def test_propositions_page_and_timeline(warehouse: Path, con: duckdb.DuckDBPyConnection) -> None:
    app = open_page("Propositions")
    contested = app.dataframe[0].value
    assert len(contested) == scalar(con, "select count(*) from marts.mart_contested_propositions")
    first = contested.iloc[0]
    timeline = app.dataframe[1].value
    assert len(timeline) == first["n_claims"]
    assert set(timeline["side"]) <= {"for", "against", "unknown"}


def test_evidence_page_highlights_the_source_sentence(warehouse: Path, con: duckdb.DuckDBPyConnection) -> None:
    app = open_page("Evidence")
    claim_id = app.selectbox(key="evidence_claim").value
    content, source = con.execute(
        "select content, source from marts.fct_claims where claim_id = ?", [claim_id]).fetchone()
    shown = "\n".join(m.value for m in app.markdown)
    assert '<mark title="speaker"' in shown and '<mark title="cue"' in shown and '<mark title="content"' in shown
    assert evidence.html.escape(content).replace("\n", "<br>") in shown and source in shown
    assert claim_id in "\n".join(c.value for c in app.caption)

    app.radio(key="evidence_kind").set_value("Contradiction").run()
    assert not app.exception
    contradiction_id = app.selectbox(key="evidence_contradiction").value
    assert contradiction_id in "\n".join(m.value for m in app.markdown)
    assert "\n".join(m.value for m in app.markdown).count('<mark title="content"') >= 2


def test_data_quality_page_counts_the_quarantine(warehouse: Path, con: duckdb.DuckDBPyConnection) -> None:
    app = open_page("Data quality")
    assert metrics(app)["Quarantined records"] == str(scalar(con, "select count(*) from raw.quarantine"))
    by_reason = app.dataframe[0].value
    assert dict(zip(by_reason["reason_code"], by_reason["n_records"])) == dict(
        con.execute("select reason_code, count(*) from raw.quarantine group by 1").fetchall())
    assert metrics(app)["Failing checks"] == "0"
    checks = app.dataframe[2].value
    assert {"gx_raw_articles", "gx_raw_attributions", "gx_fct_claims"} <= set(checks["check_name"])


# ---------------------------------------------------------------- queries

def test_filters_change_the_query_results(con: duckdb.DuckDBPyConnection) -> None:
    everything = queries.overview_metrics(con, Filters())
    first, last = con.execute(
        "select cast(min(published_at) as date), cast(max(published_at) as date) from marts.fct_claims").fetchone()
    # A date filter keeps dated claims only: claims of undated articles fall outside every range.
    assert queries.overview_metrics(con, Filters(date_from=first, date_to=last))["claims"] == scalar(
        con, "select count(*) from marts.fct_claims where published_at is not null")

    one_day = queries.overview_metrics(con, Filters(date_from=first, date_to=first))
    assert one_day["claims"] == scalar(
        con, "select count(*) from marts.fct_claims where cast(published_at as date) = ?", [first])
    assert 0 < one_day["claims"] < everything["claims"]

    actor = scalar(con, "select actor_id from marts.mart_contradiction_rates order by n_claims desc limit 1")
    by_actor = queries.actor_contradiction_rates(con, Filters(actors=(actor,)))
    assert list(by_actor["actor_id"]) == [actor]
    assert queries.claims_per_day(con, Filters(actors=(actor,)))["n_claims"].sum() == scalar(
        con, "select count(*) from marts.fct_claims where speaker_actor_id = ?", [actor])

    # A filter given as text is bound, not spliced: a quote in it is just a publisher nobody has.
    assert queries.overview_metrics(con, Filters(publishers=("x' or '1'='1",)))["claims"] == 0
    assert queries.overview_metrics(con, Filters(date_from=date(1990, 1, 1), date_to=date(1990, 1, 2)))["claims"] == 0


def test_recomputed_figures_match_the_marts(con: duckdb.DuckDBPyConnection) -> None:
    first, last = con.execute(
        "select cast(min(published_at) as date), cast(max(published_at) as date) from marts.fct_claims").fetchone()
    overview = queries.overview_metrics(con, Filters())  # from marts.mart_overview
    assert (overview["claims"], overview["articles_with_claims"], overview["actors"], overview["contradictions"]) == (
        con.execute("""select count(*), count(distinct article_id), count(distinct speaker_actor_id),
                              (select count(*) from marts.fct_contradictions) from marts.fct_claims""").fetchone())
    assert overview["contradicted_claims"] == scalar(con, """
        select count(*) from marts.fct_claims where claim_id in (
            select claim_id from marts.fct_contradictions union select contradicting_claim_id from marts.fct_contradictions)
    """)
    assert 0 < overview["contradicted_claims"] < overview["claims"]
    whole_range = Filters(date_from=first, date_to=last)
    from_mart = queries.actor_contradiction_rates(con, Filters()).sort_values("actor_id").reset_index(drop=True)
    recomputed = queries.actor_contradiction_rates(con, whole_range).sort_values("actor_id").reset_index(drop=True)
    assert from_mart[["actor_id", "n_claims", "n_contradicted"]].equals(recomputed[["actor_id", "n_claims", "n_contradicted"]])
    assert (from_mart["contradiction_rate_ci_low"] - recomputed["contradiction_rate_ci_low"]).abs().max() < 1e-9
    assert (from_mart["contradiction_rate_ci_high"] - recomputed["contradiction_rate_ci_high"]).abs().max() < 1e-9

    (conflicts, n_pairs), (again, n_again) = (queries.actor_conflicts(con, f) for f in (Filters(), whole_range))
    assert n_pairs == n_again == len(conflicts)
    pd.testing.assert_frame_equal(conflicts, again)

    contested = queries.contested_propositions(con, Filters()).set_index("proposition_id").sort_index()
    again = queries.contested_propositions(con, whole_range).set_index("proposition_id").sort_index()
    for column in ("n_claims", "n_claims_for", "n_claims_against", "n_contradictions", "contestedness"):
        assert list(contested[column].astype(float)) == list(again[column].astype(float)), column


# Direct SQL on the fact tables, as the dashboard computed every filtered figure before the daily marts:
# the queries now add up mart cells, and must give exactly these.
_DIRECT_CLAIM_FILTER = """
    (cast($date_from as date) is null or c.published_at >= cast($date_from as date))
    and (cast($date_to as date) is null or c.published_at < cast($date_to as date) + interval 1 day)
    and (len(cast($publishers as varchar[])) = 0 or list_contains(cast($publishers as varchar[]), c.source))
    and (len(cast($actors as varchar[])) = 0 or list_contains(cast($actors as varchar[]), c.speaker_actor_id))
"""
_DIRECT = f"""
    with filtered as (select c.* from marts.fct_claims as c where {_DIRECT_CLAIM_FILTER}),
    contradicted as (select claim_id from marts.fct_contradictions
                     union select contradicting_claim_id from marts.fct_contradictions)
"""


def _direct_overview(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    row = con.execute(f"""{_DIRECT}
        select (select count(distinct article_id) from filtered), (select count(*) from filtered),
               (select count(distinct speaker_actor_id) from filtered),
               (select count(*) from marts.fct_contradictions as x
                where x.claim_id in (select claim_id from filtered)
                   or x.contradicting_claim_id in (select claim_id from filtered)),
               (select count(*) from filtered where claim_id in (select claim_id from contradicted))
    """, filters.params()).fetchone()
    return dict(zip(("articles_with_claims", "claims", "actors", "contradictions", "contradicted_claims"), row))


def _filter_cases(con: duckdb.DuckDBPyConnection) -> list[Filters]:
    first, last = con.execute(
        "select cast(min(published_at) as date), cast(max(published_at) as date) from marts.fct_claims").fetchone()
    publishers = [r[0] for r in con.execute(
        "select source from marts.fct_claims where source is not null group by 1 order by count(*) desc limit 2"
    ).fetchall()]
    actors = [r[0] for r in con.execute(
        "select speaker_actor_id from marts.fct_claims where speaker_actor_id is not null "
        "group by 1 order by count(*) desc limit 2").fetchall()]
    middle = date.fromordinal((first.toordinal() + last.toordinal()) // 2)
    return [
        Filters(),  # the precomputed marts
        Filters(date_from=first, date_to=first),
        Filters(date_from=first, date_to=middle),
        Filters(date_from=middle),
        Filters(date_to=middle),
        Filters(date_from=first, date_to=last),
        Filters(date_from=date(1990, 1, 1), date_to=date(1990, 1, 2)),
        Filters(publishers=tuple(publishers[:1])),
        Filters(publishers=tuple(publishers), date_from=middle),
        Filters(actors=tuple(actors[:1])),
        Filters(actors=tuple(actors), date_to=middle),
        Filters(actors=tuple(actors[:1]), publishers=tuple(publishers[:1])),
    ]


def test_filtered_figures_from_the_daily_marts_equal_direct_sql(con: duckdb.DuckDBPyConnection) -> None:
    cases = _filter_cases(con)
    for filters in cases:
        shown = queries.overview_metrics(con, filters)
        assert {key: shown[key] for key in _direct_overview(con, filters)} == _direct_overview(con, filters), filters

        per_day = queries.claims_per_day(con, filters)
        direct = con.execute(f"""{_DIRECT}
            select cast(published_at as date) as day, count(*) from filtered group by 1 order by 1 nulls last
        """, filters.params()).fetchall()
        assert [(None if pd.isna(d) else pd.Timestamp(d).date(), n) for d, n in zip(per_day["day"], per_day["n_claims"])] == [
            (d, n) for d, n in direct], filters

        rates = queries.actor_contradiction_rates(con, filters)
        direct = con.execute(f"""{_DIRECT}
            select speaker_actor_id, count(*), count(*) filter (where claim_id in (select claim_id from contradicted))
            from filtered where speaker_actor_id is not null group by 1
        """, filters.params()).fetchall()
        assert sorted(zip(rates["actor_id"], rates["n_claims"], rates["n_contradicted"])) == sorted(direct), filters

        # The pairs touching the filtered claims, per actor pair: the query adds up mart_daily_actor_conflicts'
        # cells, whose key keeps the distinct count of propositions exact.
        conflicts, n_pairs = queries.actor_conflicts(con, filters, limit=1_000_000)
        direct = con.execute(f"""{_DIRECT}
            select coalesce(a.name, x.claim_actor_id), coalesce(b.name, x.contradicting_actor_id), count(*),
                   count(distinct proposition_id),
                   count(*) filter (where kind = 'denial'), count(*) filter (where kind = 'doubt'),
                   count(*) filter (where kind = 'opposite_polarity'), count(*) filter (where kind = 'self_reversal'),
                   max(contradicted_at)
            from marts.fct_contradictions as x
            left join marts.dim_actors as a on a.actor_id = x.claim_actor_id
            left join marts.dim_actors as b on b.actor_id = x.contradicting_actor_id
            where (x.claim_id in (select claim_id from filtered) or x.contradicting_claim_id in (select claim_id from filtered))
              and claim_actor_id is not null and contradicting_actor_id is not null
            group by x.claim_actor_id, x.contradicting_actor_id, a.name, b.name
        """, filters.params()).fetchall()
        shown = conflicts[["actor", "contradicting_actor", "n_contradictions", "n_propositions", "n_denials",
                           "n_doubts", "n_opposite_polarity", "n_self_reversals", "last_contradicted_at"]]
        assert n_pairs == len(direct), filters
        assert sorted(tuple(row) for row in shown.itertuples(index=False)) == sorted(direct), filters
    # The cases reach both paths of the overview and select something and nothing.
    assert any(queries.overview_metrics(con, f)["contradictions"] > 0 for f in cases)
    assert any(queries.overview_metrics(con, f)["claims"] == 0 for f in cases)

    choices = queries.filter_choices(con)
    assert (choices["first_day"], choices["last_day"]) == con.execute(
        "select cast(min(published_at) as date), cast(max(published_at) as date) from marts.fct_claims").fetchone()
    assert choices["publishers"] == [r[0] for r in con.execute(
        "select distinct source from marts.fct_claims where source is not null order by 1").fetchall()]
    assert set(choices["actors"]["actor_id"]) == {r[0] for r in con.execute(
        "select actor_id from marts.dim_actors where actor_id in (select speaker_actor_id from marts.fct_claims)"
    ).fetchall()}


def test_the_tables_a_date_filter_scans_are_stored_in_day_order(con: duckdb.DuckDBPyConnection) -> None:
    """A date filter skips row groups by their days (queries._NOT_BEFORE_DATE_FROM): it needs the rows in
    day order, and a pair's day on or after both its claims' days."""
    for table in ("fct_claims", "fct_contradictions", "mart_daily_actor_conflicts"):
        days = [row[0] for row in con.execute(f"select day from marts.{table}").fetchall()]  # in storage order
        assert len(set(days)) > 1 and days == sorted(days), table
    assert scalar(con, """
        select count(*) from marts.fct_contradictions
        where day < cast(claim_published_at as date) or day < cast(contradicted_at as date)""") == 0
    assert scalar(con, """
        select count(*) from marts.mart_daily_actor_conflicts
        where day < claim_published_on or day < contradicting_published_on""") == 0


def test_actor_pages_select_the_actors_pairs_as_a_scan_of_every_pair_does(con: duckdb.DuckDBPyConnection) -> None:
    actors = [r[0] for r in con.execute(
        "select speaker_actor_id from marts.fct_claims where speaker_actor_id is not null "
        "group by 1 order by count(*) desc limit 3").fetchall()]
    for filters in (Filters(), *_filter_cases(con)[:3]):
        for actor in actors:
            params = {**filters.params(), "actor_id": actor}
            mine = queries.actor_contradictors(con, actor, filters)
            direct = con.execute(f"""{_DIRECT},
                pairs as (
                    select contradiction_id, claim_id as own_id, contradicting_claim_id as other_id
                    from marts.fct_contradictions
                    union all
                    select contradiction_id, contradicting_claim_id, claim_id from marts.fct_contradictions
                )
                select p.contradiction_id, own.content, other.content from pairs as p
                join filtered as own on own.claim_id = p.own_id
                join marts.fct_claims as other on other.claim_id = p.other_id
                where own.speaker_actor_id = $actor_id
            """, params).fetchall()
            assert sorted(zip(mine["contradiction_id"], mine["own_claim"], mine["their_claim"])) == sorted(direct)

            counts = queries.actor_claims(con, actor, filters)
            direct = con.execute(f"""{_DIRECT}
                select c.claim_id, (select count(*) from marts.fct_contradictions as x
                                    where c.claim_id in (x.claim_id, x.contradicting_claim_id))
                from filtered as c where c.speaker_actor_id = $actor_id
            """, params).fetchall()
            assert sorted(zip(counts["claim_id"], counts["n_contradictions"])) == sorted(direct)


def test_actor_tables_show_the_newest_rows_and_count_them_all(con: duckdb.DuckDBPyConnection) -> None:
    actor = con.execute(
        "select speaker_actor_id from marts.fct_claims where speaker_actor_id is not null "
        "group by 1 order by count(*) desc limit 1").fetchone()[0]
    for filters in (Filters(), *_filter_cases(con)[:3]):
        n_claims, n_sides = queries.actor_totals(con, actor, filters)
        every_claim = queries.actor_claims(con, actor, filters, limit=1_000_000)
        every_side = queries.actor_contradictors(con, actor, filters, limit=1_000_000)
        assert (n_claims, n_sides) == (len(every_claim), len(every_side))
        newest = queries.actor_claims(con, actor, filters, limit=3)
        assert list(newest["claim_id"]) == list(every_claim["claim_id"][:3])
        assert list(newest["n_contradictions"]) == list(every_claim["n_contradictions"][:3])
        assert list(every_claim["published_at"]) == sorted(every_claim["published_at"], reverse=True)
        assert len(queries.actor_contradictors(con, actor, filters, limit=2)) == min(2, n_sides)
    n_claims, _ = queries.actor_totals(con, actor, Filters())
    assert n_claims > 3, "the sample's most prolific actor has more claims than the cap under test"


def test_a_proposition_timeline_shows_its_newest_claims_in_time_order(con: duckdb.DuckDBPyConnection) -> None:
    proposition = con.execute(
        "select proposition_id from marts.fct_claims where proposition_id is not null "
        "group by 1 order by count(*) desc limit 1").fetchone()[0]
    every = queries.proposition_timeline(con, proposition, Filters(), limit=1_000_000)
    assert len(every) == queries.proposition_claim_count(con, proposition, Filters()) > 3
    newest = queries.proposition_timeline(con, proposition, Filters(), limit=3)
    assert sorted(newest["claim_id"]) == sorted(
        every.sort_values(["published_at", "claim_id"], ascending=False)["claim_id"][:3])
    assert list(newest["published_at"]) == sorted(newest["published_at"])


def test_evidence_marks_exactly_the_claim_spans(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        select claim_id, speaker_text, content from marts.fct_claims
        where speaker_start is not null and (speaker_end <= content_start or speaker_start >= content_end)
          and (cue_end <= content_start or cue_start >= content_end)
        limit 25""").fetchall()
    assert rows
    for claim_id, speaker_text, content in rows:
        claim = queries.claim_evidence(con, claim_id)
        html = evidence.claim_html(claim)
        start, end = evidence.evidence_window(claim)
        assert re.sub(r"<mark[^>]*>|</mark>", "", html) == evidence.html.escape(
            claim["article_text"][start:end]).replace("\n", "<br>")
        assert f'<mark title="speaker" style="{evidence.STYLES["speaker"]}">{evidence.html.escape(speaker_text)}</mark>' in html
        assert f'<mark title="content" style="{evidence.STYLES["content"]}">{evidence.html.escape(content)}</mark>' in html.replace("<br>", "\n")
    text = 'A <b>"quote"</b> said X.'
    assert evidence.highlight(text, {"cue": (17, 21)}, (0, len(text))) == (
        'A &lt;b&gt;&quot;quote&quot;&lt;/b&gt; <mark title="cue" style="'
        + evidence.STYLES["cue"] + '">said</mark> X.')


# ---------------------------------------------------------------- export and command line

def test_export_writes_one_parquet_per_mart(warehouse: Path, con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    target = tmp_path / "it's parquet"
    # A separate process, as users run it: DuckDB refuses a second in-process connection to the
    # same file with another configuration (the module's read-only connection is open).
    result = subprocess.run(
        [str(Path(sys.executable).parent / "claimhouse"), "--warehouse", str(warehouse), "export", str(target)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    marts = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{t}.parquet" for t in marts)
    for table in marts:
        assert pq.read_metadata(target / f"{table}.parquet").num_rows == scalar(
            con, f"select count(*) from marts.{table}")  # noqa: S608 - names from the catalog


def test_export_without_a_warehouse_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--warehouse", str(tmp_path / "none.duckdb"), "export", str(tmp_path / "out")])
    assert result.exit_code != 0 and "no warehouse" in result.output


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dashboard_command_serves_on_localhost(warehouse: Path, tmp_path: Path) -> None:
    port = _free_port()
    claimhouse = Path(sys.executable).parent / "claimhouse"
    log = (tmp_path / "dashboard.log").open("wb")
    process = subprocess.Popen(
        [str(claimhouse), "--warehouse", str(warehouse), "dashboard", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    health = response.read().decode()
                    if health == "ok":
                        break
            except OSError:
                time.sleep(0.5)
        assert health == "ok", (tmp_path / "dashboard.log").read_text(errors="replace")[-2000:]
    finally:
        # claimhouse runs streamlit as a child: end the session's process group, which we started.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
