{#- Pairs of claims on one proposition with opposite polarity.  The earlier
    claim is `claim_id`, the later one `contradicting_claim_id`.  Two claims by
    the same actor (or parts of it: the Kremlin and Russia) are a
    self-reversal when they come from different articles at different times,
    and are not paired otherwise.  A later claim is paired with the most recent
    conflicting claim of each earlier speaker, not with every one of them, so
    pairs grow with speakers per proposition rather than with claims squared.

    How, without forming every opposite pair first (a proposition that
    thousands of claims repeat would make millions of them, then rank them):
    each claim is its speaker's latest word with its polarity from its place
    in the proposition's timeline until that speaker's next claim with the
    same polarity (its `span_end`).  A later claim pairs with exactly the
    claims whose span holds it: one per earlier speaker, the most recent.
    Self-reversals count only claims reported strictly earlier, and a span
    then ends at the next claim's time; every claim of an article shares its
    `reported_at`, so "strictly earlier" also means "another article".

    A pair's `day` is the later claim's (the day of its `reported_at`).  An
    incremental run pairs only the later claims from its first day on, against
    every earlier claim, and replaces those days' pairs. -#}
{{ from_first_run_day_incremental() }}

with claims as (
    select * from {{ ref('int_claims_normalized') }}
    where proposition_id is not null
),

kinds as (
    select * from {{ ref('contradiction_kinds') }}
),

timeline as (
    select
        claim_id,
        article_id,
        day,
        proposition_id,
        speaker_key,
        reported_at,
        stance,
        polarity,
        confidence,
        -- claims reported at the same time (one article's) come in the order they are written, so the
        -- claim a denial answers is the earlier one whatever the ids; the id breaks ties across articles
        row_number() over (
            partition by proposition_id order by reported_at, article_id, cue_start, claim_id
        ) as position
    from claims
),

spans as (
    select
        *,
        coalesce(
            lead(position) over (partition by proposition_id, speaker_key, polarity order by position),
            max(position) over (partition by proposition_id) + 1
        ) as span_end,
        lead(reported_at) over (
            partition by proposition_id, speaker_key, polarity order by position
        ) as next_reported_at
    from timeline
),

later_claims as (
    select * from timeline
    where {{ from_first_run_day('day') }}
),

other_speakers as (
    select
        earlier.claim_id,
        later.claim_id as contradicting_claim_id,
        earlier.proposition_id,
        later.day,
        false as is_same_speaker,
        earlier.stance as claim_stance,
        later.stance as contradicting_stance,
        earlier.confidence as claim_confidence,
        later.confidence as contradicting_confidence
    from spans as earlier
    inner join later_claims as later
        on earlier.proposition_id = later.proposition_id
        and later.position > earlier.position
        and later.position < earlier.span_end
    where earlier.polarity != later.polarity
        and earlier.speaker_key != later.speaker_key
),

self_reversals as (
    select
        earlier.claim_id,
        later.claim_id as contradicting_claim_id,
        earlier.proposition_id,
        later.day,
        true as is_same_speaker,
        earlier.stance as claim_stance,
        later.stance as contradicting_stance,
        earlier.confidence as claim_confidence,
        later.confidence as contradicting_confidence
    from spans as earlier
    inner join later_claims as later
        on earlier.proposition_id = later.proposition_id
        and earlier.speaker_key = later.speaker_key
        and earlier.polarity != later.polarity
        and earlier.reported_at < later.reported_at
        and (earlier.next_reported_at is null or earlier.next_reported_at >= later.reported_at)
),

pairs as (
    select * from other_speakers
    union all
    select * from self_reversals
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
),

final as (
    select
        classified.claim_id,
        classified.contradicting_claim_id,
        classified.proposition_id,
        classified.day,
        classified.kind,
        round(
            sqrt(classified.claim_confidence * classified.contradicting_confidence) * kinds.weight, 3
        ) as score
    from classified
    inner join kinds on classified.kind = kinds.kind
)

select * from final
