{#- Mentions no alias resolves, most frequent first: the to-do list for
    whoever curates the actor seeds.  `ambiguous` names matched an alias of
    several actors on the day and were left unresolved rather than guessed. -#}
with mentions as (
    select * from {{ ref('int_mentions_resolved_to_actors') }}
    where not is_resolved
),

final as (
    select
        name_normalized,
        entity_label,
        sum(case when resolution_method = 'ambiguous' then 1 else 0 end) as n_ambiguous_mentions,
        max(n_candidate_actors) as n_candidate_actors,
        min(mention_text) as example_text,
        count(*) as n_mentions,
        count(distinct article_id) as n_articles
    from mentions
    group by name_normalized, entity_label
)

select * from final
