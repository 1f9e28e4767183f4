{#- Which months each period of `periods` adds up: its own, the same months last year and, with `previous`,
    those of the period before (环比). Facts joined to this on their month need no range join of every
    series with every period. `months` is a query of the distinct month_start values that have facts. -#}
{% macro period_months(periods, months, previous=false) -%}
    select
        {{ periods }}.period_key,
        months.month_start,
        months.month_start between {{ periods }}.period_start and {{ periods }}.period_end as is_current,
        months.month_start between {{ periods }}.comparison_start and {{ periods }}.comparison_end as is_comparison
        {%- if previous %},
        coalesce(months.month_start between {{ periods }}.previous_start and {{ periods }}.previous_end, false)
            as is_previous
        {%- endif %}
    from {{ periods }}
    inner join ({{ months }}) as months
        on months.month_start between {{ periods }}.period_start and {{ periods }}.period_end
        or months.month_start between {{ periods }}.comparison_start and {{ periods }}.comparison_end
        {%- if previous %}
        or months.month_start between {{ periods }}.previous_start and {{ periods }}.previous_end
        {%- endif %}
{%- endmacro %}
