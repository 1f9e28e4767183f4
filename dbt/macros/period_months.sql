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

{#- The months each span of `spans` (span_start, span_end: whole months, as int_periods makes them) is made of,
    one row per span and month: figures counted per month then add up to a span's with an equi-join, where
    joining every fact to every span that holds its day would make a row per fact and span. -#}
{% macro span_months(spans) -%}
    select
        span_start,
        span_end,
        cast(unnest(generate_series(cast(span_start as timestamp), cast(span_end as timestamp), interval 1 month))
             as date) as month_start
    from {{ spans }}
{%- endmacro %}

{#- A month of a calendar year as one bit of twelve (January the lowest), and the bits of the months from
    `span_start` to `span_end` of one year: a record is in a span when their bits meet. -#}
{% macro month_bit(day) -%}
    (1 << (month({{ day }}) - 1))
{%- endmacro %}

{% macro month_bits(span_start, span_end) -%}
    ((1 << month({{ span_end }})) - (1 << (month({{ span_start }}) - 1)))
{%- endmacro %}
