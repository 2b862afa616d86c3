{#- Claims are built incrementally, by day; actors in full, every run.  An actor
    discovered from earlier articles (int_discovered_actors) can stop meeting the
    discovery rules once new articles arrive, while the claims of days a run did
    not rebuild still name it.  It keeps a row here, typed from its id and named
    as those claims name it, until a full refresh resolves them again: every
    actor id a fact holds has its dimension row. -#}
with current_actors as (
    select * from {{ ref('int_actors_with_roots') }}
),

claims as (
    select * from {{ ref('int_claims_normalized') }}
),

named_by_claims as (
    select speaker_actor_id as actor_id, speaker_name as name_text from claims
    union all
    select speaker_root_actor_id, speaker_name from claims
    union all
    select subject_actor_id, subject_text from claims
),

retired as (
    select
        actor_id,
        min(name_text) as name,
        case when substr(actor_id, 1, 4) = 'PER_' then 'person' else 'other' end as actor_type,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as parent_actor_id,
        actor_id as root_actor_id,
        'Discovered from earlier articles, no longer by the discovery rules: only claims of days '
        || 'not rebuilt since name it (a full refresh resolves them again).' as description
    from named_by_claims
    where actor_id is not null
        and actor_id not in (select actor_id from current_actors)
    group by actor_id
),

actors as (
    select actor_id, name, actor_type, country_code, parent_actor_id, root_actor_id, description
    from current_actors
    union all
    select actor_id, name, actor_type, country_code, parent_actor_id, root_actor_id, description
    from retired
),

-- A discovered actor's one alias is its name (int_discovered_actors); it is an
-- actor only when the `discover_actors` var is true (int_actors_with_roots).
alias_rows as (
    select actor_id from {{ ref('stg_actor_aliases') }}
    union all
    select actor_id from {{ ref('int_discovered_actors') }}
    where actor_id not in (select actor_id from {{ ref('stg_actors') }})
    union all
    select actor_id from retired  -- its one alias: the name its claims use
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
