{#- Canonical actors from three seeds.  On a shared actor_id the first of
    these wins: `actors` (hand-written), `actor_overrides` (analyst
    corrections and additions), `cameo_actors` (imported from the CAMEO/Phoenix
    dictionaries by pipelines/lexicons/cameo_import.py). -#}
with unioned as (
    select actor_id, name, actor_type, country_code, parent_actor_id, description, 1 as priority, 'actors' as seed_name
    from {{ ref('actors') }}
    union all
    select actor_id, name, actor_type, country_code, parent_actor_id, description, 2 as priority, 'actor_overrides' as seed_name
    from {{ ref('actor_overrides') }}
    union all
    select actor_id, name, actor_type, country_code, parent_actor_id, description, 3 as priority, 'cameo_actors' as seed_name
    from {{ ref('cameo_actors') }}
),

ranked as (
    select
        *,
        row_number() over (partition by actor_id order by priority) as actor_rank
    from unioned
),

renamed as (
    select
        actor_id,
        name,
        actor_type,
        nullif(country_code, '') as country_code,
        nullif(parent_actor_id, '') as parent_actor_id,
        description,
        seed_name
    from ranked
    where actor_rank = 1
)

select * from renamed
