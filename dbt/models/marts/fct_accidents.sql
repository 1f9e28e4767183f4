-- One row per accident (its current revision), graded, with where it came from.
with revisions as (
    select * from {{ ref('fct_accident_revisions') }}
    {% if is_incremental() %}
    -- The accidents a later load revised, with all their revisions.
    where {{ revised_since_last_build('accident_id', ref('fct_accident_revisions'), 'newest_load_id') }}
    {% endif %}
),

revision_counts as (
    select accident_id, count(*) as revision_count, max(load_id) as newest_load_id
    from revisions
    group by accident_id
)

select
    revisions.accident_id,
    revisions.occurred_at,
    revisions.occurred_on,
    revisions.reported_at,
    revisions.region_code,
    revisions.industry_code,
    revisions.industry_group_code,
    revisions.accident_type_code,
    revisions.enterprise_name,
    revisions.credit_code,
    revisions.deaths,
    revisions.missing,
    revisions.deaths_and_missing,
    revisions.injuries,
    revisions.serious_injuries,
    revisions.direct_loss_yuan,
    revisions.grade_code,
    revisions.reported_grade_code,
    revisions.has_grade_mismatch,
    revisions.is_written_off,
    revisions.is_concealed,
    revision_counts.revision_count,
    revisions.file_name,
    revisions.source_row_number,
    revisions.loaded_at,
    revision_counts.newest_load_id
from revisions
inner join revision_counts on revision_counts.accident_id = revisions.accident_id
where revisions.is_current
