"""Every query the dashboard runs, as named functions over a read-only DuckDB connection.

The SQL text is constant: filters and selections reach DuckDB only as bound
``$name`` parameters, never spliced into the query.  Each function returns a
pandas frame (what Streamlit renders natively).

Filters (date range, publishers, speaking actors) select a set of claims from
``marts.fct_claims``.  With no filter set, the pages read the precomputed marts
(``mart_overview``, ``mart_contradiction_rates``, ``mart_actor_conflicts``,
``mart_contested_propositions``); with a filter set, the same figures are
recomputed over the filtered claims with the marts' definitions.  Counts that
add up over days, publishers and speakers (claims, contradicted claims, claims
per day, per-actor rates) come from the cells of ``mart_daily_claims``, the
conflict pairs touching a date range from ``mart_daily_contradictions``, and
the conflicts between actors from the cells of ``mart_daily_actor_conflicts``,
so the common filters cost the same whatever the number of conflict pairs; an
actor's conflicts are its rows of ``mart_actor_contradiction_sides``; the
tests compare every such figure with the same one computed on the fact tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects: claims published in [date_from, date_to], by these publishers and speakers."""

    date_from: date | None = None
    date_to: date | None = None
    publishers: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.date_from is None and self.date_to is None and not self.publishers and not self.actors

    def params(self) -> dict:
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "publishers": list(self.publishers),
            "actors": list(self.actors),
        }


def _time_in_date_range(published_at: str) -> str:
    """A predicate: the time in ``published_at`` lies in the filter's date range (whole days)."""
    return (f"((cast($date_from as date) is null or {published_at} >= cast($date_from as date))"
            f" and (cast($date_to as date) is null or {published_at} < cast($date_to as date) + interval 1 day))")


def _in_date_range(column: str) -> str:
    """A predicate: the day in ``column`` (null when undated) lies in the filter's date range."""
    return (f"((cast($date_from as date) is null or {column} >= cast($date_from as date))"
            f" and (cast($date_to as date) is null or {column} <= cast($date_to as date)))")


def _claim_filter(in_date_range: str, source: str, speaker_actor_id: str) -> str:
    """The sidebar's filters on one claim, as a predicate bound to the filter parameters: ``in_date_range``
    tests its publication time or day (``_time_in_date_range``, ``_in_date_range``), ``source`` and
    ``speaker_actor_id`` name the columns that hold its publisher and speaking actor."""
    return f"""(
    {in_date_range}
    and (len(cast($publishers as varchar[])) = 0 or list_contains(cast($publishers as varchar[]), {source}))
    and (len(cast($actors as varchar[])) = 0 or list_contains(cast($actors as varchar[]), {speaker_actor_id}))
)"""


# On a marts.fct_claims row (aliased ``c``).
_CLAIM_FILTER = _claim_filter(_time_in_date_range("c.published_at"), "c.source", "c.speaker_actor_id")

_FILTERED_CLAIMS = f"filtered_claims as (select c.* from marts.fct_claims as c where {_CLAIM_FILTER})"

# The same predicate on a marts.mart_daily_claims cell (aliased ``d``): a claim passes the date
# filter exactly when its publication day lies in [date_from, date_to].
_CELL_FILTER = _claim_filter(_in_date_range("d.published_on"), "d.source", "d.actor_id")

_FILTERED_CELLS = f"filtered_cells as (select d.* from marts.mart_daily_claims as d where {_CELL_FILTER})"

# A pair's ``day`` is its later claim's, so a pair with a side in the date range has its day on or after
# date_from: the pairs are stored in day order, and this lets a scan skip the row groups of earlier days.
_NOT_BEFORE_DATE_FROM = "(cast($date_from as date) is null or {day} >= cast($date_from as date))"

# Contradictions touching the filtered claims, on either side (conflict is mutual).  A pair passes only
# if one of its claims passes the date filter, so it is tested first on the two claims' publication times
# the pair carries: a scan of two columns spares the claim-id lookups for the pairs outside the range.
_FILTERED_CONTRADICTIONS = f"""
filtered_contradictions as (
    select x.* from marts.fct_contradictions as x
    where {_NOT_BEFORE_DATE_FROM.format(day="x.day")}
      and ({_time_in_date_range("x.claim_published_at")} or {_time_in_date_range("x.contradicted_at")})
      and (x.claim_id in (select claim_id from filtered_claims)
           or x.contradicting_claim_id in (select claim_id from filtered_claims))
)"""

