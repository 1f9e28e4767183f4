-- The calendar of reporting periods, from the first year with records of any source to the last, each with its
-- same-period-last-year span (去年同期) and, where it makes sense, the previous period (环比).
-- Every named period is made of whole months; one still in progress on data_through() is cut at that day, and
-- its 去年同期 and previous period with it, so that it is compared day for day (docs/kpi-rules.md).
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
        {{ length }} as months_long,
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
        month as months_long,
        month_start as anchor_month_start
    from months
),


cut as (
    select
        spans.*,
        {{ data_through() }} as data_through,
        spans.period_end as calendar_end,
        least(spans.period_end, {{ data_through() }}) as counted_end,
        spans.period_end > {{ data_through() }} as is_in_progress
    from spans
),

named as (
    select
        cut.*,
        case cut.period_type
            when 'month' then cast(cut.year as varchar) || '-' || lpad(cast(cut.month as varchar), 2, '0')
            when 'quarter' then cast(cut.year as varchar) || '-Q' || cast({{ int_div('cut.month + 2', 3) }} as varchar)
            when 'half_year' then cast(cut.year as varchar) || '-H' || cast({{ int_div('cut.month + 5', 6) }} as varchar)
            when 'year' then cast(cut.year as varchar)
            else cast(cut.year as varchar) || '-YTD' || lpad(cast(cut.month as varchar), 2, '0')
        end as period_key,
        case
            when cut.period_type = 'month' then cast(cut.year as varchar) || '年' || cast(cut.month as varchar) || '月'
            when cut.period_type = 'quarter'
                then cast(cut.year as varchar) || '年第' || cast({{ int_div('cut.month + 2', 3) }} as varchar) || '季度'
            when cut.period_type = 'half_year'
                then cast(cut.year as varchar) || case when cut.month = 1 then '年上半年' else '年下半年' end
            when cut.period_type = 'year' or cut.month = 1 then cast(cut.year as varchar) || '年'
                || case when cut.period_type = 'ytd' then '1月' else '' end
            else cast(cut.year as varchar) || '年1-' || cast(cut.month as varchar) || '月'
        end as calendar_label_zh
    from cut
)

select
    named.period_type,
    named.period_key,
    -- A period in progress says the day it runs through: 2026年1-12月（截至12月3日）.
    named.calendar_label_zh || case when named.is_in_progress
        then '（截至' || cast(month(named.counted_end) as varchar) || '月'
            || cast(extract(day from named.counted_end) as varchar) || '日）'
        else '' end as period_label_zh,
    named.year,
    named.period_start,
    named.counted_end as period_end,
    named.calendar_end,
    named.is_in_progress,
    named.data_through,
    {{ same_period_last_year_start('named.period_start') }} as comparison_start,
    {{ same_period_last_year_end('named.period_start', 'named.counted_end') }} as comparison_end,
    named.previous_start,
    case
        when named.previous_start is null then null
        -- The period before, cut as far into it as this one runs: 12月1日至3日 against 11月1日至3日.
        when named.is_in_progress
            then cast({{ dbt.dateadd('month', '-' ~ 'named.months_long', 'named.counted_end') }} as date)
        else cast({{ dbt.dateadd('day', -1, 'named.period_start') }} as date)
    end as previous_end
from named
cross join bounds
-- A period exists once its first month (for year-to-date: its last month) has begun, in the records and by
-- the day they run through.
where named.anchor_month_start <= bounds.last_record_on
    and named.anchor_month_start <= named.data_through
