{#- Only the latest extraction of each article feeds the models, so a new
    extractor version replaces the old one's rows without deleting them. -#}
with source as (
    select * from {{ source('raw', 'extracted_articles') }}
),

ranked as (
    select
        article_id,
        extractor_version,
        extracted_at,
        row_number() over (
            partition by article_id order by extracted_at desc, extractor_version desc
        ) as recency_rank
    from source
),

latest as (
    select article_id, extractor_version, extracted_at
    from ranked
    where recency_rank = 1
)

select * from latest
