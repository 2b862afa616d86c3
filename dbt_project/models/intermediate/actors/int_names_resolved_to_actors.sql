{#- Resolve a name (its case-keeping key) to one actor.
    1. alias: the longest run of words in the name that is an alias valid on
       the day ("nato secretary-general russia" -> NATO; "president joe
       biden" -> the US government while Biden was in office), a person's
       name first if there is one ("Florida Department of Transportation
       official Troy Roberts" -> Troy Roberts); among runs of that length,
       by the priority of int_resolution_aliases (a surname of the day's
       article, a seed alias, a contextual short form of the day's article, a
       discovered actor's name); then the leftmost run.  Case-sensitive aliases (acronyms: "WHO",
       "US") match only a run written in capitals.  When the winning run is an
       alias of more than one actor on the day (or of an actor and an unknown
       referent in another article of the day), the name is `ambiguous`: it
       stays without an actor (never guessed) and the candidates are counted.
    2. fuzzy: otherwise the most similar alias with the same first letter,
       if similar enough (spelling variants: "Valdorian Defense Ministry").
    A coordination of equally good runs naming different actors ("Turkey and
    Libya"), or of people's names of different actors on both sides of its
    "and" ("Pierce and Carroll"), is `several` speakers: no single actor, counted.
    Names that match neither stay, with a null actor.
    Incremental by publication day (macro published_day_incremental): the
    models that join it read only the run's days, and earlier days keep the
    resolution of the build that wrote them until a full refresh, as theirs do. -#}
{{ published_day_incremental() }}
{% set min_similarity = 0.93 %}
{#- Discovered actors (int_discovered_actors) are canonical actors only when
    the `discover_actors` var is true (they are then in int_actors_with_roots
    and dim_actors); otherwise a name whose best alias is a discovered actor's
    keeps a null actor with resolution_method `discovered`: known to be a
    person or organization no seed lists, counted, and not mistaken for a seed
    actor that shares a word with it ("Hunter Biden" is not Joe Biden). -#}
{% set discover_actors = var('discover_actors', false) %}

with names as (
    select name_key, name_normalized, published_on
    from {{ ref('int_names_to_resolve') }}
    where {{ in_run_published_days('published_on') }}
),

aliases as (
    select * from {{ ref('int_resolution_aliases') }}
),

ngrams as (
    select * from {{ ref('int_name_ngrams') }}
    where {{ in_run_published_days('published_on') }}
),

discovered as (
    select actor_id from {{ ref('int_discovered_actors') }}
),

alias_matches as (
    select distinct
        ngrams.name_key,
        ngrams.published_on,
        aliases.actor_id,
        aliases.alias_normalized as matched_alias,
        aliases.alias_source,
        aliases.priority,
        aliases.is_person_name,
        ngrams.n_words,
        ngrams.start_word
    from ngrams
    inner join aliases
        on lower(ngrams.ngram) = aliases.alias_normalized
        and (not aliases.is_case_sensitive or ngrams.ngram = upper(aliases.alias_normalized))
        and (aliases.valid_from is null or ngrams.published_on is null or ngrams.published_on >= aliases.valid_from)
        and (aliases.valid_to is null or ngrams.published_on is null or ngrams.published_on <= aliases.valid_to)
        and (aliases.alias_source != 'article' or ngrams.published_on is not distinct from aliases.published_on)
),

ranked_alias_matches as (
    select
        *,
        dense_rank() over (
            partition by name_key, published_on
            order by case when is_person_name then 0 else 1 end, n_words desc, priority asc, start_word asc
        ) as run_rank,
        dense_rank() over (
            partition by name_key, published_on
            order by case when is_person_name then 0 else 1 end, n_words desc, priority asc
        ) as rank_at_any_position
    from alias_matches
),

-- "Turkey and Libya", "Pierce and Hawkins": a coordination of equally good runs naming different actors is
-- several speakers, not the first of them
coordinated_equals as (
    select name_key, published_on, count(distinct actor_id) as n_coordinated_actors
    from ranked_alias_matches
    where rank_at_any_position = 1 and actor_id is not null
        and (lower(name_key) like '% and %' or name_key like '% & %')
    group by name_key, published_on
    having count(distinct actor_id) > 1
),

-- "Pierce and Carroll": people's names of different actors on both sides of an "and" are several speakers too,
-- whatever their aliases' priorities (a seed's "Pierce", the article's surname "Carroll"); titles and
-- organizations around one person's name ("party leader and Prime Minister Boris Johnson") are no coordination
conjunctions as (
    select name_key, published_on, min(start_word) as and_word
    from ngrams
    where n_words = 1 and lower(ngram) in ('and', '&')
    group by name_key, published_on
),

coordinated_people as (
    select
        alias_matches.name_key,
        alias_matches.published_on,
        count(distinct alias_matches.actor_id) as n_coordinated_actors
    from alias_matches
    inner join conjunctions
        on alias_matches.name_key = conjunctions.name_key
        and alias_matches.published_on is not distinct from conjunctions.published_on
    where alias_matches.actor_id is not null and alias_matches.is_person_name
    group by alias_matches.name_key, alias_matches.published_on, conjunctions.and_word
    having count(distinct alias_matches.actor_id) > 1
        and sum(case when alias_matches.start_word + alias_matches.n_words - 1 < conjunctions.and_word
            then 1 else 0 end) > 0
        and sum(case when alias_matches.start_word > conjunctions.and_word then 1 else 0 end) > 0
),

coordinated as (
    select name_key, published_on, max(n_coordinated_actors) as n_coordinated_actors
    from (
        select * from coordinated_equals
        union all
        select * from coordinated_people
    ) as both_kinds
    group by name_key, published_on
),

best_alias_match as (
    select
        name_key,
        published_on,
        min(matched_alias) as matched_alias,
        min(alias_source) as alias_source,
        count(distinct coalesce(actor_id, '?')) as n_candidate_actors,
        case when count(distinct coalesce(actor_id, '?')) = 1 then min(actor_id) end as actor_id
    from ranked_alias_matches
    where run_rank = 1
    group by name_key, published_on
),

unmatched as (
    select names.name_key, names.name_normalized, names.published_on
    from names
    left join best_alias_match
        on names.name_key = best_alias_match.name_key
        and names.published_on is not distinct from best_alias_match.published_on
    where best_alias_match.name_key is null
),

-- The fuzzy match depends on the name alone (seed aliases valid at any time), and the unmatched
-- names repeat across days: 4,161 distinct of 168,739 at 100,000 articles, so each is compared once.
unmatched_names as (
    select distinct name_normalized from unmatched
),

fuzzy_matches as (
    select
        unmatched_names.name_normalized,
        aliases.actor_id,
        aliases.alias_normalized as matched_alias,
        {{ name_similarity('unmatched_names.name_normalized', 'aliases.alias_normalized') }} as similarity
    from unmatched_names
    inner join aliases
        on left(unmatched_names.name_normalized, 1) = left(aliases.alias_normalized, 1)
        and aliases.alias_source = 'seed'
        and aliases.valid_from is null
        and aliases.valid_to is null
        and not aliases.is_case_sensitive
    where {{ name_similarity('unmatched_names.name_normalized', 'aliases.alias_normalized') }} >= {{ min_similarity }}
),

best_fuzzy_match as (
    select
        *,
        row_number() over (
            partition by name_normalized order by similarity desc, actor_id asc, matched_alias asc
        ) as match_rank
    from fuzzy_matches
),

final as (
    select
        names.name_key,
        names.name_normalized,
        names.published_on,
        case
            when coordinated.name_key is not null then null
            when discovered.actor_id is not null and not {{ 'true' if discover_actors else 'false' }} then null
            else coalesce(best_alias_match.actor_id, best_fuzzy_match.actor_id)
        end as actor_id,
        coalesce(best_alias_match.matched_alias, best_fuzzy_match.matched_alias) as matched_alias,
        case
            when best_alias_match.name_key is not null then best_alias_match.alias_source
            when best_fuzzy_match.actor_id is not null then 'seed'
        end as alias_source,
        case
            when coordinated.name_key is not null then 'several'
            when discovered.actor_id is not null and not {{ 'true' if discover_actors else 'false' }}
                then 'discovered'
            when best_alias_match.actor_id is not null then 'alias'
            when best_alias_match.n_candidate_actors > 1 then 'ambiguous'
            when best_fuzzy_match.actor_id is not null then 'fuzzy'
            else 'unresolved'
        end as resolution_method,
        coalesce(
            coordinated.n_coordinated_actors,
            best_alias_match.n_candidate_actors,
            case when best_fuzzy_match.actor_id is not null then 1 else 0 end
        ) as n_candidate_actors
    from names
    left join best_alias_match
        on names.name_key = best_alias_match.name_key
        and names.published_on is not distinct from best_alias_match.published_on
    left join best_fuzzy_match
        on best_alias_match.name_key is null
        and names.name_normalized = best_fuzzy_match.name_normalized
        and best_fuzzy_match.match_rank = 1
    left join discovered on best_alias_match.actor_id = discovered.actor_id
    left join coordinated
        on names.name_key = coordinated.name_key
        and names.published_on is not distinct from coordinated.published_on
)

select * from final
