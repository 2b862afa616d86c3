{{ config(meta={'dagster': {'ref': {'name': 'mart_daily_claims'}}}) }}
{#- The dashboard adds up the daily marts' cells in place of scanning the fact
    tables: over all cells they give the fact tables' totals. -#}
with daily_claims as (
    select
        sum(n_claims) as n_claims,
        sum(n_contradicted_claims) as n_contradicted_claims
    from {{ ref('mart_daily_claims') }}
),

daily_contradictions as (
    select sum(n_contradictions) as n_contradictions from {{ ref('mart_daily_contradictions') }}
),

overview as (
    select n_claims, n_contradicted_claims, n_contradictions from {{ ref('mart_overview') }}
),

final as (
    select
        overview.n_claims,
        daily_claims.n_claims as daily_n_claims,
        overview.n_contradicted_claims,
        daily_claims.n_contradicted_claims as daily_n_contradicted_claims,
        overview.n_contradictions,
        daily_contradictions.n_contradictions as daily_n_contradictions
    from overview
    cross join daily_claims
    cross join daily_contradictions
    where coalesce(daily_claims.n_claims, 0) != overview.n_claims
        or coalesce(daily_claims.n_contradicted_claims, 0) != overview.n_contradicted_claims
        or coalesce(daily_contradictions.n_contradictions, 0) != overview.n_contradictions
)

select * from final
