with actors as (
    select * from {{ ref('int_actors_with_roots') }}
),

aliases as (
    select actor_id, count(*) as n_aliases from {{ ref('stg_actor_aliases') }} group by actor_id
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
