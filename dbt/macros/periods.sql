{# 去年同期: the same calendar span one year earlier. A span that ends on a month's last day compares with
   the whole of that month a year earlier, so 29 February maps to 28 February and 1月至2月 of 2025 compares
   with all of January and February 2024. #}
{% macro same_period_last_year_end(end_date) -%}
    case
        when {{ end_date }} = cast({{ dbt.last_day(end_date, 'month') }} as date)
            then cast({{ dbt.last_day(dbt.dateadd('year', -1, end_date), 'month') }} as date)
        else cast({{ dbt.dateadd('year', -1, end_date) }} as date)
    end
{%- endmacro %}

{% macro same_period_last_year_start(start_date) -%}
    cast({{ dbt.dateadd('year', -1, start_date) }} as date)
{%- endmacro %}
