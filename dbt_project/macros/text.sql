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
{#- Jaro-Winkler in Spark SQL, the same figures as DuckDB's
    jaro_winkler_similarity: match window max(len)/2 - 1, half the
    transpositions, prefix bonus 0.1 per common leading character (at most 4)
    when the Jaro similarity exceeds 0.7.  Strings become arrays of
    characters; `transform(array(x), v -> ...)[0]` binds a value once.  Each
    character of the left string takes the first unmatched equal character of
    the right one inside the window (array_position over a slice; a matched
    character is blanked to null), so a step costs native array functions,
    not a lambda over the whole right string. -#}
{% macro spark__name_similarity(left, right) -%}
    transform(array(named_struct('a', split({{ left }}, ''), 'b', split({{ right }}, ''))), s ->
        case when length({{ left }}) = 0 or length({{ right }}) = 0 then cast(0.0 as double)
        else transform(array(aggregate(
            sequence(0, size(s.a) - 1),
            named_struct(
                'bb', slice(concat(s.b, array(cast(null as string))), 1, size(s.b)),
                'js', cast(array() as array<int>),
                'm1', cast(array() as array<string>)),
            (acc, i) -> transform(array(greatest(0, i - greatest(0, cast(greatest(size(s.a), size(s.b)) div 2 as int) - 1))), lo ->
                transform(array(array_position(
                    slice(acc.bb, lo + 1, greatest(0, least(size(s.b) - 1, i + greatest(0, cast(greatest(size(s.a), size(s.b)) div 2 as int) - 1)) - lo + 1)), s.a[i])), pos ->
                    if(pos = 0, acc, named_struct(
                        'bb', concat(slice(acc.bb, 1, lo + cast(pos as int) - 1), array(cast(null as string)),
                                     slice(acc.bb, lo + cast(pos as int) + 1, size(s.b))),
                        'js', concat(acc.js, array(cast(lo + pos - 1 as int))),
                        'm1', concat(acc.m1, array(s.a[i])))))[0])[0]
        )), r ->
            transform(array(named_struct(
                'm', size(r.m1),
                'm1', r.m1,
                'm2', transform(array_sort(r.js), k -> s.b[k]))), x ->
                case when x.m = 0 then cast(0.0 as double)
                else transform(array(
                    (cast(x.m as double) / size(s.a) + cast(x.m as double) / size(s.b)
                     + cast(x.m - size(filter(sequence(0, x.m - 1), k -> x.m1[k] != x.m2[k])) div 2 as double) / x.m)
                    / cast(3.0 as double)
                ), jaro ->
                    if(jaro > cast(0.7 as double),
                       jaro + aggregate(
                           sequence(0, least(4, size(s.a), size(s.b)) - 1),
                           named_struct('n', 0, 'go', true),
                           (p, k) -> if(p.go and s.a[k] = s.b[k], named_struct('n', p.n + 1, 'go', true), named_struct('n', p.n, 'go', false))
                       ).n * cast(0.1 as double) * (cast(1.0 as double) - jaro),
                       jaro))[0]
                end)[0]
        )[0]
        end)[0]
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

{#- A mention's id, from its article, extractor version and index (`relation`:
    the alias of a raw.mentions or stg_mentions row).  stg_mentions defines the
    column with it; int_mentions_resolved_to_actors computes it after keeping
    the run's mentions, since through the view every mention's id is hashed
    before the join drops all but the run's (1.4 s of CPU at 5.3 million). -#}
{% macro mention_id(relation) -%}
    {{ short_id('m_', relation ~ ".article_id || '|' || " ~ relation ~ ".extractor_version || '|' || cast("
                      ~ relation ~ ".mention_index as " ~ dbt.type_string() ~ ")") }}
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
