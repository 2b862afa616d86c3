{#- Who contradicts whom: one row per ordered pair of actors, added up from
    the cells of mart_daily_actor_conflicts (the dashboard adds up the same
    cells under a filter, so both give one definition).  The proposition in the
    cells' key keeps the count of distinct propositions exact. -#}
with cells as (
    select * from {{ ref('mart_daily_actor_conflicts') }}
),

final as (
    select
        actor_id,
        contradicting_actor_id,
        cast(sum(n_contradictions) as bigint) as n_contradictions,
        count(distinct proposition_id) as n_propositions,
        cast(sum(n_denials) as bigint) as n_denials,
        cast(sum(n_doubts) as bigint) as n_doubts,
        cast(sum(n_opposite_polarity) as bigint) as n_opposite_polarity,
        cast(sum(n_self_reversals) as bigint) as n_self_reversals,
        max(last_contradicted_at) as last_contradicted_at
    from cells
    group by actor_id, contradicting_actor_id
)

select * from final
