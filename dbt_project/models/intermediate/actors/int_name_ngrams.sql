{#- Every run of up to six consecutive words of every name to resolve (names
    of up to twelve words), keeping case: the units aliases are matched
    against ("nato secretary-general russia" -> "nato", "nato
    secretary-general", ...).  Incremental by publication day, like the names
    (macro published_day_incremental). -#}
{% set max_words = 12 %}
{% set max_ngram = 6 %}
{{ published_day_incremental() }}

with names as (
    select
        name_key,
        published_on,
        {{ split_words('name_key') }} as words
    from {{ ref('int_names_to_resolve') }}
    where {{ in_run_published_days('published_on') }}
),

positions as (
    {{ integers(max_words) }}
),

lengths as (
    {{ integers(max_ngram) }}
),

final as (
    select
        names.name_key,
        names.published_on,
        {{ list_length('names.words') }} as name_words,
        positions.position as start_word,
        lengths.position as n_words,
        {{ word_ngram('names.words', 'positions.position', 'lengths.position') }} as ngram
    from names
    cross join positions
    cross join lengths
    where positions.position + lengths.position - 1 <= {{ list_length('names.words') }}
)

select * from final
