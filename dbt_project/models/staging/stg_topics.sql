with source as (
    select * from {{ ref('topics') }}
),

normalized as (
    select
        topic_id,
        family_id,
        label as topic_label,
        alias,
        {{ normalize_name('alias') }} as alias_normalized
    from source
)

select * from normalized
