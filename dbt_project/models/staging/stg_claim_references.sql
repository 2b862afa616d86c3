with source as (
    select * from {{ ref('claim_references') }}
),

renamed as (
    select lower(noun) as noun from source
)

select * from renamed
