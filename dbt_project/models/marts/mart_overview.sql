{#- The dashboard's headline figures over every claim, in one row: the unfiltered
    overview reads it in constant time whatever the warehouse's size.  With a
    filter set, pipelines/dashboard/queries.py recomputes the same figures over
    the filtered claims.  A claim is contradicted when it stands in at least one
    conflict pair, on either side. -#}

with claims as (
    select claim_id, article_id, speaker_actor_id from {{ ref('fct_claims') }}
),

contradictions as (
    select claim_id, contradicting_claim_id from {{ ref('fct_contradictions') }}
),

contradicted as (
    select claim_id from contradictions
    union
    select contradicting_claim_id as claim_id from contradictions
),

claim_counts as (
    select
        count(distinct article_id) as n_claim_articles,
        count(*) as n_claims,
        count(distinct speaker_actor_id) as n_actors
    from claims
),

contradiction_counts as (
    select count(*) as n_contradictions from contradictions
),

contradicted_counts as (
    select count(*) as n_contradicted_claims
    from claims
    inner join contradicted on claims.claim_id = contradicted.claim_id
)

select
    claim_counts.n_claim_articles,
    claim_counts.n_claims,
    claim_counts.n_actors,
    contradiction_counts.n_contradictions,
    contradicted_counts.n_contradicted_claims
from claim_counts
cross join contradiction_counts
cross join contradicted_counts
