-- Current accidents with the legal grade their numbers imply; a supplied grade that disagrees is flagged,
-- never overridden (kpi-definitions.md).
with accidents as (
    select * from {{ ref('stg_raw__accidents') }}
)

select
    *,
    cast(occurred_at as date) as occurred_on,
    deaths + missing as deaths_and_missing,
    {{ accident_grade('deaths + missing', 'serious_injuries', 'direct_loss_yuan') }} as grade_code
from accidents
