{#- Every way an actor is named, from the hand-written `actor_aliases`, the
    analyst's `actor_alias_overrides` and the imported `cameo_actor_aliases`,
    plus every actor's own name.  Analyst rows (hand-written and overrides)
    win: an alias they list is dropped from the imported rows altogether, so
    an analyst can re-point or re-date it.  Aliases of actors that do not
    exist are dropped.  A short acronym ("WHO", "US", "UN") is case-sensitive:
    it matches only text written in capitals (alias_kind `acronym`, or an
    all-capital alias of at most three letters). -#}
with analyst as (
    select actor_id, alias, alias_kind, valid_from, valid_to, 'actor_aliases' as seed_name from {{ ref('actor_aliases') }}
    union all
    select actor_id, alias, alias_kind, valid_from, valid_to, 'actor_alias_overrides' as seed_name from {{ ref('actor_alias_overrides') }}
),

imported as (
    select actor_id, alias, alias_kind, valid_from, valid_to, 'cameo_actor_aliases' as seed_name from {{ ref('cameo_actor_aliases') }}
),

actors as (
    select actor_id, name, seed_name from {{ ref('stg_actors') }}
),

names as (
    select
        actor_id, name as alias, 'name' as alias_kind, cast(null as date) as valid_from, cast(null as date) as valid_to,
        seed_name
    from actors
),

analyst_all as (
    select * from analyst
    union all
    select * from names where seed_name != 'cameo_actors'
),

imported_all as (
    select * from imported
    union all
    select * from names where seed_name = 'cameo_actors'
),

analyst_normalized as (
    select *, {{ normalize_name('alias') }} as alias_normalized from analyst_all
),

imported_normalized as (
    select *, {{ normalize_name('alias') }} as alias_normalized from imported_all
),

unioned as (
    select * from analyst_normalized
    union all
    select * from imported_normalized
    where alias_normalized not in (select alias_normalized from analyst_normalized)
),

final as (
    select distinct
        unioned.actor_id,
        unioned.alias,
        unioned.alias_kind,
        unioned.valid_from,
        unioned.valid_to,
        unioned.alias_normalized,
        (
            unioned.alias_kind = 'acronym'
            or (
                unioned.alias = upper(unioned.alias)
                and unioned.alias != lower(unioned.alias)
                and length(unioned.alias_normalized) <= 3
                and unioned.alias_normalized not like '% %'
            )
        ) as is_case_sensitive,
        unioned.seed_name
    from unioned
    inner join actors on unioned.actor_id = actors.actor_id
    where unioned.alias_normalized != ''
)

select * from final
