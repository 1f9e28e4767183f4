{#- Figures are added up per count bucket, and a span adds up the buckets it is made of, so that no fact is
    joined to every span holding its day. A bucket is the first D days of a month or the rest of it, where D is
    the day of the month of data_through(): every span starts on a month's first day and ends on a month's last
    day or on day D (a period cut at data_through, its 去年同期 and its previous period), so a span is exactly a
    set of buckets. A bucket is named by its last day. -#}
{% macro count_bucket(day) -%}
    case
        when extract(day from {{ day }}) <= extract(day from {{ data_through() }})
            then least(
                cast({{ dbt.dateadd('day', 'extract(day from ' ~ data_through() ~ ') - 1',
                                    dbt.date_trunc('month', day)) }} as date),
                cast({{ dbt.last_day(day, 'month') }} as date))
        else cast({{ dbt.last_day(day, 'month') }} as date)
    end
{%- endmacro %}

{#- Which buckets each period of `periods` adds up: its own, those of 去年同期 and, with `previous`, those of
    the period before (环比). `buckets` is a query of the distinct bucket_end values that have facts. -#}
{% macro period_buckets(periods, buckets, previous=false) -%}
    select
        {{ periods }}.period_key,
        buckets.bucket_end,
        buckets.bucket_end between {{ periods }}.period_start and {{ periods }}.period_end as is_current,
        buckets.bucket_end between {{ periods }}.comparison_start and {{ periods }}.comparison_end as is_comparison
        {%- if previous %},
        coalesce(buckets.bucket_end between {{ periods }}.previous_start and {{ periods }}.previous_end, false)
            as is_previous
        {%- endif %}
    from {{ periods }}
    inner join ({{ buckets }}) as buckets
        on buckets.bucket_end between {{ periods }}.period_start and {{ periods }}.period_end
        or buckets.bucket_end between {{ periods }}.comparison_start and {{ periods }}.comparison_end
        {%- if previous %}
        or buckets.bucket_end between {{ periods }}.previous_start and {{ periods }}.previous_end
        {%- endif %}
{%- endmacro %}

{#- The buckets each span of `spans` (span_start, span_end, as int_periods makes them) is made of, one row per
    span and bucket: figures counted per bucket then add up to a span's with an equi-join. -#}
{% macro span_buckets(spans) -%}
    select distinct span_start, span_end, bucket_end
    from (
        select
            span_start,
            span_end,
            unnest([
                least(cast({{ dbt.dateadd('day', 'extract(day from ' ~ data_through() ~ ') - 1', 'month_start') }}
                           as date),
                      cast({{ dbt.last_day('month_start', 'month') }} as date)),
                cast({{ dbt.last_day('month_start', 'month') }} as date)
            ]) as bucket_end
        from (
            select
                span_start,
                span_end,
                cast(unnest(generate_series(cast(span_start as timestamp), cast(span_end as timestamp),
                                            interval 1 month)) as date) as month_start
            from {{ spans }}
        ) as span_months
    ) as candidates
    where bucket_end <= span_end
{%- endmacro %}

{#- A bucket of a calendar year as one bit of twenty-four (January's first D days the lowest), and the bits of
    the buckets from `span_start` to `span_end` of one year: a record is in a span when their bits meet. -#}
{% macro bucket_bit(day) -%}
    (1 << (2 * (month({{ day }}) - 1)
           + case when extract(day from {{ day }}) > extract(day from {{ data_through() }}) then 1 else 0 end))
{%- endmacro %}

{% macro bucket_bits(span_start, span_end) -%}
    ((1 << (2 * (month({{ span_end }}) - 1)
            + case when {{ span_end }} = cast({{ dbt.last_day(span_end, 'month') }} as date) then 2 else 1 end))
     - (1 << (2 * (month({{ span_start }}) - 1))))
{%- endmacro %}
