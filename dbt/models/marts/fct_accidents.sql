-- One row per accident (its current revision), graded, with where it came from.
with accidents as (
    select * from {{ ref('int_accidents__graded') }}
),

industries as (
    select industry_code, industry_group_code from {{ ref('dim_industry') }}
),

revisions as (
    select accident_id, count(*) as revision_count
    from {{ ref('stg_raw__accident_revisions') }}
    group by accident_id
)

select
    accidents.accident_id,
    accidents.occurred_at,
    accidents.occurred_on,
    accidents.reported_at,
    accidents.region_code,
    accidents.industry_code,
    industries.industry_group_code,
    accidents.accident_type_code,
    accidents.enterprise_name,
    accidents.credit_code,
    accidents.deaths,
    accidents.missing,
    accidents.deaths_and_missing,
    accidents.injuries,
    accidents.serious_injuries,
    accidents.direct_loss_yuan,
    accidents.grade_code,
    accidents.reported_grade_code,
    coalesce(accidents.reported_grade_code <> accidents.grade_code, false) as has_grade_mismatch,
    accidents.is_written_off,
    accidents.is_concealed,
    revisions.revision_count,
    accidents.file_name,
    accidents.source_row_number,
    accidents.loaded_at
from accidents
inner join industries on industries.industry_code = accidents.industry_code
inner join revisions on revisions.accident_id = accidents.accident_id
