-- 执法检查与隐患排查: one row per inspection of one unit (its current revision).
select * exclude (revision_number, known_from, known_until, is_current)
from {{ ref('fct_inspection_revisions') }}
where is_current