# Claims that stand in at least one conflict pair, on either side.
_CONTRADICTED_IDS = """
contradicted_ids as (
    select claim_id from marts.fct_contradictions
    union
    select contradicting_claim_id from marts.fct_contradictions
)"""

# Wilson's 95% score interval, as in dbt_project/models/marts/mart_contradiction_rates.sql.
_WILSON = """
    round(greatest(0.0, (p + 3.8416 / (2 * n) - 1.96 * sqrt(p * (1 - p) / n + 3.8416 / (4 * n * n)))
                        / (1 + 3.8416 / n)), 4) as contradiction_rate_ci_low,
    round(least(1.0, (p + 3.8416 / (2 * n) + 1.96 * sqrt(p * (1 - p) / n + 3.8416 / (4 * n * n)))
                     / (1 + 3.8416 / n)), 4) as contradiction_rate_ci_high
"""


def _frame(con: duckdb.DuckDBPyConnection, query: str, parameters: dict | None = None) -> pd.DataFrame:
    return con.execute(query, parameters or {}).df()


# ---------------------------------------------------------------- sidebar choices

def filter_choices(con: duckdb.DuckDBPyConnection) -> dict:
    """Date bounds, publishers and speaking actors to offer in the sidebar."""
    # From the daily cells: the same days, publishers and speakers as marts.fct_claims, fewer rows.
    first, last = con.execute(
        "select min(published_on), max(published_on) from marts.mart_daily_claims"
    ).fetchone()
    publishers = [r[0] for r in con.execute(
        "select distinct source from marts.mart_daily_claims where source is not null order by 1").fetchall()]
    actors = _frame(con, """
        select a.actor_id, a.name from marts.dim_actors as a
        where a.actor_id in (select actor_id from marts.mart_daily_claims)
        order by a.name""")
    return {"first_day": first, "last_day": last, "publishers": publishers, "actors": actors}


# ---------------------------------------------------------------- overview

