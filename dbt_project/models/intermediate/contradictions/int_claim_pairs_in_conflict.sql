{#- Pairs of claims on one proposition with opposite polarity.  The earlier
    claim is `claim_id`, the later one `contradicting_claim_id`.  Two claims by
    the same actor (or parts of it: the Kremlin and Russia) are a
    self-reversal when they come from different articles at different times,
    and are not paired otherwise.  A later claim is paired with the most recent
    conflicting claim of each earlier speaker, not with every one of them, so
    pairs grow with speakers per proposition rather than with claims squared. -#}
with claims as (
    select * from {{ ref('int_claims_normalized') }}
    where proposition_id is not null
),

kinds as (
    select * from {{ ref('contradiction_kinds') }}
),

pairs as (
    select
        earlier.claim_id,
        later.claim_id as contradicting_claim_id,
        earlier.proposition_id,
        earlier.speaker_key as claim_speaker_key,
        earlier.reported_at as claim_reported_at,
        earlier.speaker_key = later.speaker_key as is_same_speaker,
        earlier.article_id != later.article_id and earlier.reported_at < later.reported_at as is_later_article,
        earlier.stance as claim_stance,
        later.stance as contradicting_stance,
        earlier.confidence as claim_confidence,
        later.confidence as contradicting_confidence
    from claims as earlier
    inner join claims as later
        on earlier.proposition_id = later.proposition_id
        and earlier.polarity != later.polarity
        and (
            earlier.reported_at < later.reported_at
            or (earlier.reported_at = later.reported_at and earlier.claim_id < later.claim_id)
        )
),

classified as (
    select
        *,
        case
            when is_same_speaker then 'self_reversal'
            when 'deny' in (claim_stance, contradicting_stance) then 'denial'
            when 'doubt' in (claim_stance, contradicting_stance) then 'doubt'
            else 'opposite_polarity'
        end as kind
    from pairs
    where not is_same_speaker or is_later_article
),

ranked_per_speaker as (
    select
        *,
        row_number() over (
            partition by contradicting_claim_id, claim_speaker_key
            order by claim_reported_at desc, claim_id desc
        ) as recency_rank
    from classified
),

latest_per_speaker as (
    select * from ranked_per_speaker where recency_rank = 1
),

final as (
    select
        latest_per_speaker.claim_id,
        latest_per_speaker.contradicting_claim_id,
        latest_per_speaker.proposition_id,
        latest_per_speaker.kind,
        round(
            sqrt(latest_per_speaker.claim_confidence * latest_per_speaker.contradicting_confidence) * kinds.weight, 3
        ) as score
    from latest_per_speaker
    inner join kinds on latest_per_speaker.kind = kinds.kind
)

select * from final
