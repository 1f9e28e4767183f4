-- The calendar of reporting periods, from the first year with records of any source to the last, each with its
-- same-period-last-year span (去年同期) and, where it makes sense, the previous period (环比).
-- Every named period is made of whole months.
{% set months_in = {'month': 1, 'quarter': 3, 'half_year': 6, 'year': 12} %}
with record_dates as (
    {% for model, column in [('stg_raw__accident_revisions', 'cast(occurred_at as date)'),
                             ('stg_raw__disaster_revisions', 'started_on'),
                             ('stg_raw__inspection_revisions', 'inspected_on'),
                             ('stg_raw__penalty_revisions', 'decided_on'),
                             ('stg_raw__relief_revisions', 'disbursed_on')] %}
    select min({{ column }}) as first_on, max({{ column }}) as last_on from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

bounds as (
    select
        cast(min(extract(year from first_on)) as integer) as first_year,
        cast(max(extract(year from last_on)) as integer) as last_year,
        max(last_on) as last_record_on
    from record_dates
),

digits as (
    {% for d in range(10) %}select {{ d }} as d{% if not loop.last %} union all {% endif %}{% endfor %}
),

years as (
    select bounds.first_year + tens.d * 10 + ones.d as year
    from bounds
    cross join digits as tens
    cross join digits as ones
    where bounds.first_year + tens.d * 10 + ones.d <= bounds.last_year
),

months as (
    select
        years.year,
        month_number.d + 1 as month,
        cast(
            cast(years.year as varchar) || '-' || lpad(cast(month_number.d + 1 as varchar), 2, '0') || '-01' as date
        ) as month_start
    from years
    cross join (select d from digits union all select 10 union all select 11) as month_number
),

spans as (
    {% for period_type, length in months_in.items() %}
    select
        '{{ period_type }}' as period_type,
        year,
        month,
        month_start as period_start,
        cast({{ dbt.last_day(dbt.dateadd('month', length - 1, 'month_start'), 'month') }} as date) as period_end,
        cast({{ dbt.dateadd('month', -length, 'month_start') }} as date) as previous_start,
        month_start as anchor_month_start
    from months
    where (month - 1) % {{ length }} = 0
    union all
    {% endfor %}
    select
        'ytd' as period_type,
        year,
        month,
        cast(cast(year as varchar) || '-01-01' as date) as period_start,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as period_end,
        cast(null as date) as previous_start,
        month_start as anchor_month_start
    from months
)

select
    spans.period_type,
    case spans.period_type
        when 'month' then cast(spans.year as varchar) || '-' || lpad(cast(spans.month as varchar), 2, '0')
        when 'quarter' then cast(spans.year as varchar) || '-Q' || cast({{ int_div('spans.month + 2', 3) }} as varchar)
        when 'half_year' then cast(spans.year as varchar) || '-H' || cast({{ int_div('spans.month + 5', 6) }} as varchar)
        when 'year' then cast(spans.year as varchar)
        else cast(spans.year as varchar) || '-YTD' || lpad(cast(spans.month as varchar), 2, '0')
    end as period_key,
    case
        when spans.period_type = 'month' then cast(spans.year as varchar) || '年' || cast(spans.month as varchar) || '月'
        when spans.period_type = 'quarter'
            then cast(spans.year as varchar) || '年第' || cast({{ int_div('spans.month + 2', 3) }} as varchar) || '季度'
        when spans.period_type = 'half_year'
            then cast(spans.year as varchar) || case when spans.month = 1 then '年上半年' else '年下半年' end
        when spans.period_type = 'year' or spans.month = 1 then cast(spans.year as varchar) || '年'
            || case when spans.period_type = 'ytd' then '1月' else '' end
        else cast(spans.year as varchar) || '年1-' || cast(spans.month as varchar) || '月'
    end as period_label_zh,
    spans.year,
    spans.period_start,
    spans.period_end,
    {{ same_period_last_year_start('spans.period_start') }} as comparison_start,
    {{ same_period_last_year_end('spans.period_end') }} as comparison_end,
    spans.previous_start,
    case when spans.previous_start is not null
        then cast({{ dbt.dateadd('day', -1, 'spans.period_start') }} as date) end as previous_end
from spans
cross join bounds
-- A period exists once its first month (for year-to-date: its last month) has begun.
where spans.anchor_month_start <= bounds.last_record_on
