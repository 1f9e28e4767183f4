{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ appraisal_forget_touched_years() }}"
) }}
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

-- The newest load that revised a record of the year (a decision through the inspection it names): a build
-- groups again the years of the loads after the newest its groups hold.
year_loads as (
    select year, max(load_id) as newest_load_id
    from (
        select year(occurred_on) as year, load_id from {{ ref('fct_accident_revisions') }}
        union all
        select year(inspected_on), load_id from {{ ref('fct_inspection_revisions') }}
        union all
        select year(inspections.inspected_on), penalties.load_id
        from {{ ref('fct_penalty_revisions') }} as penalties
        inner join {{ ref('fct_inspection_revisions') }} as inspections
            on inspections.inspection_id = penalties.inspection_id
    )
    group by year
),

-- the delays the rules asked about when the groups were made
delays as (
    {{ appraisal_delays() }}
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
    any_value(year_loads.newest_load_id) as newest_load_id,
    any_value(delays.hours) as delays_hours
from records
inner join year_loads on year_loads.year = records.year
cross join delays
group by
    records.record_kind, records.year, records.region_code, records.grade_code, records.industry_code,
    records.industry_group_code, records.deaths_and_missing, records.is_concealed, records.reported_after_hours,
    records.has_hazards, records.has_major_hazards, records.has_case_or_fine
