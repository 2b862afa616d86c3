{#- Every distinct name that needs an actor: mention texts, speakers and
    claim subjects, with the day they were published (aliases can be bounded
    in time).  The key keeps the letters' case so that an acronym alias
    ("WHO") does not match the same word in lower case ("who"). -#}
with article_names as (
    select * from {{ ref('int_article_names') }}
),

final as (
    select distinct
        name_key,
        name_normalized,
        published_on
    from article_names
)

select * from final
