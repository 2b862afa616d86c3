{#- Incremental by article day, like the claims: the run's days are resolved
    with the run's int_names_resolved_to_actors, and earlier days keep the
    resolution of the build that wrote them until a full refresh (which any
    seed or model change makes). -#}
{{ day_partitioned_incremental() }}

with articles as (
    select article_id, article_day, cast(published_at as date) as published_on from {{ ref('stg_articles') }}
    where {{ in_run_days('article_day') }}
),

-- without the view's mention_id, computed below for the run's mentions only (macro mention_id)
mentions as (
    select
        article_id,
        extractor_version,
        mention_index,
        sentence_index,
        start_char,
        end_char,
        mention_text,
        entity_label
    from {{ ref('stg_mentions') }}
    where article_id in (select article_id from articles)
),

resolved as (
    select * from {{ ref('int_names_resolved_to_actors') }}
),

final as (
    select
        {{ mention_id('mentions') }} as mention_id,
        mentions.article_id,
        mentions.sentence_index,
        mentions.start_char,
        mentions.end_char,
        mentions.mention_text,
        mentions.entity_label,
        {{ normalize_name('mentions.mention_text') }} as name_normalized,
        resolved.actor_id,
        coalesce(resolved.resolution_method, 'unresolved') as resolution_method,
        coalesce(resolved.n_candidate_actors, 0) as n_candidate_actors,
        resolved.actor_id is not null as is_resolved,
        articles.article_day as day
    from mentions
    inner join articles on mentions.article_id = articles.article_id
    left join resolved
        on {{ name_key('mentions.mention_text') }} = resolved.name_key
        and articles.published_on is not distinct from resolved.published_on
)

select * from final
