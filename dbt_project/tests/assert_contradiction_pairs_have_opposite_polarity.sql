{{ config(meta={'dagster': {'ref': {'name': 'fct_contradictions'}}}) }}
{#- Two claims conflict only when they take opposite sides of the
    proposition: one polarity +1, the other -1.
    Reads the pairs this build wrote (rows_this_build_wrote): earlier pairs
    join only claims of earlier days, which the build leaves alone. -#}
with contradictions as (
    select * from {{ ref('fct_contradictions') }}
    where {{ rows_this_build_wrote('day') }}
),

claims as (
    select claim_id, polarity from {{ ref('fct_claims') }}
),

final as (
    select
        contradictions.contradiction_id,
        claimed.polarity as claim_polarity,
        contradicting.polarity as contradicting_polarity
    from contradictions
    left join claims as claimed on contradictions.claim_id = claimed.claim_id
    left join claims as contradicting on contradictions.contradicting_claim_id = contradicting.claim_id
    where claimed.polarity is null
        or contradicting.polarity is null
        or claimed.polarity * contradicting.polarity != -1
)

select * from final
