{#- Claims per publication day, publisher and speaking actor, and how many of
    them stand in at least one conflict pair (on either side).  Every count is
    additive, so the dashboard answers any filter on date range, publishers and
    speakers by adding up cells instead of scanning every claim and every
    conflict pair.  Keys are null where the claim has none: an undated article
    (no publication day; the date filters leave it out, as they do its
    claims), no publisher, no resolved speaker. -#}

with claims as (
    select claim_id, published_at, source, speaker_actor_id from {{ ref('fct_claims') }}
),

contradictions as (
    select claim_id, contradicting_claim_id from {{ ref('fct_contradictions') }}
),

contradicted as (
    select claim_id from contradictions
    union
    select contradicting_claim_id as claim_id from contradictions
),

final as (
    select
        cast(claims.published_at as date) as published_on,
        claims.source,
        claims.speaker_actor_id as actor_id,
        count(*) as n_claims,
        count(contradicted.claim_id) as n_contradicted_claims
    from claims
    left join contradicted on claims.claim_id = contradicted.claim_id
    group by cast(claims.published_at as date), claims.source, claims.speaker_actor_id
)

select * from final
