"""The dashboard's pages: each renders one view with Streamlit from ``queries``.

Every figure names the table it comes from, so it can be traced back to the
warehouse with ``claimhouse sql``.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from pipelines.dashboard import evidence, queries
from pipelines.dashboard.queries import Filters

Page = Callable[[duckdb.DuckDBPyConnection, Filters], None]


def _source(filters: Filters, mart: str) -> None:
    if filters.is_empty:
        st.caption(f"Source: `{mart}`.")
    else:
        st.caption(f"Recomputed over the filtered claims of `marts.fct_claims` with the definition of `{mart}`.")


def _shown(total: int) -> str:
    """What a capped table holds: all its rows, or the newest ``NEWEST_ROWS`` of ``total``."""
    if total <= queries.NEWEST_ROWS:
        return f" ({total:,})"
    return f" (the newest {queries.NEWEST_ROWS:,} of {total:,}: narrow the dates to see others)"


def _day(value: object) -> str:
    """A date for labels; articles without a publication date say so."""
    return "undated" if value is None or pd.isna(value) else f"{value:%Y-%m-%d}"


def _percent(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.1%}"


# ---------------------------------------------------------------- Overview

def overview(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    st.header("Overview")
    m = queries.overview_metrics(con, filters)
    cols = st.columns(5)
    cols[0].metric("Articles", m["articles"], help="raw.articles (published in range, by the selected publishers)")
    cols[1].metric("Claims", m["claims"], help="marts.fct_claims")
    cols[2].metric("Actors", m["actors"], help="distinct speaker_actor_id in marts.fct_claims")
    cols[3].metric("Contradictions", m["contradictions"],
                   help="marts.fct_contradictions pairs with at least one side among the claims")
    cols[4].metric("Contradiction rate", _percent(m["contradiction_rate"]),
                   help="claims in at least one conflict pair / all claims")
    st.caption(f"{m['contradicted_claims']} of {m['claims']} claims are contradicted at least once; "
               f"{m['articles_with_claims']} articles carry claims.")

    st.subheader("Claims per day")
    per_day = queries.claims_per_day(con, filters)
    if per_day.empty:
        st.info("No claims match the filters.")
    else:
        st.bar_chart(per_day, x="day", y="n_claims")
    st.caption("Source: `marts.fct_claims` grouped by day of `published_at`.")

    st.subheader("Data freshness")
    fresh = queries.freshness(con)
    cols = st.columns(3)
    cols[0].metric("Latest article", str(fresh["latest_article"] or "–"), help="max(raw.articles.published_at)")
    cols[1].metric("Latest load", str(fresh["latest_load"] or "–")[:19], help="max(raw.articles.first_loaded_at)")
    cols[2].metric("Latest run", str(fresh["latest_run"] or "–")[:19],
                   help="max(raw.extracted_articles.extracted_at)")


# ---------------------------------------------------------------- Actors

def actors(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    st.header("Actors")
    rates = queries.actor_contradiction_rates(con, filters)
    if rates.empty:
        st.info("No claims by a resolved actor match the filters.")
        return
    st.subheader("Top actors by claims")
    st.bar_chart(rates.head(15), x="name", y="n_claims", horizontal=True, sort="-n_claims")
    st.subheader("Contradiction rate, with 95% interval and sample size")
    chart = alt.Chart(rates).encode(y=alt.Y("name:N", sort="-x", title=None))
    st.altair_chart(
        chart.mark_rule().encode(x=alt.X("contradiction_rate_ci_low:Q", title="contradiction rate",
                                         scale=alt.Scale(domain=[0, 1])), x2="contradiction_rate_ci_high:Q")
        + chart.mark_point(filled=True).encode(
            x="contradiction_rate:Q", size="n_claims:Q",
            tooltip=["name", "n_claims", "n_contradicted", "contradiction_rate",
                     "contradiction_rate_ci_low", "contradiction_rate_ci_high"]),
        width="stretch",
    )
    st.dataframe(rates, hide_index=True)
    _source(filters, "marts.mart_contradiction_rates")

    st.subheader("One actor")
    names = dict(zip(rates["actor_id"], rates["name"].fillna(rates["actor_id"])))
    actor_id = st.selectbox("Actor", list(names), format_func=names.get, key="actor_detail")
    n_claims, n_sides = queries.actor_totals(con, actor_id, filters)
    st.markdown(f"**Claims by {names[actor_id]}**" + _shown(n_claims))
    st.dataframe(queries.actor_claims(con, actor_id, filters), hide_index=True)
    st.markdown(f"**Who contradicts {names[actor_id]}**" + _shown(n_sides))
    contradictors = queries.actor_contradictors(con, actor_id, filters)
    if contradictors.empty:
        st.info("No contradicted claims.")
    else:
        st.dataframe(contradictors, hide_index=True)
    st.caption("Source: `marts.fct_claims` and `marts.mart_actor_contradiction_sides` (either side of a pair); "
               "open a claim_id or contradiction_id on the Evidence page.")


# ---------------------------------------------------------------- Conflicts

def conflicts(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    st.header("Conflicts")
    pairs, n_pairs = queries.actor_conflicts(con, filters)
    if pairs.empty:
        st.info("No conflicts between resolved actors match the filters.")
        return
    shown = (f"all {n_pairs:,} pairs of actors in conflict" if n_pairs <= len(pairs) else
             f"the {len(pairs):,} pairs of actors with the most conflicts, of {n_pairs:,}")
    st.markdown(f"Row: the actor whose claim is contradicted. Column: the actor contradicting it. Shown: {shown}.")
    heatmap = alt.Chart(pairs).mark_rect().encode(
        x=alt.X("contradicting_actor:N", title="contradicted by"),
        y=alt.Y("actor:N", title="actor"),
        color=alt.Color("n_contradictions:Q", title="contradictions"),
        tooltip=["actor", "contradicting_actor", "n_contradictions", "n_propositions", "n_denials",
                 "n_doubts", "n_opposite_polarity", "n_self_reversals"],
    )
    st.altair_chart(heatmap, width="stretch")
    st.dataframe(pairs, hide_index=True)
    _source(filters, "marts.mart_actor_conflicts")


# ---------------------------------------------------------------- Propositions

def propositions(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    st.header("Propositions")
    contested = queries.contested_propositions(con, filters)
    if contested.empty:
        st.info("No propositions match the filters.")
        return
    st.subheader("Most contested")
    st.dataframe(contested, hide_index=True)
    _source(filters, "marts.mart_contested_propositions")

    labels = dict(zip(contested["proposition_id"], contested["proposition_label"]))
    proposition_id = st.selectbox("Proposition", list(labels), format_func=labels.get, key="proposition_detail")
    timeline = queries.proposition_timeline(con, proposition_id, filters)
    st.subheader(f"Timeline: {labels[proposition_id]}")
    st.markdown("Claims" + _shown(queries.proposition_claim_count(con, proposition_id, filters)))
    chart = alt.Chart(timeline).mark_point(filled=True, size=120).encode(
        x=alt.X("published_at:T", title="published"),
        y=alt.Y("speaker:N", title=None),
        color=alt.Color("side:N", scale=alt.Scale(domain=["for", "against", "unknown"],
                                                  range=["#2e7d32", "#c62828", "#9e9e9e"])),
        shape="stance:N",
        tooltip=["published_at", "speaker", "side", "stance", "cue", "source", "content"],
    )
    st.altair_chart(chart, width="stretch")
    st.dataframe(timeline, hide_index=True)
    st.caption("Source: `marts.fct_claims` where `proposition_id` is the selected one; side = polarity.")


# ---------------------------------------------------------------- Evidence

def _show_claim(con: duckdb.DuckDBPyConnection, claim_id: str) -> None:
    claim = queries.claim_evidence(con, claim_id)
    if claim is None:
        st.warning(f"No claim {claim_id}.")
        return
    st.markdown(f"**{claim['speaker']}** — *{claim['cue']}* ({claim['stance']}, polarity {claim['polarity']:+d})")
    st.markdown(evidence.claim_html(claim), unsafe_allow_html=True)
    st.markdown(evidence.LEGEND_HTML, unsafe_allow_html=True)
    st.markdown(
        f"Published {claim['published_at']} by {claim['publishers'] or claim['source']} · "
        f"*{claim['title']}*" + (f" · {claim['url']}" if claim["url"] else "")
    )
    st.caption(
        f"Proposition: {claim['proposition_label'] or '–'} · confidence {claim['confidence']} · "
        f"claim_id `{claim['claim_id']}` · article_id `{claim['article_id']}` · "
        f"speaker chars {claim['speaker_start']}–{claim['speaker_end']}, cue {claim['cue_start']}–{claim['cue_end']}, "
        f"content {claim['content_start']}–{claim['content_end']} of `raw.articles.text`"
    )


def evidence_page(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    st.header("Evidence")
    what = st.radio("Show the source of", ["Claim", "Contradiction"], horizontal=True, key="evidence_kind")
    if what == "Claim":
        claims = queries.claim_choices(con, filters)
        if claims.empty:
            st.info("No claims match the filters.")
            return
        labels = {row.claim_id: f"{_day(row.published_at)} · {row.speaker} {row.cue}: {row.content[:80]}"
                  for row in claims.itertuples()}
        claim_id = st.selectbox("Claim", list(labels), format_func=labels.get, key="evidence_claim")
        _show_claim(con, claim_id)
    else:
        pairs = queries.contradiction_choices(con, filters)
        if pairs.empty:
            st.info("No contradictions match the filters.")
            return
        labels = {row.contradiction_id: f"{row.kind} ({row.score:.2f}) · {row.proposition_label}"
                  for row in pairs.itertuples()}
        contradiction_id = st.selectbox("Contradiction", list(labels), format_func=labels.get,
                                        key="evidence_contradiction")
        pair = queries.contradiction(con, contradiction_id)
        st.markdown(f"**{pair['kind']}** on *{pair['proposition_label']}*, score {pair['score']}, "
                    f"contradiction_id `{pair['contradiction_id']}`")
        left, right = st.columns(2)
        with left:
            st.subheader("Claim")
            _show_claim(con, pair["claim_id"])
        with right:
            st.subheader("Contradicted by")
            _show_claim(con, pair["contradicting_claim_id"])


# ---------------------------------------------------------------- Data quality

def data_quality(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    st.header("Data quality")
    st.subheader("Quarantine by reason")
    by_reason = queries.quarantine_by_reason(con)
    st.metric("Quarantined records", int(by_reason["n_records"].sum()) if not by_reason.empty else 0)
    if by_reason.empty:
        st.success("Nothing in quarantine.")
    else:
        st.bar_chart(by_reason, x="reason_code", y="n_records")
        st.dataframe(by_reason, hide_index=True)
        with st.expander("Quarantined records"):
            st.dataframe(queries.quarantine_records(con), hide_index=True)
    st.caption("Source: `raw.quarantine` (not affected by the filters).")

    st.subheader("Checks")
    checks = queries.latest_check_results(con)
    if checks.empty:
        st.info("No check results recorded yet: run `claimhouse run`.")
    else:
        n_failed = int((~checks["passed"].astype(bool)).sum())
        st.metric("Failing checks", n_failed)
        st.dataframe(checks, hide_index=True)
    st.caption("Source: `raw.check_results` (latest per check, from the run that published this snapshot; "
               "dbt tests run in the same graph and stop the build when they fail; `claimhouse ui` shows "
               "every check's history).")

    st.subheader("Names no alias resolves")
    st.dataframe(queries.unresolved_names(con), hide_index=True)
    st.caption("Source: `marts.mart_unresolved_names`: add them to `dbt_project/seeds/actor_aliases.csv`.")


PAGES: dict[str, Page] = {
    "Overview": overview,
    "Actors": actors,
    "Conflicts": conflicts,
    "Propositions": propositions,
    "Evidence": evidence_page,
    "Data quality": data_quality,
}
