with source as (
    select * from {{ source('raw', 'quarantine') }}
),

renamed as (
    select
        quarantine_id,
        origin_path,
        origin_locator,
        reason_code,
        reason,
        payload,
        first_seen_at
    from source
)

select * from renamed
