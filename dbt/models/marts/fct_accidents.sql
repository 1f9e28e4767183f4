-- One row per accident (its current revision), graded, with where it came from.
{#- In an incremental build, the accidents a later load revised, with all their revisions. -#}
{%- set revised -%}
    {%- if is_incremental() %}
    and {{ revised_since_last_build('accident_id', ref('fct_accident_revisions'), 'newest_load_id') }}
    {%- endif -%}
{%- endset -%}
-- The current revision is the last by when its file was received, so its number is the count of revisions; a
-- file received earlier may still have been loaded later (a back-filled archive), hence the earlier revisions'
-- newest load.
with earlier_loads as (
    select accident_id, max(load_id) as load_id
    from {{ ref('fct_accident_revisions') }}
    where not is_current {{ revised }}
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
    revisions.revision_number as revision_count,
    revisions.file_name,
    revisions.source_row_number,
    revisions.loaded_at,
    greatest(revisions.load_id, coalesce(earlier_loads.load_id, revisions.load_id)) as newest_load_id
from (select * from {{ ref('fct_accident_revisions') }} where is_current {{ revised }}) as revisions
left join earlier_loads on earlier_loads.accident_id = revisions.accident_id
