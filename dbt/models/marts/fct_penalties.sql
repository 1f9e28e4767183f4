-- 行政处罚: one row per decision against one party (its current revision). Revoked decisions stay here,
-- flagged; KPI models leave them out.
select * exclude (revision_number, known_from, known_until, is_current)
from {{ ref('fct_penalty_revisions') }}
where is_current
{% if is_incremental() %}
    -- The records a later load revised: a revision that became current came with a load newer than any
    -- this table holds (one that did not leaves the current revision as it was).
    and {{ revised_since_last_build('penalty_id', ref('fct_penalty_revisions')) }}
{% endif %}
