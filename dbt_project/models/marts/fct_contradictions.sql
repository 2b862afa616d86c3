{#- Incremental like the pairs it publishes: from the run's first day on. -#}
{{ from_first_run_day_incremental() }}

with pairs as (
    select * from {{ ref('int_claim_pairs_in_conflict') }}
    where {{ from_first_run_day('day') }}
),

claims as (
    select claim_id, speaker_actor_id, article_id, source, published_at from {{ ref('int_claims_normalized') }}
),

final as (
    select
        {{ short_id('x_', "pairs.claim_id || '|' || pairs.contradicting_claim_id") }} as contradiction_id,
        pairs.claim_id,
        pairs.contradicting_claim_id,
        pairs.proposition_id,
        pairs.kind,
        pairs.score,
        claimed.speaker_actor_id as claim_actor_id,
        contradicting.speaker_actor_id as contradicting_actor_id,
        claimed.article_id as claim_article_id,
        contradicting.article_id as contradicting_article_id,
        claimed.source as claim_source,
        contradicting.source as contradicting_source,
        claimed.published_at as claim_published_at,
        contradicting.published_at as contradicted_at,
        pairs.day
    from pairs
    inner join claims as claimed on pairs.claim_id = claimed.claim_id
    inner join claims as contradicting on pairs.contradicting_claim_id = contradicting.claim_id
)

select * from final
{{ in_day_order() }}
