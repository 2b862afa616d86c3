{{ config(meta={'dagster': {'ref': {'name': 'fct_contradictions'}}}) }}
{#- Both claims of every contradiction are about the contradiction's
    proposition: pairs are only formed within one proposition.
    Reads the pairs this build wrote (rows_this_build_wrote): earlier pairs
    join only claims of earlier days, which the build leaves alone. -#}
with contradictions as (
    select * from {{ ref('fct_contradictions') }}
    where {{ rows_this_build_wrote('day') }}
),

claims as (
    select claim_id, proposition_id from {{ ref('fct_claims') }}
),

final as (
    select
        contradictions.contradiction_id,
        contradictions.proposition_id,
        claimed.proposition_id as claim_proposition_id,
        contradicting.proposition_id as contradicting_proposition_id
    from contradictions
    left join claims as claimed on contradictions.claim_id = claimed.claim_id
    left join claims as contradicting on contradictions.contradicting_claim_id = contradicting.claim_id
    where claimed.proposition_id is distinct from contradictions.proposition_id
        or contradicting.proposition_id is distinct from contradictions.proposition_id
)

select * from final
