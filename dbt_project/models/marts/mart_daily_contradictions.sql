{#- Conflict pairs by the publication days of their two claims: the dashboard
    counts the pairs touching a date range (either side published in it) by
    adding up cells instead of joining every pair to the claims.  A day is null
    for a claim of an undated article. -#}

with contradictions as (
    select claim_id, contradicted_at from {{ ref('fct_contradictions') }}
),

claims as (
    select claim_id, published_at from {{ ref('fct_claims') }}
),

final as (
    select
        cast(claims.published_at as date) as claim_published_on,
        cast(contradictions.contradicted_at as date) as contradicting_published_on,
        count(*) as n_contradictions
    from contradictions
    inner join claims on contradictions.claim_id = claims.claim_id
    group by cast(claims.published_at as date), cast(contradictions.contradicted_at as date)
)

select * from final
