{#- Propositions ranked by how contested they are: claims for and against,
    speakers, sources, conflict pairs, first and last seen. -#}
with claims as (
    select * from {{ ref('int_claims_normalized') }}
    where proposition_id is not null
),

propositions as (
    select * from {{ ref('dim_propositions') }}
),

contradictions as (
    select proposition_id, count(*) as n_contradictions
    from {{ ref('int_claim_pairs_in_conflict') }}
    group by proposition_id
),

per_proposition as (
    select
        proposition_id,
        count(*) as n_claims,
        sum(case when polarity = 1 then 1 else 0 end) as n_claims_for,
        sum(case when polarity = -1 then 1 else 0 end) as n_claims_against,
        count(distinct speaker_key) as n_speakers,
        count(distinct source) as n_sources,
        count(distinct article_id) as n_articles,
        min(reported_at) as first_seen_at,
        max(reported_at) as last_seen_at
    from claims
    group by proposition_id
),

final as (
    select
        per_proposition.proposition_id,
        propositions.proposition_label,
        propositions.family_id,
        per_proposition.n_claims,
        per_proposition.n_claims_for,
        per_proposition.n_claims_against,
        per_proposition.n_speakers,
        per_proposition.n_sources,
        per_proposition.n_articles,
        coalesce(contradictions.n_contradictions, 0) as n_contradictions,
        round(
            cast(least(per_proposition.n_claims_for, per_proposition.n_claims_against) as double)
            / per_proposition.n_claims, 4
        ) as contestedness,
        per_proposition.first_seen_at,
        per_proposition.last_seen_at
    from per_proposition
    inner join propositions on per_proposition.proposition_id = propositions.proposition_id
    left join contradictions on per_proposition.proposition_id = contradictions.proposition_id
)

select * from final
