{#- For a singular test that two sets of rows are equal, multiplicities
    included: the CTEs `missing` (rows of `expected` not in `actual`), `extra`
    (the other way) and `final`, each row tagged with its `problem`.  Follows
    the test's own CTEs, after a comma. -#}
{% macro rows_missing_or_extra(expected, actual) %}
missing as (
    select * from {{ expected }}
    except all
    select * from {{ actual }}
),

extra as (
    select * from {{ actual }}
    except all
    select * from {{ expected }}
),

final as (
    select 'missing' as problem, * from missing
    union all
    select 'extra' as problem, * from extra
)
{% endmacro %}
