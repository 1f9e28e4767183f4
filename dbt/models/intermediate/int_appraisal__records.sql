{{ config(materialized='view') }}
{# Every record an appraisal rule may count, one row each, with what its filters read and what its metrics
   count: each metric is a column of its own, so that records and groups of records (int_appraisal__record_groups)
   are counted alike. Written-off accidents are not counted. A view: its two readers take what they need of it,
   the groups every record once and the evidence a region's year. #}
with penalised as (
    select distinct inspection_id
    from {{ ref('fct_penalties') }}
    where not is_revoked and inspection_id is not null
),

delays as (
    {{ appraisal_delays() }}
),

accidents as (
    select
        accidents.*,
        epoch_us(accidents.reported_at) - epoch_us(accidents.occurred_at) as reported_after_us
    from {{ ref('fct_accidents') }} as accidents
    where not accidents.is_written_off
),

inspections as (
    select
        inspections.*,
        -- a case or a fine: the inspection led to 立案 itself, or a decision that was not revoked names it
        inspections.is_case_filed or penalised.inspection_id is not null as has_case_or_fine,
        make_date(year(inspections.inspected_on), 12, 31) as year_end
    from {{ ref('fct_inspections') }} as inspections
    left join penalised on penalised.inspection_id = inspections.inspection_id
)

select
    'accident' as record_kind,
    accidents.accident_id as record_id,
    accidents.region_code,
    year(accidents.occurred_on) as year,
    accidents.occurred_at,
    accidents.deaths_and_missing,
    accidents.grade_code,
    accidents.industry_code,
    accidents.industry_group_code,
    accidents.is_concealed,
    -- an accident without a report time is not counted late: nothing shows it was
    list_filter(delays.hours, h -> coalesce(accidents.reported_after_us > h * 3600000000, false))
        as reported_after_hours,
    cast(null as boolean) as has_hazards,
    cast(null as boolean) as has_major_hazards,
    cast(null as boolean) as has_case_or_fine,
    1 as accidents,
    accidents.deaths_and_missing as deaths,
    cast(null as integer) as inspections,
    cast(null as integer) as hazards_found,
    cast(null as integer) as major_hazards_found,
    cast(null as integer) as hazards_rectified,
    accidents.direct_loss_yuan,
    cast(null as integer) as open_hazards,
    cast(null as integer) as open_major_hazards
from accidents
cross join delays

union all

select
    'inspection',
    inspections.inspection_id,
    inspections.region_code,
    year(inspections.inspected_on),
    null, null, null, null, null, null, null,
    inspections.hazards_found > 0,
    inspections.major_hazards_found > 0,
    inspections.has_case_or_fine,
    null,
    null,
    1,
    inspections.hazards_found,
    inspections.major_hazards_found,
    inspections.hazards_rectified,
    null,
    -- Hazards of an inspection still open on 31 December, as overdue hazards count them (kpi-rules.md).
    {{ open_hazard_count('inspections', 'inspections.year_end') }},
    {{ open_hazard_count('inspections', 'inspections.year_end', 'true') }}
from inspections
