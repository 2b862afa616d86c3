{#- Every actor's own name counts as an alias too. -#}
with aliases as (
    select actor_id, alias, alias_kind, valid_from, valid_to from {{ ref('actor_aliases') }}
),

names as (
    select actor_id, name as alias, 'name' as alias_kind, cast(null as date) as valid_from, cast(null as date) as valid_to
    from {{ ref('actors') }}
),

unioned as (
    select * from aliases
    union all
    select * from names
),

normalized as (
    select distinct
        actor_id,
        alias,
        alias_kind,
        valid_from,
        valid_to,
        {{ normalize_name('alias') }} as alias_normalized
    from unioned
)

select * from normalized
