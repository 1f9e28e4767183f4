{{ config(materialized='view') }}
{# Each record a rule's filter (where, a share's base and part, a veto's) takes for a scored region and year, the
   records int_appraisal__counts counts in groups: what the evidence lists. A view: the evidence is read a
   region's year at a time, and stored it would copy a decade of records once per rule and region above them. #}
with filters as (
    {{ appraisal_filters() }}
),

subtrees as (
    {{ appraisal_subtrees() }}
)

select
    filters.scheme,
    records.year,
    subtrees.scored_code as region_code,
    filters.rule_key,
    filters.role,
    records.record_id,
    records.occurred_at,
    {{ appraisal_taken('filters', 'records') }}
from {{ ref('int_appraisal__records') }} as records
inner join {{ source('appraisal_rules', 'scheme_years') }} as scheme_years on scheme_years.year = records.year
inner join filters
    on filters.scheme = scheme_years.scheme
    and filters.record_kind = records.record_kind
    and {{ appraisal_filter_met('filters', 'records') }}
inner join subtrees on subtrees.region_code = records.region_code
