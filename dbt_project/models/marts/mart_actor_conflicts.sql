{#- Who contradicts whom: one row per ordered pair of actors. -#}
with contradictions as (
    select * from {{ ref('fct_contradictions') }}
    where claim_actor_id is not null and contradicting_actor_id is not null
),

final as (
    select
        claim_actor_id as actor_id,
        contradicting_actor_id,
        count(*) as n_contradictions,
        count(distinct proposition_id) as n_propositions,
        sum(case when kind = 'denial' then 1 else 0 end) as n_denials,
        sum(case when kind = 'doubt' then 1 else 0 end) as n_doubts,
        sum(case when kind = 'opposite_polarity' then 1 else 0 end) as n_opposite_polarity,
        sum(case when kind = 'self_reversal' then 1 else 0 end) as n_self_reversals,
        max(contradicted_at) as last_contradicted_at
    from contradictions
    group by claim_actor_id, contradicting_actor_id
)

select * from final
