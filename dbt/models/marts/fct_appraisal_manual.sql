-- 考核评分: the items no record can score, as the assessment team entered them (current revision).
select region_code, year, item, score, note, file_name, source_row_number, loaded_at
from {{ ref('stg_raw__appraisal_manual_revisions') }}
where is_current
