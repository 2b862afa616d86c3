{#- The raw.* sources on Spark: views over the Parquet export of DuckDB's raw
    tables at $CLAIMHOUSE_SPARK_RAW_ROOT (<root>/<table>/), registered in the
    session's persistent catalog (Hive metastore) at the start of every build,
    so the catalog holds no data of its own.  Dagster's dbt asset writes the
    export and sets the variable (pipelines/engines/spark_runner.py).  On DuckDB,
    and on Spark without the variable (raw.* registered by other means, e.g. an
    Iceberg catalog), it does nothing. -#}
{% macro register_raw_sources() %}
    {%- set root = env_var('CLAIMHOUSE_SPARK_RAW_ROOT', '') -%}
    {%- if execute and target.type == 'spark' and root -%}
        {%- do run_query('create database if not exists raw') -%}
        {%- for source_node in graph.sources.values() if source_node.source_name == 'raw' -%}
            {%- do run_query(
                'create or replace view raw.' ~ source_node.name
                ~ ' as select * from parquet.`' ~ root.rstrip('/') ~ '/' ~ source_node.name ~ '`'
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}
