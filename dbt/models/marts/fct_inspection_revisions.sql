-- Every revision of every inspection of one unit, with the days it was current.
with loaded as (
    select * from {{ ref('stg_raw__inspection_revisions') }}
    {% if is_incremental() %}
    -- Every revision of each record the later loads revised (as fct_accident_revisions does).
    where {{ revised_since_last_build('inspection_id', ref('stg_raw__inspection_revisions')) }}
    {% endif %}
),

inspections as (
    {{ revision_history('loaded', ['inspection_id']) }}
),

industries as (
    select industry_code, industry_group_code from {{ ref('dim_industry') }}
)

select
    inspections.inspection_id,
    inspections.revision_number,
    inspections.known_from,
    inspections.known_until,
    inspections.is_current,
    inspections.inspected_on,
    inspections.region_code,
    inspections.enterprise_name,
    inspections.credit_code,
    -- The unit inspected: its credit code when given, else its name (units inspected counts these).
    coalesce(inspections.credit_code, inspections.enterprise_name) as unit_key,
    inspections.industry_code,
    industries.industry_group_code,
    inspections.method_code,
    inspections.hazards_found,
    inspections.major_hazards_found,
    inspections.hazards_rectified,
    inspections.rectification_due_on,
    inspections.rectified_on,
    inspections.is_case_filed,
    inspections.documents_issued,
    inspections.file_name,
    inspections.source_row_number,
    inspections.loaded_at,
    inspections.load_id
from inspections
inner join industries on industries.industry_code = inspections.industry_code
