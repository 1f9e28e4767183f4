-- Every revision of every accident, graded, with the days it was the current one: the history that
-- rebuilds a report as known on an earlier date.
with graded as (
    select * from {{ ref('int_accidents__graded') }}
    {% if is_incremental() %}
    -- Every revision of each accident the later loads revised: the new one ends the days of the one it
    -- follows, and is current unless its file was received before theirs. Filtered before they are ordered,
    -- so only these accidents are.
    where {{ revised_since_last_build('accident_id', ref('int_accidents__graded')) }}
    {% endif %}
),

accidents as (
    {{ revision_history('graded', ['accident_id']) }}
),

industries as (
    select industry_code, industry_group_code from {{ ref('dim_industry') }}
)

select
    accidents.accident_id,
    accidents.revision_number,
    accidents.known_from,
    accidents.known_until,
    accidents.is_current,
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
    accidents.file_name,
    accidents.source_row_number,
    accidents.loaded_at,
    accidents.load_id
from accidents
inner join industries on industries.industry_code = accidents.industry_code
