with source as (
    select * from {{ ref('predicate_families') }}
),

renamed as (
    select family_id, label as family_label, subject_is_topic, description from source
)

select * from renamed
