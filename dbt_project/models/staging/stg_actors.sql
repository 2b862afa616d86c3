with source as (
    select * from {{ ref('actors') }}
),

renamed as (
    select
        actor_id,
        name,
        actor_type,
        nullif(country_code, '') as country_code,
        nullif(parent_actor_id, '') as parent_actor_id,
        description
    from source
)

select * from renamed
