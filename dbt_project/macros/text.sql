{#- Portable text helpers.  The default implementations are DuckDB SQL;
    other engines (Spark) override them through adapter.dispatch. -#}

{#- Lowercase, straight apostrophes, no possessive 's, no periods, other
    punctuation to spaces, no leading "the": "The Kremlin's" -> "kremlin". -#}
{% macro normalize_name(expression) -%}
    {{ return(adapter.dispatch('normalize_name', 'claimhouse')(expression)) }}
{%- endmacro %}

{% macro default__normalize_name(expression) -%}
    regexp_replace(
        trim(regexp_replace(
            regexp_replace(
                regexp_replace(lower(replace({{ expression }}, '’', '''')), '''s\b', '', 'g'),
                '\.', '', 'g'),
            '[^a-z0-9-]+', ' ', 'g')),
        '^the ', '')
{%- endmacro %}

{% macro spark__normalize_name(expression) -%}
    regexp_replace(
        trim(regexp_replace(
            regexp_replace(
                regexp_replace(lower(replace({{ expression }}, '’', '''')), '''s\\b', ''),
                '\\.', ''),
            '[^a-z0-9-]+', ' ')),
        '^the ', '')
{%- endmacro %}

{#- A list of the words of an already normalized name. -#}
{% macro split_words(expression) -%}
    {{ return(adapter.dispatch('split_words', 'claimhouse')(expression)) }}
{%- endmacro %}
{% macro default__split_words(expression) -%} string_split({{ expression }}, ' ') {%- endmacro %}
{% macro spark__split_words(expression) -%} split({{ expression }}, ' ') {%- endmacro %}

{% macro list_length(expression) -%}
    {{ return(adapter.dispatch('list_length', 'claimhouse')(expression)) }}
{%- endmacro %}
{% macro default__list_length(expression) -%} len({{ expression }}) {%- endmacro %}
{% macro spark__list_length(expression) -%} size({{ expression }}) {%- endmacro %}

{#- The words from position `start` (1-based), `n` of them, joined by spaces. -#}
{% macro word_ngram(words, start, n) -%}
    {{ return(adapter.dispatch('word_ngram', 'claimhouse')(words, start, n)) }}
{%- endmacro %}
{% macro default__word_ngram(words, start, n) -%}
    array_to_string(list_slice({{ words }}, {{ start }}, {{ start }} + {{ n }} - 1), ' ')
{%- endmacro %}
{% macro spark__word_ngram(words, start, n) -%}
    array_join(slice({{ words }}, {{ start }}, {{ n }}), ' ')
{%- endmacro %}

{#- Similarity of two strings in [0, 1]: Jaro-Winkler where the engine has it. -#}
{% macro name_similarity(left, right) -%}
    {{ return(adapter.dispatch('name_similarity', 'claimhouse')(left, right)) }}
{%- endmacro %}
{% macro default__name_similarity(left, right) -%} jaro_winkler_similarity({{ left }}, {{ right }}) {%- endmacro %}
{% macro spark__name_similarity(left, right) -%}
    1.0 - levenshtein({{ left }}, {{ right }}) / greatest(length({{ left }}), length({{ right }}))
{%- endmacro %}

{#- Rows 1..n, one column `position`. -#}
{% macro integers(n) -%}
    {{ return(adapter.dispatch('integers', 'claimhouse')(n)) }}
{%- endmacro %}
{% macro default__integers(n) -%} select unnest(range(1, {{ n }} + 1)) as position {%- endmacro %}
{% macro spark__integers(n) -%} select explode(sequence(1, {{ n }})) as position {%- endmacro %}

{#- A short stable id: prefix + 16 hex chars of md5. -#}
{% macro short_id(prefix, expression) -%}
    '{{ prefix }}' || left({{ dbt.hash(expression) }}, 16)
{%- endmacro %}

{#- Like normalize_name but keeping the letters' case ("The WHO's" -> "WHO"):
    lower(name_key(x)) = normalize_name(x) for ASCII text.  Case-sensitive
    aliases (acronyms) are matched against it. -#}
{% macro name_key(expression) -%}
    {{ return(adapter.dispatch('name_key', 'claimhouse')(expression)) }}
{%- endmacro %}

{% macro default__name_key(expression) -%}
    regexp_replace(
        trim(regexp_replace(
            regexp_replace(
                regexp_replace(replace({{ expression }}, '’', ''''), '''[sS]\b', '', 'g'),
                '\.', '', 'g'),
            '[^A-Za-z0-9-]+', ' ', 'g')),
        '^[Tt][Hh][Ee] ', '')
{%- endmacro %}

{% macro spark__name_key(expression) -%}
    regexp_replace(
        trim(regexp_replace(
            regexp_replace(
                regexp_replace(replace({{ expression }}, '’', ''''), '''[sS]\\b', ''),
                '\\.', ''),
            '[^A-Za-z0-9-]+', ' ')),
        '^[Tt][Hh][Ee] ', '')
{%- endmacro %}
