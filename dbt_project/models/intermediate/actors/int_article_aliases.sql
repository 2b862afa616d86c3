{#- Aliases that hold only inside one article, rolled up to the day (names
    are resolved per name and publication day):
    - surname: a person named in full in the article ("John Smith", after
      leading titles) is also meant by the surname alone ("Smith said"), and
      by a particle surname ("La Riva", "de Graaf"); the full name resolves to
      a seed alias valid on the day, else to its discovered actor;
    - contextual: a seed alias of kind `contextual` (a generic short form
      such as "Interior Ministry" or a bare surname) holds in an article that
      names an actor of the same tree (the alias's actor, its parent, its
      country...: "Kestria" or "the Kestrian Interior Ministry").
    When another article of the same day uses the same alias without such an
    antecedent, what the alias means there is added too (the seed actors that
    alias names on the day, or an unknown actor, actor_id null): the name is
    then ambiguous on that day and stays unresolved, counted, never guessed.
    Each day's aliases come from that day's articles alone, so the model is
    incremental by publication day (macro published_day_incremental), as the
    resolved names that read it are. -#}
{{ published_day_incremental() }}

{#- A full regular-expression match (patterns are anchored): `~` in DuckDB, `rlike` in Spark. -#}
{% set matches = 'rlike' if target.type == 'spark' else '~' %}
{% set particles = "de|da|di|del|della|der|den|du|van|von|la|le|al|el|bin|ibn|abu|dos|das|st" %}

with article_names as (
    select * from {{ ref('int_article_names') }}
    where {{ in_run_published_days('published_on') }}
),

ngrams as (
    select * from {{ ref('int_name_ngrams') }}
    where {{ in_run_published_days('published_on') }}
),

dictionary as (
    select * from {{ ref('stg_actor_aliases') }}
    where alias_kind != 'contextual'
),

contextual as (
    select * from {{ ref('stg_actor_aliases') }}
    where alias_kind = 'contextual'
),

discovered as (
    select actor_id, alias_normalized from {{ ref('int_discovered_actors') }}
),

actors as (
    select actor_id, root_actor_id from {{ ref('int_actors_with_roots') }}
),

-- full person names in each article (core_key: without leading titles and trailing "Jr."), with the surname:
-- the last capitalized word and what the name_key macro left of it after a letter outside ASCII
-- ("Jaros aw Kaczy ski" -> "kaczy ski")
full_names as (
    select distinct
        article_id,
        published_on,
        lower(core_key) as full_name,
        lower(regexp_extract(core_key, '([A-Z][A-Za-z-]*( [a-z][a-z-]*)?)$', 1)) as surname
    from article_names
    where n_person_mentions > 0 and n_person_mentions >= n_org_mentions
        and {{ list_length(split_words('core_key')) }} between 2 and 5
        and core_key {{ matches }} '^[A-Z][A-Za-z-]*( [A-Za-z-]+)* [A-Z][A-Za-z-]*( [a-z][a-z-]*)?$'
),

-- what each full name names: a seed alias valid on the day, else its discovered actor
full_name_actors as (
    select full_names.*, dictionary.actor_id
    from full_names
    inner join dictionary
        on dictionary.alias_normalized = full_names.full_name
        and (dictionary.valid_from is null or full_names.published_on is null
            or full_names.published_on >= dictionary.valid_from)
        and (dictionary.valid_to is null or full_names.published_on is null
            or full_names.published_on <= dictionary.valid_to)
    union all
    select full_names.*, discovered.actor_id
    from full_names
    inner join discovered on discovered.alias_normalized = full_names.full_name
    where not exists (
        select 1 from dictionary
        where dictionary.alias_normalized = full_names.full_name
            and (dictionary.valid_from is null or full_names.published_on is null
                or full_names.published_on >= dictionary.valid_from)
            and (dictionary.valid_to is null or full_names.published_on is null
                or full_names.published_on <= dictionary.valid_to)
    )
),

surname_candidates as (
    select article_id, published_on, actor_id, surname as alias_normalized
    from full_name_actors
    union all
    select article_id, published_on, actor_id, regexp_extract(full_name, '(({{ particles }}) [^ ]+)$', 1)
    from full_name_actors
    where full_name {{ matches }} '^.+ ({{ particles }}) [^ ]+$'
),

-- Several people of one surname in an article ("Donald Trump", "Melania Trump"): news calls the public figure
-- (the one a seed knows) by surname alone and the relatives by full or first name, so a seed actor wins over
-- discovered people; two seed actors, or only discovered people, stay ambiguous.
surnames as (
    select surname_candidates.*
    from surname_candidates
    left join discovered on surname_candidates.actor_id = discovered.actor_id
    where discovered.actor_id is null
        or not exists (
            select 1
            from surname_candidates as other
            left join discovered as other_discovered on other.actor_id = other_discovered.actor_id
            where other.article_id = surname_candidates.article_id
                and other.alias_normalized = surname_candidates.alias_normalized
                and other_discovered.actor_id is null
        )
),

-- the actors an article names (any run of any of its names that is a seed alias on the day)
named_actors as (
    select distinct article_names.article_id, dictionary.actor_id
    from article_names
    inner join ngrams
        on article_names.name_key = ngrams.name_key
        and article_names.published_on is not distinct from ngrams.published_on
    inner join dictionary
        on lower(ngrams.ngram) = dictionary.alias_normalized
        and (not dictionary.is_case_sensitive or ngrams.ngram = upper(dictionary.alias_normalized))
        and (dictionary.valid_from is null or ngrams.published_on is null or ngrams.published_on >= dictionary.valid_from)
        and (dictionary.valid_to is null or ngrams.published_on is null or ngrams.published_on <= dictionary.valid_to)
),

named_roots as (
    select distinct named_actors.article_id, actors.root_actor_id
    from named_actors
    inner join actors on named_actors.actor_id = actors.actor_id
),

article_days as (
    select distinct article_id, published_on from article_names
),

contextual_in_article as (
    select article_days.article_id, article_days.published_on, contextual.actor_id, contextual.alias_normalized
    from contextual
    inner join actors on contextual.actor_id = actors.actor_id
    inner join named_roots on actors.root_actor_id = named_roots.root_actor_id
    inner join article_days on named_roots.article_id = article_days.article_id
    where (contextual.valid_from is null or article_days.published_on is null
            or article_days.published_on >= contextual.valid_from)
        and (contextual.valid_to is null or article_days.published_on is null
            or article_days.published_on <= contextual.valid_to)
),

in_article as (
    select article_id, published_on, actor_id, alias_normalized, 'surname' as alias_kind
    from surnames
    where length(alias_normalized) >= 2
    union all
    select article_id, published_on, actor_id, alias_normalized, 'contextual' as alias_kind
    from contextual_in_article
),

-- other articles of the same day that use the alias (as any run of a name) with no antecedent for it
bare_uses as (
    select distinct article_names.article_id, article_names.published_on, in_article_keys.alias_normalized
    from (select distinct published_on, alias_normalized from in_article) as in_article_keys
    inner join ngrams
        on lower(ngrams.ngram) = in_article_keys.alias_normalized
        and ngrams.published_on is not distinct from in_article_keys.published_on
    inner join article_names
        on article_names.name_key = ngrams.name_key
        and article_names.published_on is not distinct from ngrams.published_on
    where not exists (
        select 1 from in_article
        where in_article.article_id = article_names.article_id
            and in_article.alias_normalized = in_article_keys.alias_normalized
    )
),

bare_meanings as (
    select bare_uses.published_on, bare_uses.alias_normalized, dictionary.actor_id, 'bare' as alias_kind
    from bare_uses
    left join dictionary
        on dictionary.alias_normalized = bare_uses.alias_normalized
        and (dictionary.valid_from is null or bare_uses.published_on is null
            or bare_uses.published_on >= dictionary.valid_from)
        and (dictionary.valid_to is null or bare_uses.published_on is null
            or bare_uses.published_on <= dictionary.valid_to)
),

unioned as (
    select distinct published_on, alias_normalized, actor_id, alias_kind
    from in_article
    union
    select distinct published_on, alias_normalized, actor_id, alias_kind
    from bare_meanings
),

-- a surname of the day is a person's name: it outranks other runs of a speaker's name (see int_names_resolved_to_actors)
final as (
    select
        unioned.*,
        max(case when alias_kind = 'surname' then 1 else 0 end) over (
            partition by published_on, alias_normalized
        ) = 1 as is_person_name
    from unioned
)

select * from final
