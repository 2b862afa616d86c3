{#- Conflict pairs by the publication days of their two claims: the dashboard
    counts the pairs touching a date range (either side published in it) by
    adding up cells instead of joining every pair to the claims.  A day is null
    for a claim of an undated article. -#}

with contradictions as (
    select claim_published_at, contradicted_at from {{ ref('fct_contradictions') }}
),

final as (
    select
        cast(claim_published_at as date) as claim_published_on,
        cast(contradicted_at as date) as contradicting_published_on,
        count(*) as n_contradictions
    from contradictions
    group by cast(claim_published_at as date), cast(contradicted_at as date)
)

select * from final
