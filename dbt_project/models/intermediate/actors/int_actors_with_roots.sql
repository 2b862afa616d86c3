{#- Every canonical actor: the seeds' (stg_actors) and, when the
    `discover_actors` var is true, those discovered in the articles
    (int_discovered_actors: people and organizations no seed knows; dim_actors
    must then count their aliases from int_resolution_aliases).  The root of an actor is its top ancestor (the Kremlin ->
    Russia).  Actor trees here are at most four levels deep; joins keep this
    portable where recursive CTEs are not. -#}
with seed_actors as (
    select actor_id, name, actor_type, country_code, parent_actor_id, description, seed_name as actor_source
    from {{ ref('stg_actors') }}
),

discovered as (
    select actor_id, name, actor_type, country_code, parent_actor_id, description, 'discovered' as actor_source
    from {{ ref('int_discovered_actors') }}
    where {{ 'true' if var('discover_actors', false) else 'false' }}
        and actor_id not in (select actor_id from seed_actors)
),

actors as (
    select * from seed_actors
    union all
    select * from discovered
),

with_ancestors as (
    select
        actors.*,
        parent.parent_actor_id as grandparent_actor_id,
        grandparent.parent_actor_id as great_grandparent_actor_id
    from actors
    left join actors as parent on actors.parent_actor_id = parent.actor_id
    left join actors as grandparent on parent.parent_actor_id = grandparent.actor_id
),

final as (
    select
        actor_id,
        name,
        actor_type,
        country_code,
        parent_actor_id,
        description,
        actor_source,
        coalesce(great_grandparent_actor_id, grandparent_actor_id, parent_actor_id, actor_id) as root_actor_id
    from with_ancestors
)

select * from final
