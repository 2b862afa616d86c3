with source as (
    select * from {{ source('raw', 'mentions') }}
),

latest as (
    select * from {{ ref('stg_extracted_articles') }}
),

renamed as (
    select
        {{ mention_id('source') }} as mention_id,
        source.article_id,
        source.extractor_version,
        source.mention_index,
        source.sentence_index,
        source.start_char,
        source.end_char,
        source.mention_text,
        source.entity_label
    from source
    inner join latest
        on source.article_id = latest.article_id
        and source.extractor_version = latest.extractor_version
)

select * from renamed
