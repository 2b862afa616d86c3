with source as (
    select * from {{ source('raw', 'article_sources') }}
),

renamed as (
    select
        article_id,
        nullif(source, '') as source,
        nullif(url, '') as url,
        published_at,
        first_seen_at
    from source
)

select * from renamed
