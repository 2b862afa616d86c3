{#- Actors no seed knows, discovered from the articles themselves (entity
    linking's "NIL clusters"): a person named in full, or an organization,
    gets a canonical actor of its own so that its claims are counted under
    one id across articles and its surname can be resolved within an article.
    - person: a name spaCy labels PERSON at least as often as ORG, of two to
      five words after leading titles are dropped (its `core_key`: "Dr. Lena
      Ostrova" -> "Lena Ostrova"), first and last word capitalized, no digits, and not an
      alias of a seed actor on every day it is used (a former office holder
      is a person again once the role's alias window has closed);
    - organization: a name spaCy labels ORG more often than PERSON, of one to
      six capitalized words (joined by "of", "and", "for"...), not a generic
      word alone ("University", "Police"), and no run of its words is an
      alias of a seed actor on the day: names the dictionaries resolve even in
      part ("Russian Ministry of Health" -> Russia) are left to them.
      Typed `media` when it has a newspaper or broadcaster word, else `other`.
    A one-word name must be an entity in at least half of its uses (spaCy
    tagging a stray "I" as ORG does not make every "I" an organization).  Discovered
    actors have no country and no parent; their alias (the name) is
    matched after every seed alias of the same length.  The ids are stable:
    PER_ / ORG_ plus the name's words. -#}
{#- A full regular-expression match (patterns are anchored): `~` in DuckDB, `rlike` in Spark. -#}
{% set matches = 'rlike' if target.type == 'spark' else '~' %}
{#- A person's name: capitalized first and last word; the name_key macro
    turns a letter outside ASCII into a space ("Kaczyński" -> "Kaczy ski"), so
    the last capitalized word may be followed by such a lowercase fragment. -#}
{% set person_shape = "^[A-Z][A-Za-z-]*( [A-Za-z-]+)* [A-Z][A-Za-z-]*( [a-z][a-z-]*)?$" %}
{% set org_joiners = "of|and|for|the|de|du|des|la|le|on|in|at|y|&" %}
{#- Words of institutions every country has: an organization name made of
    these alone ("Ministry of Foreign Affairs", "Supreme Court", "Police") names
    no one in particular, so it is not discovered. -#}
{% set generic_words = "of|and|for|the|on|in|at|de|la|le|du|des|y|&|ministry|ministries|minister|department|dept|office|bureau|agency|authority|authorities|service|services|council|committee|commission|commissioner|board|assembly|parliament|congress|senate|house|chamber|court|courts|tribunal|police|army|navy|air|force|forces|military|guard|government|administration|cabinet|embassy|consulate|state|states|federal|national|central|supreme|high|public|general|foreign|affairs|interior|home|health|defence|defense|justice|finance|treasury|education|security|intelligence|emergency|emergencies|election|electoral|prosecutor|prosecutors|prosecution|university|college|school|hospital|institute|party|union|league|team|club|group|bank|church|foundation|coalition|company|city|county|province|provincial|regional|district|municipal|international|world|united|nations|news|agency|covid|covid-19|coronavirus|department|environment|transport|transportation|trade|industry|labour|labor|agriculture|energy|culture|sports|sport|communications|information|media|press|secretariat|directorate|division|unit|center|centre|program|programme|project|network|organization|organisation|association|society|council" %}
{% set media_words = "news|times|post|journal|tv|television|radio|press|herald|tribune|gazette|telegraph|magazine|broadcasting|broadcast|wire|wikinews|daily|weekly" %}

with article_names as (
    select * from {{ ref('int_article_names') }}
),

dictionary as (
    select * from {{ ref('stg_actor_aliases') }}
    where alias_kind != 'contextual'
),

ngrams as (
    select * from {{ ref('int_name_ngrams') }}
),

cores as (
    select
        name_key,
        name_normalized,
        core_key,
        published_on,
        article_id,
        n_person_mentions,
        n_org_mentions,
        {{ list_length(split_words('name_key')) }} as n_words,
        {{ list_length(split_words('core_key')) }} as n_core_words
    from article_names
    where n_person_mentions + n_org_mentions > 0 and core_key != ''
),

candidates as (
    select
        name_key,
        published_on,
        article_id,
        n_person_mentions,
        n_org_mentions,
        case
            when n_person_mentions >= n_org_mentions
                and n_core_words between 2 and 5
                and core_key {{ matches }} '{{ person_shape }}'
                then 'person'
            when n_org_mentions > n_person_mentions
                and n_words between 1 and 6
                and name_key {{ matches }} '^[A-Z][A-Za-z&-]*( ([A-Z][A-Za-z&-]*|{{ org_joiners }}))*$'
                and not (name_normalized {{ matches }} '^({{ generic_words }})( ({{ generic_words }}))*$')
                then 'organization'
        end as kind,
        case when n_person_mentions >= n_org_mentions then core_key else name_key end as actor_key
    from cores
),

-- a person is discovered where its full name is no seed alias on the day
person_uses as (
    select candidates.*
    from candidates
    where kind = 'person'
        and not exists (
            select 1 from dictionary
            where dictionary.alias_normalized = lower(candidates.actor_key)
                and (dictionary.valid_from is null or candidates.published_on is null
                    or candidates.published_on >= dictionary.valid_from)
                and (dictionary.valid_to is null or candidates.published_on is null
                    or candidates.published_on <= dictionary.valid_to)
        )
),

-- an organization where no run of its words is a seed alias on the day
organization_uses as (
    select candidates.*
    from candidates
    where kind = 'organization'
        and not exists (
            select 1
            from ngrams
            inner join dictionary
                on lower(ngrams.ngram) = dictionary.alias_normalized
                and (not dictionary.is_case_sensitive or ngrams.ngram = upper(dictionary.alias_normalized))
                and (dictionary.valid_from is null or ngrams.published_on is null
                    or ngrams.published_on >= dictionary.valid_from)
                and (dictionary.valid_to is null or ngrams.published_on is null
                    or ngrams.published_on <= dictionary.valid_to)
            where ngrams.name_key = candidates.name_key
                and ngrams.published_on is not distinct from candidates.published_on
        )
),

uses as (
    select * from person_uses
    union all
    select * from organization_uses
),

-- how often each name is used at all (as a speaker or subject too), to keep names that are mostly entities
name_uses as (
    select name_key, sum(n_uses) as n_uses, sum(n_person_mentions + n_org_mentions) as n_entity_mentions
    from article_names
    group by name_key
),

by_name as (
    select
        lower(actor_key) as alias_normalized,
        sum(n_person_mentions) as n_person_mentions,
        sum(n_org_mentions) as n_org_mentions,
        count(distinct article_id) as n_articles,
        min(actor_key) as name,
        -- an all-capital one-word organization ("EFF") is an acronym: matched only in capitals
        max(case when actor_key = upper(actor_key) and actor_key not like '% %' and length(actor_key) <= 5
            then 1 else 0 end) = 1 and min(actor_key) = max(actor_key) as is_case_sensitive
    from uses
    inner join name_uses using (name_key)
    -- a word spaCy labels an entity now and then but that is mostly something else ("I") is no name;
    -- one-word organizations need two letters
    where (actor_key like '% %' or 2 * name_uses.n_entity_mentions >= name_uses.n_uses)
        and length(actor_key) >= 2
    group by lower(actor_key)
),

final as (
    select
        case when n_person_mentions >= n_org_mentions then 'PER_' else 'ORG_' end
            || upper(replace(alias_normalized, ' ', '_')) as actor_id,
        name,
        case
            when n_person_mentions >= n_org_mentions then 'person'
            when alias_normalized {{ matches }} '^(.* )?({{ media_words }})( .*)?$' then 'media'
            else 'other'
        end as actor_type,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as parent_actor_id,
        'Discovered in the articles (named in ' || cast(n_articles as {{ dbt.type_string() }}) || ' article'
            || case when n_articles = 1 then '' else 's' end || '); in no actor seed.' as description,
        alias_normalized,
        is_case_sensitive,
        n_articles
    from by_name
)

select * from final
