with actors as (
    select * from {{ ref('int_actors_with_roots') }}
),

-- A discovered actor's one alias is its name (int_discovered_actors); it is an
-- actor only when the `discover_actors` var is true (int_actors_with_roots).
alias_rows as (
    select actor_id from {{ ref('stg_actor_aliases') }}
    union all
    select actor_id from {{ ref('int_discovered_actors') }}
    where actor_id not in (select actor_id from {{ ref('stg_actors') }})
),

aliases as (
    select actor_id, count(*) as n_aliases from alias_rows group by actor_id
),

final as (
    select
        actors.actor_id,
        actors.name,
        actors.actor_type,
        actors.country_code,
        actors.parent_actor_id,
        actors.root_actor_id,
        actors.description,
        coalesce(aliases.n_aliases, 0) as n_aliases
    from actors
    left join aliases on actors.actor_id = aliases.actor_id
)

select * from final
