{#- No two rows share the same values in `combination_of_columns` (a compound
    grain); rows where any of them is null fail too, since a grain key must be
    complete.  Replaces dbt_utils.unique_combination_of_columns, which cannot
    be installed offline. -#}
{% test unique_combination(model, combination_of_columns) %}

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
        or {{ combination_of_columns | join(' is null\n        or ') }} is null
)

select * from failures

{% endtest %}
