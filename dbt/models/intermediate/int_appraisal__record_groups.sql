{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ appraisal_forget_touched_years() }}"
) }}
-- depends_on: {{ ref('fct_accident_revisions') }}, {{ ref('fct_inspection_revisions') }}, {{ ref('fct_penalty_revisions') }}
{# The records of each region's year, grouped by everything a rule's filter can tell apart, with each metric
   summed: a rule counts a group as it would count each of its records, and a decade of records is read once
   here, not once per rule and region above it. A build groups again only the years a load touched (the
   pre-hook forgets them first). #}
with records as (
    select * from {{ ref('int_appraisal__records') }}
    {% if is_incremental() %}
    where year in (select year from appraisal_touched_years)
    {% endif %}
),

-- what the groups were made with: the last load they saw, and the delays the rules asked about
made_with as (
    select
        (select max(load_id) from (
            select max(load_id) as load_id from {{ ref('fct_accident_revisions') }}
            union all
            select max(load_id) from {{ ref('fct_inspection_revisions') }}
            union all
            select max(load_id) from {{ ref('fct_penalty_revisions') }}
        )) as built_through_load_id,
        (select hours from ({{ appraisal_delays() }}) as delays) as delays_hours
)

select
    records.record_kind,
    records.year,
    records.region_code,
    records.grade_code,
    records.industry_code,
    records.industry_group_code,
    records.deaths_and_missing,
    records.is_concealed,
    records.reported_after_hours,
    records.has_hazards,
    records.has_major_hazards,
    records.has_case_or_fine,
    sum(records.accidents) as accidents,
    sum(records.deaths) as deaths,
    sum(records.inspections) as inspections,
    sum(records.hazards_found) as hazards_found,
    sum(records.major_hazards_found) as major_hazards_found,
    sum(records.hazards_rectified) as hazards_rectified,
    sum(records.direct_loss_yuan) as direct_loss_yuan,
    sum(records.open_hazards) as open_hazards,
    sum(records.open_major_hazards) as open_major_hazards,
    any_value(made_with.built_through_load_id) as built_through_load_id,
    any_value(made_with.delays_hours) as delays_hours
from records
cross join made_with
group by
    records.record_kind, records.year, records.region_code, records.grade_code, records.industry_code,
    records.industry_group_code, records.deaths_and_missing, records.is_concealed, records.reported_after_hours,
    records.has_hazards, records.has_major_hazards, records.has_case_or_fine
