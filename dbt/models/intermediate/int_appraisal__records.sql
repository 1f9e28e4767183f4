{# Every record an appraisal rule may count, one row each, in the order lines list their evidence: accidents by
   the time they occurred, inspections by id. Written-off accidents are not counted. #}
with penalised as (
    select distinct inspection_id
    from {{ ref('fct_penalties') }}
    where not is_revoked and inspection_id is not null
)

select
    'accident' as record_kind,
    accidents.accident_id as record_id,
    accidents.region_code,
    year(accidents.occurred_on) as year,
    row_number() over (order by accidents.occurred_at, accidents.accident_id) as record_order,
    accidents.deaths_and_missing,
    accidents.grade_code,
    accidents.industry_code,
    industries.industry_group_code,
    accidents.is_concealed,
    epoch_us(accidents.reported_at) - epoch_us(accidents.occurred_at) as reported_after_us,
    accidents.direct_loss_yuan,
    cast(null as integer) as hazards_found,
    cast(null as integer) as major_hazards_found,
    cast(null as integer) as hazards_rectified,
    cast(null as date) as rectified_on,
    cast(null as boolean) as has_case_or_fine
from {{ ref('fct_accidents') }} as accidents
left join {{ ref('dim_industry') }} as industries on industries.industry_code = accidents.industry_code
where not accidents.is_written_off

union all

select
    'inspection',
    inspections.inspection_id,
    inspections.region_code,
    year(inspections.inspected_on),
    row_number() over (order by inspections.inspection_id),
    null, null, null, null, null, null, null,
    inspections.hazards_found,
    inspections.major_hazards_found,
    inspections.hazards_rectified,
    inspections.rectified_on,
    -- a case or a fine: the inspection led to 立案 itself, or a decision that was not revoked names it
    inspections.is_case_filed or penalised.inspection_id is not null
from {{ ref('fct_inspections') }} as inspections
left join penalised on penalised.inspection_id = inspections.inspection_id
