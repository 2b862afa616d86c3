{#- Every alias a name can be resolved by, with the priority it has among
    aliases of the same length (1 first):
    1. `article` surnames: the surname of a person the day's article names in
       full (int_article_aliases); an actor_id null stands for an unknown
       referent in another article of the day, which makes it ambiguous;
    2. `seed`: the actor seeds' aliases (hand-written, analyst overrides,
       imported CAMEO) except the `contextual` ones, with their validity
       windows;
    3. `article` contextual short forms ("Congress" in an article about the
       US): after the seeds, so that "the Argentine congress" stays Argentine;
    4. `discovered`: the names of actors discovered in the articles
       (int_discovered_actors).
    `is_person_name` marks people's names, which outrank other runs. -#}
with actors as (
    select actor_id, actor_type from {{ ref('stg_actors') }}
),

-- A person's name (a person actor's alias, an office holder's dated name or title, a discovered person, a
-- surname of the day) outranks the other runs of a speaker's name: "Florida Department of Transportation
-- official Troy Roberts" is Troy Roberts, "Nancy Pelosi, the Speaker of the House" is Pelosi.
seed_aliases as (
    select
        aliases.actor_id,
        aliases.alias_normalized,
        aliases.is_case_sensitive,
        aliases.valid_from,
        aliases.valid_to,
        cast(null as date) as published_on,
        2 as priority,
        'seed' as alias_source,
        (actors.actor_type = 'person'
            or (aliases.valid_from is not null and aliases.alias_kind in ('name', 'title'))) as is_person_name
    from {{ ref('stg_actor_aliases') }} as aliases
    inner join actors on aliases.actor_id = actors.actor_id
    where aliases.alias_kind != 'contextual'
),

discovered as (
    select
        actor_id,
        alias_normalized,
        is_case_sensitive,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        cast(null as date) as published_on,
        4 as priority,
        'discovered' as alias_source,
        actor_type = 'person' as is_person_name
    from {{ ref('int_discovered_actors') }}
),

article as (
    select distinct
        actor_id,
        alias_normalized,
        false as is_case_sensitive,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        published_on,
        case when is_person_name then 1 else 3 end as priority,
        'article' as alias_source,
        is_person_name
    from {{ ref('int_article_aliases') }}
),

final as (
    select * from seed_aliases
    union all
    select * from discovered
    union all
    select * from article
)

select * from final
