{#- dbt's `where` config of a data test, with one placeholder:
    `__rows_this_build_wrote__` stands for `rows_this_build_wrote('day')`
    (macros/partitions.sql), which reads the environment while the test runs.
    A `where` config is rendered when dbt parses the project, before the run
    sets the day, so a macro call in it would always read the whole table;
    this override renders the placeholder at run time instead (the pattern
    dbt's documentation gives for the `where` config).  For the tests of
    incremental models that group or join every row (a key's uniqueness, a
    reference): the rows before the run's first day passed the last build's
    tests and this build leaves them as they were. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- set where = where | replace('__rows_this_build_wrote__', rows_this_build_wrote('day')) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
