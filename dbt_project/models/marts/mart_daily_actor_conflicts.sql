{#- Who contradicts whom, in cells the dashboard's filters can select: the
    conflict pairs between two resolved actors, by the publication day and
    publisher of each side and by proposition.  A filter keeps a cell when
    either side passes it (as it keeps a pair), and the conflicts page adds the
    kept cells up per actor pair; the proposition in the key keeps the count of
    distinct propositions exact.  Far fewer rows than pairs to read, and no
    claim lookups.  Incremental like the pairs it counts: from the run's first
    day on. -#}
{{ from_first_run_day_incremental() }}

with contradictions as (
    select * from {{ ref('fct_contradictions') }}
    where claim_actor_id is not null
        and contradicting_actor_id is not null
        and {{ from_first_run_day('day') }}
),

final as (
    select
        day,
        cast(claim_published_at as date) as claim_published_on,
        cast(contradicted_at as date) as contradicting_published_on,
        claim_source,
        contradicting_source,
        claim_actor_id as actor_id,
        contradicting_actor_id,
        proposition_id,
        count(*) as n_contradictions,
        sum(case when kind = 'denial' then 1 else 0 end) as n_denials,
        sum(case when kind = 'doubt' then 1 else 0 end) as n_doubts,
        sum(case when kind = 'opposite_polarity' then 1 else 0 end) as n_opposite_polarity,
        sum(case when kind = 'self_reversal' then 1 else 0 end) as n_self_reversals,
        max(contradicted_at) as last_contradicted_at
    from contradictions
    group by
        day,
        cast(claim_published_at as date),
        cast(contradicted_at as date),
        claim_source,
        contradicting_source,
        claim_actor_id,
        contradicting_actor_id,
        proposition_id
)

select * from final
{{ in_day_order() }}
