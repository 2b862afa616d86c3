{#- The actor page lists an actor's conflicts from mart_actor_contradiction_sides
    alone: it must hold exactly one row per resolved speaker's side of each
    pair of fct_contradictions, under that speaker. -#}
with expected as (
    select contradiction_id, claim_id as own_claim_id, claim_actor_id as actor_id
    from {{ ref('fct_contradictions') }}
    where claim_actor_id is not null
    union all
    select contradiction_id, contradicting_claim_id as own_claim_id, contradicting_actor_id as actor_id
    from {{ ref('fct_contradictions') }}
    where contradicting_actor_id is not null
),

sides as (
    select contradiction_id, own_claim_id, actor_id from {{ ref('mart_actor_contradiction_sides') }}
),

missing as (
    select 'missing' as problem, expected.* from expected
    left join sides
        on expected.contradiction_id = sides.contradiction_id
        and expected.own_claim_id = sides.own_claim_id
        and expected.actor_id = sides.actor_id
    where sides.contradiction_id is null
),

extra as (
    select 'extra' as problem, sides.* from sides
    left join expected
        on sides.contradiction_id = expected.contradiction_id
        and sides.own_claim_id = expected.own_claim_id
        and sides.actor_id = expected.actor_id
    where expected.contradiction_id is null
),

final as (
    select * from missing
    union all
    select * from extra
)

select * from final
