{#- Incremental by article day, like the claims it publishes. -#}
{{ day_partitioned_incremental() }}

with claims as (
    select * from {{ ref('int_claims_normalized') }}
    where {{ in_run_days('day') }}
),

final as (
    select
        claim_id,
        article_id,
        day,
        published_at,
        source,
        speaker_actor_id,
        speaker_text,
        speaker_name,
        speaker_kind,
        cue,
        stance,
        subject_actor_id,
        subject_text,
        proposition_id,
        polarity,
        content,
        confidence,
        is_direct,
        is_multi_sentence,
        sentence_index,
        speaker_start,
        speaker_end,
        cue_start,
        cue_end,
        content_start,
        content_end,
        extraction_rule,
        extractor_version,
        '{{ invocation_id }}' as dbt_invocation_id
    from claims
)

select * from final
{{ in_day_order() }}
