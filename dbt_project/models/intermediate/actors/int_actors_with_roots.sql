{#- The root of an actor is its top ancestor (the Kremlin -> Russia).  Actor
    trees here are at most four levels deep; joins keep this portable where
    recursive CTEs are not. -#}
with actors as (
    select * from {{ ref('stg_actors') }}
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
        coalesce(great_grandparent_actor_id, grandparent_actor_id, parent_actor_id, actor_id) as root_actor_id
    from with_ancestors
)

select * from final
