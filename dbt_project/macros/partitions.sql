{#- Day-partitioned incremental models.

    Dagster runs dbt for a range of article days and passes it as the vars
    `min_day` / `max_day` (empty: open on that side).  An incremental model
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
    {%- set min_day = var('min_day', '') -%}
    {%- set max_day = var('max_day', '') -%}
    {%- if is_incremental() and (min_day or max_day) -%}
        ({% if min_day %}{{ day_column }} >= cast('{{ min_day }}' as date){% else %}true{% endif %}
        and {% if max_day %}{{ day_column }} <= cast('{{ max_day }}' as date){% else %}true{% endif %})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
