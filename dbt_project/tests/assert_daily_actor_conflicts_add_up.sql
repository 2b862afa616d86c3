{{ config(meta={'dagster': {'ref': {'name': 'mart_daily_actor_conflicts'}}}) }}
{#- The conflicts page adds up mart_daily_actor_conflicts' cells in place of
    the pairs: per day and kind, the cells must count exactly the pairs of
    fct_contradictions between two resolved actors.  Both tables replace the
    same days in a run; the check reads the days this build wrote. -#}
with pairs as (
    select
        day,
        count(*) as n_contradictions,
        sum(case when kind = 'denial' then 1 else 0 end) as n_denials,
        sum(case when kind = 'doubt' then 1 else 0 end) as n_doubts,
        sum(case when kind = 'opposite_polarity' then 1 else 0 end) as n_opposite_polarity,
        sum(case when kind = 'self_reversal' then 1 else 0 end) as n_self_reversals
    from {{ ref('fct_contradictions') }}
    where claim_actor_id is not null
        and contradicting_actor_id is not null
        and {{ rows_this_build_wrote('day') }}
    group by day
),

cells as (
    select
        day,
        sum(n_contradictions) as n_contradictions,
        sum(n_denials) as n_denials,
        sum(n_doubts) as n_doubts,
        sum(n_opposite_polarity) as n_opposite_polarity,
        sum(n_self_reversals) as n_self_reversals
    from {{ ref('mart_daily_actor_conflicts') }}
    where {{ rows_this_build_wrote('day') }}
    group by day
),

{{ rows_missing_or_extra('pairs', 'cells') }}

select * from final
