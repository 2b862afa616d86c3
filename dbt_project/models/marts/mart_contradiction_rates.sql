{#- A claim is contradicted when it stands in at least one conflict pair, on
    either side (conflict is mutual).  The interval is Wilson's 95% score
    interval, honest for small samples. -#}
{% set z = 1.96 %}

with claims as (
    select claim_id, speaker_actor_id from {{ ref('int_claims_normalized') }}
    where speaker_actor_id is not null
),

pairs as (
    select claim_id from {{ ref('int_claim_pairs_in_conflict') }}
    union
    select contradicting_claim_id as claim_id from {{ ref('int_claim_pairs_in_conflict') }}
),

per_actor as (
    select
        claims.speaker_actor_id as actor_id,
        count(*) as n_claims,
        count(pairs.claim_id) as n_contradicted
    from claims
    left join pairs on claims.claim_id = pairs.claim_id
    group by claims.speaker_actor_id
),

with_rate as (
    select
        actor_id,
        n_claims,
        n_contradicted,
        cast(n_contradicted as double) / n_claims as contradiction_rate
    from per_actor
),

final as (
    select
        actor_id,
        n_claims,
        n_contradicted,
        round(contradiction_rate, 4) as contradiction_rate,
        round(greatest(0.0,
            (contradiction_rate + {{ z }} * {{ z }} / (2 * n_claims)
             - {{ z }} * sqrt(contradiction_rate * (1 - contradiction_rate) / n_claims + {{ z }} * {{ z }} / (4 * n_claims * n_claims)))
            / (1 + {{ z }} * {{ z }} / n_claims)), 4) as contradiction_rate_ci_low,
        round(least(1.0,
            (contradiction_rate + {{ z }} * {{ z }} / (2 * n_claims)
             + {{ z }} * sqrt(contradiction_rate * (1 - contradiction_rate) / n_claims + {{ z }} * {{ z }} / (4 * n_claims * n_claims)))
            / (1 + {{ z }} * {{ z }} / n_claims)), 4) as contradiction_rate_ci_high
    from with_rate
)

select * from final
