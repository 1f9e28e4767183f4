{# 去年同期: the same calendar span one year earlier, each end mapped on its own; 29 February maps to 28
   February. A span that holds the whole of the month it ends in compares with the whole of that month a year
   earlier, so 2025年2月 and 1月至2月 of 2025 compare with all of February 2024, 29 February included; a span that
   ends on 28 February of a common year without holding the whole month (15 to 28 February, or that one day)
   compares with the same days, ending on 28 February. #}
{% macro same_period_last_year_end(start_date, end_date) -%}
    case
        when {{ end_date }} = cast({{ dbt.last_day(end_date, 'month') }} as date)
            and {{ start_date }} <= cast({{ dbt.date_trunc('month', end_date) }} as date)
            then cast({{ dbt.last_day(dbt.dateadd('year', -1, end_date), 'month') }} as date)
        else cast({{ dbt.dateadd('year', -1, end_date) }} as date)
    end
{%- endmacro %}

{% macro same_period_last_year_start(start_date) -%}
    cast({{ dbt.dateadd('year', -1, start_date) }} as date)
{%- endmacro %}

{# The last day the records cover: the day before the run's day (the pipeline passes it as the var
   data_through; a run with `--through` or a demo `--on` day passes another). A period that runs past it is cut
   there, and its 去年同期 with it (docs/kpi-rules.md). A dbt run without the var takes yesterday. #}
{% macro data_through() -%}
    {%- set day = var('data_through', none) -%}
    {%- if day -%}
    cast('{{ day }}' as date)
    {%- else -%}
    cast({{ dbt.dateadd('day', -1, 'current_date') }} as date)
    {%- endif -%}
{%- endmacro %}

{# The same rule for a report's arbitrary range, as a DuckDB table macro in the warehouse (made after
   dim_period): `report_span(span_start, span_end, known_through)` is the range cut at the last day the records
   cover and its 去年同期, exactly as int_periods cuts and compares a named period. #}
{% macro create_report_span(schema) -%}
    create or replace macro {{ schema }}.report_span(span_start, span_end, known_through) as table
    select
        least(span_end, known_through) as counted_end,
        span_end > known_through as is_cut,
        {{ same_period_last_year_start('span_start') }} as comparison_start,
        {{ same_period_last_year_end('span_start', 'least(span_end, known_through)') }} as comparison_end
{%- endmacro %}
