{#- Day-partitioned incremental models.

    Dagster runs dbt for a range of article days and passes it in the
    environment variables CLAIMHOUSE_MIN_DAY / CLAIMHOUSE_MAX_DAY (empty: open
    on that side); by hand, pass the vars `min_day` / `max_day` instead.  The
    environment, read only while a model runs (never while dbt parses), keeps
    dbt's partial parsing valid from one run to the next, where vars that
    change every run would make dbt re-parse the whole project.  An incremental model
    reads only those days' rows and replaces exactly those days in its table:
    DuckDB deletes and re-inserts by `day`, Spark overwrites the `day`
    partitions.  A first build or `--full-refresh` builds every day. -#}

{% macro day_partitioned_incremental() %}
    {{ config(
        materialized='incremental',
        unique_key='day',
        incremental_strategy=adapter.dispatch('day_partition_strategy', 'claimhouse')(),
        partition_by=(['day'] if target.type == 'spark' else none),
        on_schema_change='fail'
    ) }}
{% endmacro %}

{% macro default__day_partition_strategy() %}delete+insert{% endmacro %}

{% macro spark__day_partition_strategy() %}insert_overwrite{% endmacro %}

{#- A predicate keeping the rows of the run's days; always true outside an
    incremental build. -#}
{% macro in_run_days(day_column) -%}
    {%- if is_incremental() -%}
        {%- set min_day = run_day_bound('min_day') -%}
        {%- set max_day = run_day_bound('max_day') -%}
    {%- endif -%}
    {%- if is_incremental() and (min_day or max_day) -%}
        ({% if min_day %}{{ day_column }} >= cast('{{ min_day }}' as date){% else %}true{% endif %}
        and {% if max_day %}{{ day_column }} <= cast('{{ max_day }}' as date){% else %}true{% endif %})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- `min_day` or `max_day` of the run: the environment's CLAIMHOUSE_MIN_DAY /
    CLAIMHOUSE_MAX_DAY when set (Dagster's runs), else the dbt var. -#}
{% macro run_day_bound(name) -%}
    {{- return(checked_day(name, env_var('CLAIMHOUSE_' ~ name | upper, var(name, '')))) -}}
{%- endmacro %}

{#- `value` when it is empty or a day (YYYY-MM-DD); a compile error naming `name` otherwise. -#}
{% macro checked_day(name, value) -%}
    {%- if value and not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
        {{ exceptions.raise_compiler_error(name ~ ' must be a day (YYYY-MM-DD), got: ' ~ value) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}

{#- Ends a model's select: its rows stored in day order, so that a reader's
    filter on `day` (or on a publication time, which follows the day) skips
    the row groups of other days by their min/max.  A full build sorts; an
    incremental run appends only its own days.  The dashboard's date filters
    read fct_claims, fct_contradictions and mart_daily_actor_conflicts this
    way.  Spark partitions or rebuilds these tables; a sort would only add a
    shuffle there. -#}
{% macro in_day_order() -%}
    {{ return(adapter.dispatch('in_day_order', 'claimhouse')()) }}
{%- endmacro %}

{% macro default__in_day_order() %}order by day{% endmacro %}

{% macro spark__in_day_order() %}{% endmacro %}

{#- Models whose rows depend on every earlier day: a contradiction pair joins
    a claim to the earlier claims on its proposition, and its `day` is the
    later claim's.  A run replaces every row from its first day onward, days
    after `max_day` included, since a claim added or changed on a day changes
    which earlier claim each later one pairs with; a row of an earlier day
    joins only claims of earlier days, which the run leaves alone, so it stays.
    DuckDB deletes those rows (a pre-hook, inside the model's transaction) and
    appends the new ones.  Spark's Parquet tables cannot delete rows, and
    overwriting the `day` partitions would keep a day whose pairs all vanished:
    on Spark these models are rebuilt in full. -#}
{% macro from_first_run_day_incremental() %}
    {{ delete_and_append_incremental("{{ from_first_run_day('day') }}") }}
{% endmacro %}

{#- How from_first_run_day_incremental and published_day_incremental models
    materialize: on DuckDB, an incremental run first deletes the rows
    `rows_to_replace` (a predicate, as Jinja rendered when the hook runs) and
    then appends the model's rows; on Spark, a table rebuilt in full. -#}
{% macro delete_and_append_incremental(rows_to_replace) %}
    {% if target.type == 'spark' %}
        {{ config(materialized='table') }}
    {% else %}
        {{ config(
            materialized='incremental',
            incremental_strategy='append',
            on_schema_change='fail',
            pre_hook="{% if is_incremental() %}delete from {{ this }} where " ~ rows_to_replace ~ "{% endif %}"
        ) }}
    {% endif %}
{% endmacro %}

{#- Models of names keyed by their publication day (`published_on`: null for an
    article without a date), whose rows for a day depend on that day's article
    names alone (int_names_to_resolve, int_name_ngrams) or are read only by the
    run's days (int_names_resolved_to_actors: the mentions, attributions and
    claims of the run's days join it on the day).  An incremental run replaces
    the rows of its days and the undated ones (an undated article's `day` is
    when it was loaded, so it may be any run's): a pre-hook deletes them, inside
    the model's transaction, and the model appends them again.  Other days keep
    the rows of the build that wrote them, as the day-partitioned models that
    read them do.  Spark's Parquet tables cannot delete rows: rebuilt in full. -#}
{% macro published_day_incremental() %}
    {{ delete_and_append_incremental("{{ in_run_published_days('published_on') }}") }}
{% endmacro %}

{#- A predicate keeping the rows published on the run's days or undated;
    always true outside an incremental build. -#}
{% macro in_run_published_days(day_column) -%}
    ({{ in_run_days(day_column) }} or {{ day_column }} is null)
{%- endmacro %}

{#- A predicate keeping the rows from the run's first day onward; always true
    outside an incremental build or when the run's days are open below. -#}
{% macro from_first_run_day(day_column) -%}
    {{- on_or_after(day_column, run_day_bound('min_day') if is_incremental() else '') -}}
{%- endmacro %}

{#- For a data test of a from_first_run_day_incremental model: the rows this
    build wrote, from `CLAIMHOUSE_CHECK_FROM_DAY` on.  The Dagster asset sets it
    to the run's first day for an incremental build that follows a build of the
    same warehouse which passed every test: the rows before that day are as
    that build checked them.  Unset (by hand, a full refresh, after a failed
    build, on Spark where these models are rebuilt in full): every row.  A
    generic test reads it through its `where` config, as the placeholder
    `__rows_this_build_wrote__` (macros/test_where.sql). -#}
{% macro rows_this_build_wrote(day_column) -%}
    {#- Read only while the test runs, like the run's days: never while dbt parses. -#}
    {%- set from_day = env_var('CLAIMHOUSE_CHECK_FROM_DAY', '') if execute and target.type != 'spark' else '' -%}
    {{- on_or_after(day_column, checked_day('CLAIMHOUSE_CHECK_FROM_DAY', from_day)) -}}
{%- endmacro %}

{#- `day_column` on or after `day`; true when `day` is empty. -#}
{% macro on_or_after(day_column, day) -%}
    {%- if day -%}
        {{ day_column }} >= cast('{{ day }}' as date)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
