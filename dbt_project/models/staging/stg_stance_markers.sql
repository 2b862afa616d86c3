with source as (
    select * from {{ ref('stance_markers') }}
),

renamed as (
    select lower(marker) as marker, stance from source
)

select * from renamed
