-- 控制指标: each region's yearly targets as currently filed; the appraisal scores against them.
select region_code, year, max_deaths, max_accidents, min_inspections, relief_approved_yuan,
    file_name, source_row_number, loaded_at
from {{ ref('stg_raw__target_revisions') }}
where is_current
