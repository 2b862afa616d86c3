{#- Every non-null value of the column lies between min_value and max_value
    (both bounds included unless inclusive=false). -#}
{% test values_between(model, column_name, min_value, max_value, inclusive=true) %}

{%- set low_op = '>=' if inclusive else '>' -%}
{%- set high_op = '<=' if inclusive else '<' -%}

select {{ column_name }} as out_of_range_value
from {{ model }}
where {{ column_name }} is not null
    and not ({{ column_name }} {{ low_op }} {{ min_value }} and {{ column_name }} {{ high_op }} {{ max_value }})

{% endtest %}