def overview_metrics(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Articles, claims, speaking actors, contradictions and the share of claims contradicted."""
    if filters.is_empty:  # precomputed: recomputing scans every conflict pair, slow on a large warehouse
        row = con.execute("""
            select n_claim_articles, n_claims, n_actors, n_contradictions, n_contradicted_claims
            from marts.mart_overview
        """).fetchone()
    elif not filters.publishers and not filters.actors:
        # A date range only: cells of the daily marts.  An article has one publication day, so
        # its claims are all in or all out; a pair is in when either of its claims' days is.
        row = con.execute(f"""
            with {_FILTERED_CELLS}
            select
                (select count(distinct c.article_id) from marts.fct_claims as c where {_CLAIM_FILTER})
                    as claim_articles,
                (select cast(coalesce(sum(n_claims), 0) as bigint) from filtered_cells) as claims,
                (select count(distinct actor_id) from filtered_cells) as actors,
                (select cast(coalesce(sum(n_contradictions), 0) as bigint) from marts.mart_daily_contradictions
                 where {_in_date_range("claim_published_on")} or {_in_date_range("contradicting_published_on")})
                    as contradictions,
                (select cast(coalesce(sum(n_contradicted_claims), 0) as bigint) from filtered_cells)
                    as contradicted_claims
        """, filters.params()).fetchone()
    else:
        row = con.execute(f"""
            with {_FILTERED_CLAIMS}, {_FILTERED_CONTRADICTIONS}, {_CONTRADICTED_IDS}
            select
                (select count(distinct article_id) from filtered_claims) as claim_articles,
                (select count(*) from filtered_claims) as claims,
                (select count(distinct speaker_actor_id) from filtered_claims) as actors,
                (select count(*) from filtered_contradictions) as contradictions,
                (select count(*) from filtered_claims where claim_id in (select claim_id from contradicted_ids))
                    as contradicted_claims
        """, filters.params()).fetchone()
    articles = con.execute("""
        select count(*) from raw.articles as c where
        (cast($date_from as date) is null or c.published_at >= cast($date_from as date))
        and (cast($date_to as date) is null or c.published_at < cast($date_to as date) + interval 1 day)
        and (len(cast($publishers as varchar[])) = 0 or c.article_id in (
            select article_id from raw.article_sources
            where list_contains(cast($publishers as varchar[]), source)))
        and (len(cast($actors as varchar[])) = 0 or c.article_id in (
            select article_id from marts.fct_claims where list_contains(cast($actors as varchar[]), speaker_actor_id)))
    """, filters.params()).fetchone()[0]
    claim_articles, claims, actors, contradictions, contradicted = row
    return {
        "articles": articles,
        "articles_with_claims": claim_articles,
        "claims": claims,
        "actors": actors,
        "contradictions": contradictions,
        "contradicted_claims": contradicted,
        "contradiction_rate": (contradicted / claims) if claims else None,
    }


def claims_per_day(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, f"""
        with {_FILTERED_CELLS}
        select published_on as day, cast(sum(n_claims) as bigint) as n_claims
        from filtered_cells group by 1 order by 1
    """, filters.params())


def freshness(con: duckdb.DuckDBPyConnection) -> dict:
    """Newest article, last load and last extraction run in the warehouse."""
    latest_article, latest_load = con.execute(
        "select max(published_at), max(first_loaded_at) from raw.articles").fetchone()
    latest_run = con.execute("select max(extracted_at) from raw.extracted_articles").fetchone()[0]
    return {"latest_article": latest_article, "latest_load": latest_load, "latest_run": latest_run}


# ---------------------------------------------------------------- actors

def actor_contradiction_rates(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per speaking actor: claims, contradicted claims, rate and its 95% Wilson interval."""
    if filters.is_empty:
        return _frame(con, """
            select a.name, r.actor_id, a.actor_type, r.n_claims, r.n_contradicted, r.contradiction_rate,
                   r.contradiction_rate_ci_low, r.contradiction_rate_ci_high
            from marts.mart_contradiction_rates as r
            left join marts.dim_actors as a using (actor_id)
            order by r.n_claims desc, a.name
        """)
    return _frame(con, f"""
        with {_FILTERED_CELLS},
        per_actor as (
            select actor_id, cast(sum(n_claims) as bigint) as n, cast(sum(n_contradicted_claims) as bigint) as k
            from filtered_cells where actor_id is not null
            group by 1
        ),
        rated as (select actor_id, n, k, cast(k as double) / n as p from per_actor)
        select a.name, r.actor_id, a.actor_type, r.n as n_claims, r.k as n_contradicted,
               round(r.p, 4) as contradiction_rate, {_WILSON}
        from rated as r left join marts.dim_actors as a using (actor_id)
        order by r.n desc, a.name
    """, filters.params())


# On an actor's side of a pair (a marts.mart_actor_contradiction_sides row, aliased ``s``): its own claim.
_SIDE_FILTER = _claim_filter(_time_in_date_range("s.own_published_at"), "s.own_source", "s.actor_id")

NEWEST_ROWS = 500
"""The most rows an actor's tables and a proposition's timeline return, the newest: a prolific actor or a
much-repeated proposition has tens of thousands of claims at 100,000 articles, which no one reads in a
table and which cost more to send than to find.  ``actor_totals`` and ``proposition_claim_count`` say how
many there are in all."""


def actor_totals(con: duckdb.DuckDBPyConnection, actor_id: str, filters: Filters) -> tuple[int, int]:
    """How many claims the actor made, and how many pair sides its claims are, under the filters."""
    return con.execute(f"""
        select
            (select count(*) from marts.fct_claims as c where c.speaker_actor_id = $actor_id and {_CLAIM_FILTER}),
            (select count(*) from marts.mart_actor_contradiction_sides as s
             where s.actor_id = $actor_id and {_SIDE_FILTER})
    """, {**filters.params(), "actor_id": actor_id}).fetchone()


def actor_claims(con: duckdb.DuckDBPyConnection, actor_id: str, filters: Filters,
                 limit: int = NEWEST_ROWS) -> pd.DataFrame:
    """The actor's latest ``limit`` claims, newest first, with how many times each was contradicted."""
    # Count each own claim's contradictions with a join on each side (a correlated
    # subquery with an OR runs a scan of the pairs per claim), for the shown claims only.
    return _frame(con, f"""
        with {_FILTERED_CLAIMS},
        own as (
            select * from filtered_claims as c where c.speaker_actor_id = $actor_id
            order by c.published_at desc, c.claim_id desc
            limit $limit
        ),
        -- The pairs' actor columns select the actor's pairs before any join.
        sides as (
            select x.claim_id from marts.fct_contradictions as x join own on own.claim_id = x.claim_id
            where x.claim_actor_id = $actor_id
            union all
            select x.contradicting_claim_id from marts.fct_contradictions as x
            join own on own.claim_id = x.contradicting_claim_id
            where x.contradicting_actor_id = $actor_id
              and x.contradicting_claim_id <> x.claim_id  -- a pair is counted once per claim
        ),
        counts as (select claim_id, count(*) as n_contradictions from sides group by 1)
        select c.published_at, c.source, c.speaker_text, c.cue, c.stance, c.polarity, c.content,
               coalesce(n.n_contradictions, 0) as n_contradictions,
               c.claim_id
        from own as c
        left join counts as n using (claim_id)
        order by c.published_at desc, c.claim_id desc
    """, {**filters.params(), "actor_id": actor_id, "limit": limit})


def actor_contradictors(con: duckdb.DuckDBPyConnection, actor_id: str, filters: Filters,
                        limit: int = NEWEST_ROWS) -> pd.DataFrame:
    """Who contradicts the actor's claims (either side of a pair), with both claims: the ``limit`` pair sides
    whose own claim is newest."""
    return _frame(con, f"""
        select s.other_speaker as contradicted_by, s.kind, s.score,
               s.own_published_at, s.own_content as own_claim,
               s.other_published_at as their_published_at, s.other_content as their_claim,
               s.contradiction_id
        from marts.mart_actor_contradiction_sides as s
        where s.actor_id = $actor_id and {_SIDE_FILTER}
        order by s.own_published_at desc, their_published_at desc, s.contradiction_id
        limit $limit
    """, {**filters.params(), "actor_id": actor_id, "limit": limit})


# ---------------------------------------------------------------- conflicts

TOP_PAIRS = 500
"""The most actor pairs the conflicts page shows, those with the most conflict pairs: the 100,000-article
benchmark warehouse has 294,220 of them, which no heatmap or table can show and which took 160-270 ms to
send."""

# The conflicts between each ordered pair of resolved actors, as in dbt_project/models/marts/mart_actor_conflicts.sql,
# over the filtered pairs: the cells of marts.mart_daily_actor_conflicts either side of which passes the filters.
# The proposition in the cells' key keeps the count of propositions exact: the cells are added up per pair and
# proposition first, then per pair (a quarter faster than count(distinct), which DuckDB computes in a second
# aggregation joined back).  Materialized: the page reads it twice.
_FILTERED_ACTOR_CONFLICTS = f"""
per_proposition as (
    select m.actor_id, m.contradicting_actor_id, m.proposition_id,
           sum(m.n_contradictions) as n_contradictions,
           sum(m.n_denials) as n_denials,
           sum(m.n_doubts) as n_doubts,
           sum(m.n_opposite_polarity) as n_opposite_polarity,
           sum(m.n_self_reversals) as n_self_reversals,
           max(m.last_contradicted_at) as last_contradicted_at
    from marts.mart_daily_actor_conflicts as m
    where {_NOT_BEFORE_DATE_FROM.format(day="m.day")}
      and ({_claim_filter(_in_date_range("m.claim_published_on"), "m.claim_source", "m.actor_id")}
       or {_claim_filter(_in_date_range("m.contradicting_published_on"), "m.contradicting_source",
                         "m.contradicting_actor_id")})
    group by m.actor_id, m.contradicting_actor_id, m.proposition_id
),
pairs as materialized (
    select actor_id, contradicting_actor_id,
           cast(sum(n_contradictions) as bigint) as n_contradictions,
           count(*) as n_propositions,
           cast(sum(n_denials) as bigint) as n_denials,
           cast(sum(n_doubts) as bigint) as n_doubts,
           cast(sum(n_opposite_polarity) as bigint) as n_opposite_polarity,
           cast(sum(n_self_reversals) as bigint) as n_self_reversals,
           max(last_contradicted_at) as last_contradicted_at
    from per_proposition
    group by actor_id, contradicting_actor_id
)"""


def actor_conflicts(con: duckdb.DuckDBPyConnection, filters: Filters,
                    limit: int = TOP_PAIRS) -> tuple[pd.DataFrame, int]:
    """The ``limit`` ordered actor pairs with the most conflicts, most first (how often ``actor``'s claims are
    contradicted by ``contradicting_actor``), and how many pairs there are in all."""
    if filters.is_empty:
        pairs, with_pairs, parameters = "marts.mart_actor_conflicts", "", {"limit": limit}
    else:
        pairs = "pairs"
        with_pairs = f"{_FILTERED_ACTOR_CONFLICTS},"
        parameters = {**filters.params(), "limit": limit}
    # Names are joined to the kept pairs only.  DuckDB computes the filtered pairs once for both uses.
    frame = _frame(con, f"""
        with {with_pairs}
        top as (
            select *, (select count(*) from {pairs}) as n_pairs from {pairs}
            order by n_contradictions desc, actor_id, contradicting_actor_id
            limit $limit
        )
        select coalesce(a.name, m.actor_id) as actor, coalesce(b.name, m.contradicting_actor_id) as contradicting_actor,
               m.n_contradictions, m.n_propositions, m.n_denials, m.n_doubts, m.n_opposite_polarity,
               m.n_self_reversals, m.last_contradicted_at, m.n_pairs
        from top as m
        left join marts.dim_actors as a on a.actor_id = m.actor_id
        left join marts.dim_actors as b on b.actor_id = m.contradicting_actor_id
        order by m.n_contradictions desc, m.actor_id, m.contradicting_actor_id
    """, parameters)
    n_pairs = int(frame["n_pairs"].iloc[0]) if len(frame) else 0
    return frame.drop(columns="n_pairs"), n_pairs


# ---------------------------------------------------------------- propositions

def contested_propositions(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Propositions by contestedness: min(claims for, claims against) over claims."""
    if filters.is_empty:
        return _frame(con, """
            select proposition_label, n_claims, n_claims_for, n_claims_against, n_speakers, n_sources,
                   n_contradictions, contestedness, first_seen_at, last_seen_at, proposition_id
            from marts.mart_contested_propositions
            order by contestedness desc, n_claims desc, proposition_label
        """)
    return _frame(con, f"""
        with {_FILTERED_CLAIMS}, {_FILTERED_CONTRADICTIONS},
        per as (
            select proposition_id, count(*) as n_claims,
                   count(*) filter (where polarity = 1) as n_claims_for,
                   count(*) filter (where polarity = -1) as n_claims_against,
                   count(distinct coalesce(speaker_actor_id, lower(speaker_text))) as n_speakers,
                   count(distinct source) as n_sources,
                   min(published_at) as first_seen_at, max(published_at) as last_seen_at
            from filtered_claims where proposition_id is not null group by 1
        ),
        xs as (select proposition_id, count(*) as n from filtered_contradictions group by 1)
        select d.proposition_label, per.n_claims, per.n_claims_for, per.n_claims_against, per.n_speakers,
               per.n_sources, coalesce(xs.n, 0) as n_contradictions,
               round(cast(least(per.n_claims_for, per.n_claims_against) as double) / per.n_claims, 4)
                   as contestedness,
               per.first_seen_at, per.last_seen_at, per.proposition_id
        from per
        join marts.dim_propositions as d using (proposition_id)
        left join xs using (proposition_id)
        order by contestedness desc, per.n_claims desc, d.proposition_label
    """, filters.params())


def proposition_claim_count(con: duckdb.DuckDBPyConnection, proposition_id: str, filters: Filters) -> int:
    """How many claims on one proposition pass the filters."""
    return con.execute(f"""
        with {_FILTERED_CLAIMS}
        select count(*) from filtered_claims as c where c.proposition_id = $proposition_id
    """, {**filters.params(), "proposition_id": proposition_id}).fetchone()[0]


def proposition_timeline(con: duckdb.DuckDBPyConnection, proposition_id: str, filters: Filters,
                         limit: int = NEWEST_ROWS) -> pd.DataFrame:
    """The newest ``limit`` claims on one proposition, in time order, with their speaker and side."""
    return _frame(con, f"""
        with {_FILTERED_CLAIMS},
        newest as (
            select * from filtered_claims as c where c.proposition_id = $proposition_id
            order by c.published_at desc, c.claim_id desc
            limit $limit
        )
        select c.published_at, coalesce(a.name, c.speaker_text) as speaker,
               case when c.polarity = 1 then 'for' when c.polarity = -1 then 'against' else 'unknown' end as side,
               c.stance, c.cue, c.source, c.content, c.claim_id
        from newest as c
        left join marts.dim_actors as a on a.actor_id = c.speaker_actor_id
        order by c.published_at, speaker
    """, {**filters.params(), "proposition_id": proposition_id, "limit": limit})


# ---------------------------------------------------------------- evidence

def claim_choices(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, f"""
        with {_FILTERED_CLAIMS}
        select c.claim_id, c.published_at, c.source, coalesce(a.name, c.speaker_text) as speaker, c.cue, c.content
        from filtered_claims as c left join marts.dim_actors as a on a.actor_id = c.speaker_actor_id
        order by c.published_at, c.claim_id
    """, filters.params())


def contradiction_choices(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    return _frame(con, f"""
        with {_FILTERED_CLAIMS}, {_FILTERED_CONTRADICTIONS}
        select x.contradiction_id, x.kind, x.score, x.claim_id, x.contradicting_claim_id, d.proposition_label
        from filtered_contradictions as x
        left join marts.dim_propositions as d using (proposition_id)
        order by x.score desc, x.contradiction_id
    """, filters.params())


def claim_evidence(con: duckdb.DuckDBPyConnection, claim_id: str) -> dict | None:
    """One claim with its article text, sentence span and the offsets of speaker, cue and content."""
    cursor = con.execute("""
        select c.claim_id, c.article_id, c.published_at, c.source, c.speaker_actor_id,
               coalesce(a.name, c.speaker_text) as speaker, c.speaker_text, c.cue, c.stance, c.polarity,
               c.content, c.confidence, c.proposition_id, d.proposition_label,
               c.speaker_start, c.speaker_end, c.cue_start, c.cue_end, c.content_start, c.content_end,
               s.start_char as sentence_start, s.end_char as sentence_end, s.sentence_text,
               r.title, r.url, r.text as article_text,
               (select string_agg(distinct src.source, ', ' order by src.source)
                from raw.article_sources as src where src.article_id = c.article_id) as publishers
        from marts.fct_claims as c
        join raw.articles as r on r.article_id = c.article_id
        left join raw.sentences as s
            on s.article_id = c.article_id and s.extractor_version = c.extractor_version
           and s.sentence_index = c.sentence_index
        left join marts.dim_actors as a on a.actor_id = c.speaker_actor_id
        left join marts.dim_propositions as d on d.proposition_id = c.proposition_id
        where c.claim_id = $claim_id
    """, {"claim_id": claim_id})
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row))


def contradiction(con: duckdb.DuckDBPyConnection, contradiction_id: str) -> dict | None:
    cursor = con.execute("""
        select x.*, d.proposition_label from marts.fct_contradictions as x
        left join marts.dim_propositions as d using (proposition_id)
        where x.contradiction_id = $contradiction_id
    """, {"contradiction_id": contradiction_id})
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row))


# ---------------------------------------------------------------- data quality

def quarantine_by_reason(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(con, """
        select reason_code, count(*) as n_records, max(first_seen_at) as last_seen_at
        from raw.quarantine group by 1 order by n_records desc, reason_code
    """)


def quarantine_records(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _frame(con, """
        select reason_code, origin_path, origin_locator, reason, first_seen_at
        from raw.quarantine order by first_seen_at desc, origin_path, origin_locator
    """)


def latest_check_results(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The latest evaluation of each Python-side check, failures first; empty before any run recorded one."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'check_results'"
    ).fetchone()[0]
    if not exists:
        return pd.DataFrame(columns=["check_name", "asset_key", "passed", "severity", "description", "evaluated_at"])
    return _frame(con, """
        select check_name, asset_key, passed, severity, description, evaluated_at
        from raw.check_results
        qualify row_number() over (partition by check_name order by evaluated_at desc) = 1
        order by passed, check_name
    """)


def unresolved_names(con: duckdb.DuckDBPyConnection, limit: int = 25) -> pd.DataFrame:
    return _frame(con, """
        select name_normalized, entity_label, example_text, n_mentions, n_articles
        from marts.mart_unresolved_names order by n_mentions desc, name_normalized limit $limit
    """, {"limit": limit})
