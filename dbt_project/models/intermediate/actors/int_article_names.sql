{#- Every name an article uses, one row per article and name key: mention
    texts (with how often spaCy labelled them PERSON or ORG), speakers
    (resolved antecedent first, as claims use them) and claim subjects.
    Article-level context for resolution: who is named in full before a
    surname is used alone, and which actors' trees an article is about.
    `core_key` is the name without leading titles and trailing "Jr."-like
    suffixes ("Dr Lena Ostrova" -> "Lena Ostrova"), the form a person is
    discovered and co-referred by.  Incremental by article day: an article's
    names depend on its own extraction alone. -#}
{% set titles = "president|vice president|vice-president|president-elect|senator|sen|representative|rep|congressman|congresswoman|governor|gov|lieutenant governor|mayor|minister|prime minister|premier|chancellor|secretary|dr|doctor|mr|mrs|ms|miss|mx|prof|professor|judge|justice|general|gen|colonel|col|captain|capt|lieutenant|lt|sergeant|sgt|officer|detective|chief|inspector|superintendent|commissioner|director|chairman|chairwoman|chair|ceo|king|queen|prince|princess|sheikh|pope|cardinal|bishop|archbishop|father|rev|reverend|sir|dame|lord|lady|mp|mep|former|late|deputy|acting|interim|ambassador|spokesman|spokeswoman|spokesperson|coach|candidate|nominee" %}
{% set suffixes = "jr|sr|ii|iii|iv" %}
{{ day_partitioned_incremental() }}

with articles as (
    select article_id, article_day, cast(published_at as date) as published_on from {{ ref('stg_articles') }}
    where {{ in_run_days('article_day') }}
),

mentions as (
    select article_id, mention_text as name_text, entity_label from {{ ref('stg_mentions') }}
    where article_id in (select article_id from articles)
),

run_attributions as (
    select * from {{ ref('stg_attributions') }}
    where article_id in (select article_id from articles)
),

attributions as (
    -- a speaker written "it", "you" or "this" names nobody (speaker_kind missing): no name of the article
    select article_id, coalesce(speaker_resolved_text, speaker_text) as name_text, cast(null as {{ dbt.type_string() }}) as entity_label
    from run_attributions
    where speaker_kind != 'missing'
    union all
    select article_id, subject_text as name_text, cast(null as {{ dbt.type_string() }}) as entity_label
    from run_attributions
),

names as (
    select * from mentions
    union all
    select * from attributions
),

keyed as (
    select
        names.article_id,
        articles.article_day,
        articles.published_on,
        {{ name_key('names.name_text') }} as name_key,
        names.entity_label
    from names
    inner join articles on names.article_id = articles.article_id
    where names.name_text is not null
),

grouped as (
    select
        article_id,
        article_day,
        published_on,
        name_key,
        lower(name_key) as name_normalized,
        count(*) as n_uses,
        sum(case when entity_label = 'PERSON' then 1 else 0 end) as n_person_mentions,
        sum(case when entity_label = 'ORG' then 1 else 0 end) as n_org_mentions
    from keyed
    where name_key != ''
    group by article_id, article_day, published_on, name_key
),

final as (
    select
        article_id,
        published_on,
        name_key,
        name_normalized,
        n_uses,
        n_person_mentions,
        n_org_mentions,
        regexp_replace(
            regexp_replace(name_key, '^((?i:{{ titles }}) )+', ''),
            ' (?i:{{ suffixes }})$', '') as core_key,
        article_day as day
    from grouped
)

select * from final
