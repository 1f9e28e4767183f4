-- 行政处罚: one row per decision against one party (its current revision). Revoked decisions stay here,
-- flagged; KPI models leave them out.
select * exclude (revision_number, known_from, known_until, is_current)
from {{ ref('fct_penalty_revisions') }}
where is_current
