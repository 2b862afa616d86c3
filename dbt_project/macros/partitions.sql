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
    {%- set value = env_var('CLAIMHOUSE_' ~ name | upper, var(name, '')) -%}
    {%- if value and not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
        {{ exceptions.raise_compiler_error(name ~ ' must be a day (YYYY-MM-DD), got: ' ~ value) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
