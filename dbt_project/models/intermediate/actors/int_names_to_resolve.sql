{#- Every distinct name that needs an actor: mention texts, speakers and
    claim subjects, with the day they were published (aliases can be bounded
    in time).  The key keeps the letters' case so that an acronym alias
    ("WHO") does not match the same word in lower case ("who").  Incremental
    by publication day (macro published_day_incremental). -#}
{{ published_day_incremental() }}

with article_names as (
    select * from {{ ref('int_article_names') }}
    where {{ in_run_published_days('published_on') }}
),

final as (
    select distinct
        name_key,
        name_normalized,
        published_on
    from article_names
)

select * from final
