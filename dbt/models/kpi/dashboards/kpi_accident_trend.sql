-- The months inside each period with their figures and the same month last year, for the cockpit's trend
-- line: the chosen period (a year to date, a quarter …) drawn month by month against 去年同期. A month still in
-- progress is cut at data_through, and so is its month last year: 12月1日至3日 against the same days, never
-- three days against a whole month.
with months as (
    select * from {{ ref('kpi_accident_yoy') }}
    where period_type = 'month' and industry_scope = 'all'
),

periods as (
    select * from {{ ref('kpi_accident_yoy') }}
    where industry_scope = 'all'
)

select
    periods.period_key,
    periods.period_label_zh,
    periods.region_code,
    periods.region_name,
    months.period_start as month_start,
    months.period_label_zh as month_label_zh,
    months.period_end as month_counted_end,
    months.period_end < cast({{ dbt.last_day('months.period_start', 'month') }} as date) as is_month_in_progress,
    months.accidents,
    months.accidents_previous,
    months.deaths,
    months.deaths_previous,
    months.injuries,
    months.injuries_previous
from periods
inner join months
    on months.region_code = periods.region_code
    and months.period_start between periods.period_start and periods.period_end
