{#- Resolve a name (its case-keeping key) to one actor.
    1. alias: the longest run of words in the name that is an alias valid on
       the day ("nato secretary-general russia" -> NATO; "president joe
       biden" -> the US government while Biden was in office); on a tie, the
       leftmost run.  Case-sensitive aliases (acronyms: "WHO", "US") match
       only a run written in capitals.  When that run is an alias of more
       than one actor on the day, the name is `ambiguous`: it stays without
       an actor (never guessed) and the candidates are counted.
    2. fuzzy: otherwise the most similar alias with the same first letter,
       if similar enough (spelling variants: "Valdorian Defense Ministry").
    Names that match neither stay, with a null actor. -#}
{% set max_words = 12 %}
{% set max_ngram = 6 %}
{% set min_similarity = 0.93 %}

with names as (
    select
        name_key,
        name_normalized,
        published_on,
        {{ split_words('name_key') }} as words
    from {{ ref('int_names_to_resolve') }}
),

aliases as (
    select * from {{ ref('stg_actor_aliases') }}
),

positions as (
    {{ integers(max_words) }}
),

lengths as (
    {{ integers(max_ngram) }}
),

ngrams as (
    select
        names.name_key,
        names.published_on,
        positions.position as start_word,
        lengths.position as n_words,
        {{ word_ngram('names.words', 'positions.position', 'lengths.position') }} as ngram
    from names
    cross join positions
    cross join lengths
    where positions.position + lengths.position - 1 <= {{ list_length('names.words') }}
),

alias_matches as (
    select distinct
        ngrams.name_key,
        ngrams.published_on,
        aliases.actor_id,
        aliases.alias_normalized as matched_alias,
        ngrams.n_words,
        ngrams.start_word
    from ngrams
    inner join aliases
        on lower(ngrams.ngram) = aliases.alias_normalized
        and (not aliases.is_case_sensitive or ngrams.ngram = upper(aliases.alias_normalized))
        and (aliases.valid_from is null or ngrams.published_on is null or ngrams.published_on >= aliases.valid_from)
        and (aliases.valid_to is null or ngrams.published_on is null or ngrams.published_on <= aliases.valid_to)
),

ranked_alias_matches as (
    select
        *,
        dense_rank() over (
            partition by name_key, published_on
            order by n_words desc, start_word asc
        ) as run_rank
    from alias_matches
),

best_alias_match as (
    select
        name_key,
        published_on,
        min(matched_alias) as matched_alias,
        count(distinct actor_id) as n_candidate_actors,
        case when count(distinct actor_id) = 1 then min(actor_id) end as actor_id
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

fuzzy_matches as (
    select
        unmatched.name_key,
        unmatched.published_on,
        aliases.actor_id,
        aliases.alias_normalized as matched_alias,
        {{ name_similarity('unmatched.name_normalized', 'aliases.alias_normalized') }} as similarity
    from unmatched
    inner join aliases
        on left(unmatched.name_normalized, 1) = left(aliases.alias_normalized, 1)
        and aliases.valid_from is null
        and aliases.valid_to is null
        and not aliases.is_case_sensitive
    where {{ name_similarity('unmatched.name_normalized', 'aliases.alias_normalized') }} >= {{ min_similarity }}
),

best_fuzzy_match as (
    select
        *,
        row_number() over (
            partition by name_key, published_on order by similarity desc, actor_id asc
        ) as match_rank
    from fuzzy_matches
),

final as (
    select
        names.name_key,
        names.name_normalized,
        names.published_on,
        coalesce(best_alias_match.actor_id, best_fuzzy_match.actor_id) as actor_id,
        coalesce(best_alias_match.matched_alias, best_fuzzy_match.matched_alias) as matched_alias,
        case
            when best_alias_match.actor_id is not null then 'alias'
            when best_alias_match.n_candidate_actors > 1 then 'ambiguous'
            when best_fuzzy_match.actor_id is not null then 'fuzzy'
            else 'unresolved'
        end as resolution_method,
        coalesce(best_alias_match.n_candidate_actors, case when best_fuzzy_match.actor_id is not null then 1 else 0 end)
            as n_candidate_actors
    from names
    left join best_alias_match
        on names.name_key = best_alias_match.name_key
        and names.published_on is not distinct from best_alias_match.published_on
    left join best_fuzzy_match
        on names.name_key = best_fuzzy_match.name_key
        and names.published_on is not distinct from best_fuzzy_match.published_on
        and best_fuzzy_match.match_rank = 1
)

select * from final
