with source as (
    select * from {{ source('raw', 'sentences') }}
),

latest as (
    select * from {{ ref('stg_extracted_articles') }}
),

renamed as (
    select
        source.article_id,
        source.extractor_version,
        source.sentence_index,
        source.start_char,
        source.end_char,
        source.sentence_text,
        source.is_candidate
    from source
    inner join latest
        on source.article_id = latest.article_id
        and source.extractor_version = latest.extractor_version
)

select * from renamed
