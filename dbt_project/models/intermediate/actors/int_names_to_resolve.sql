{#- Every distinct name that needs an actor: mention texts, speakers and
    claim subjects, with the day they were published (aliases can be bounded
    in time).  The key keeps the letters' case so that an acronym alias
    ("WHO") does not match the same word in lower case ("who"). -#}
with articles as (
    select article_id, cast(published_at as date) as published_on from {{ ref('stg_articles') }}
),

mentions as (
    select article_id, mention_text as name_text from {{ ref('stg_mentions') }}
),

attributions as (
    select article_id, coalesce(speaker_resolved_text, speaker_text) as name_text
    from {{ ref('stg_attributions') }}
    union all
    select article_id, subject_text as name_text
    from {{ ref('stg_attributions') }}
),

names as (
    select * from mentions
    union all
    select * from attributions
),

keyed as (
    select distinct
        {{ name_key('names.name_text') }} as name_key,
        articles.published_on
    from names
    inner join articles on names.article_id = articles.article_id
    where names.name_text is not null
),

final as (
    select
        name_key,
        lower(name_key) as name_normalized,
        published_on
    from keyed
)

select * from final
where name_key != ''
