-- The periods a dashboard offers, latest first. Leadership opens the cockpit on the bulletin's period: the
-- year to date through the latest month that has any accident record (a month still being filed shows as
-- soon as its first record arrives, cut at data_through and labelled 截至M月D日). Periods that end after
-- that month have nothing to show yet.
with latest as (
    select cast({{ dbt.date_trunc('month', 'max(occurred_on)') }} as date) as month_start
    from {{ ref('fct_accidents') }}
),

offered as (
    select periods.*
    from {{ ref('dim_period') }} as periods
    cross join latest
    where periods.period_end <= cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'latest.month_start')) }} as date)
)

select
    period_key,
    period_type,
    period_label_zh,
    period_start,
    period_end,
    cast(row_number() over (
        order by
            case when period_type = 'ytd' then 0 else 1 end,
            period_end desc,
            case period_type when 'month' then 1 when 'quarter' then 2 when 'half_year' then 3 else 4 end
    ) as integer) as display_rank,
    period_end = max(period_end) over () and period_type = 'ytd' as is_default
from offered
