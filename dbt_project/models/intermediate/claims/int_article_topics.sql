{#- For each article and predicate family, the topic of that family the
    article names first ("the vote was rigged" in an article about the
    Kestrian election is about that election).  Incremental by article day:
    an article's topics depend on its own text and the topics seed alone (a
    seed change rebuilds every model in full). -#}
{{ day_partitioned_incremental() }}

with articles as (
    select article_id, article_day, lower(replace(title || ' ' || body_text, '’', '''')) as searchable_text
    from {{ ref('stg_articles') }}
    where {{ in_run_days('article_day') }}
),

topics as (
    select * from {{ ref('stg_topics') }}
),

topic_positions as (
    select
        articles.article_id,
        articles.article_day,
        topics.family_id,
        topics.topic_id,
        topics.topic_label,
        position(lower(topics.alias) in articles.searchable_text) as first_position
    from articles
    cross join topics
    where position(lower(topics.alias) in articles.searchable_text) > 0
),

ranked as (
    select
        *,
        row_number() over (
            partition by article_id, family_id order by first_position asc, topic_id asc
        ) as topic_rank
    from topic_positions
),

final as (
    select article_id, family_id, topic_id, topic_label, article_day as day
    from ranked
    where topic_rank = 1
)

select * from final
