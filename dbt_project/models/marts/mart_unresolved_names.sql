{#- Mentions no alias resolves, most frequent first: the to-do list for
    whoever curates the actor seeds. -#}
with mentions as (
    select * from {{ ref('int_mentions_resolved_to_actors') }}
    where not is_resolved
),

final as (
    select
        name_normalized,
        entity_label,
        min(mention_text) as example_text,
        count(*) as n_mentions,
        count(distinct article_id) as n_articles
    from mentions
    group by name_normalized, entity_label
)

select * from final
