with source as (
    select * from {{ source('raw', 'articles') }}
),

renamed as (
    select
        article_id,
        content_hash,
        title,
        text as body_text,
        url,
        source,
        author,
        published_at,
        first_loaded_at,
        coalesce(published_at, first_loaded_at) as reported_at,
        cast(coalesce(published_at, first_loaded_at) as date) as article_day,
        origin_path,
        origin_format,
        n_chars
    from source
)

select * from renamed
