-- Every revision of every accident with the legal grade its numbers imply (a 补报 can raise the grade);
-- a supplied grade that disagrees is flagged, never overridden (kpi-definitions.md).
with accidents as (
    select * from {{ ref('stg_raw__accident_revisions') }}
)

select
    *,
    cast(occurred_at as date) as occurred_on,
    deaths + missing as deaths_and_missing,
    {{ accident_grade('deaths + missing', 'serious_injuries', 'direct_loss_yuan') }} as grade_code
from accidents
