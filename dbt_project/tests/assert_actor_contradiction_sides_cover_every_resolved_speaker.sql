{{ config(meta={'dagster': {'ref': {'name': 'mart_actor_contradiction_sides'}}}) }}
{#- The actor page lists an actor's conflicts from mart_actor_contradiction_sides
    alone: it must hold exactly one row per resolved speaker's side of each
    pair of fct_contradictions, under that speaker.  Both tables replace the
    same days in a run; the check reads the days this build wrote. -#}
with expected as (
    select contradiction_id, claim_id as own_claim_id, claim_actor_id as actor_id
    from {{ ref('fct_contradictions') }}
    where claim_actor_id is not null and {{ rows_this_build_wrote('day') }}
    union all
    select contradiction_id, contradicting_claim_id as own_claim_id, contradicting_actor_id as actor_id
    from {{ ref('fct_contradictions') }}
    where contradicting_actor_id is not null and {{ rows_this_build_wrote('day') }}
),

sides as (
    select contradiction_id, own_claim_id, actor_id from {{ ref('mart_actor_contradiction_sides') }}
    where {{ rows_this_build_wrote('day') }}
),

{{ rows_missing_or_extra('expected', 'sides') }}

select * from final
