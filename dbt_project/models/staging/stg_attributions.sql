with source as (
    select * from {{ source('raw', 'attributions') }}
),

latest as (
    select * from {{ ref('stg_extracted_articles') }}
),

renamed as (
    select
        source.attribution_id,
        source.article_id,
        source.extractor_version,
        source.attribution_index,
        source.sentence_index,
        source.speaker_start,
        source.speaker_end,
        source.speaker_text,
        source.speaker_resolved_text,
        source.speaker_kind,
        source.cue_start,
        source.cue_end,
        source.cue_text,
        source.cue_lemma,
        source.content_start,
        source.content_end,
        source.content_text,
        source.is_direct,
        source.is_multi_sentence,
        source.is_negated,
        source.predicate_family_id,
        source.predicate_term,
        source.predicate_polarity,
        source.subject_text,
        source.subject_kind,
        source.rule as extraction_rule,
        source.confidence as extraction_confidence
    from source
    inner join latest
        on source.article_id = latest.article_id
        and source.extractor_version = latest.extractor_version
)

select * from renamed
