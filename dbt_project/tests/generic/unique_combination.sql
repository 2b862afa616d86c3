{#- No two rows share the same values in `combination_of_columns` (a compound
    grain); rows where any of them is null fail too, since a grain key must be
    complete, unless `nulls_allowed` (a grain where null is a value of its own,
    such as "undated"; two nulls then count as the same value).  Replaces
    dbt_utils.unique_combination_of_columns, which cannot be installed offline. -#}
{% test unique_combination(model, combination_of_columns, nulls_allowed=false) %}

with grain as (
    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
),

failures as (
    select *
    from grain
    where n_rows > 1
    {%- if not nulls_allowed %}
        or {{ combination_of_columns | join(' is null\n        or ') }} is null
    {%- endif %}
)

select * from failures

{% endtest %}
