-- 执法检查与隐患排查: one row per inspection of one unit (its current revision).
select * exclude (revision_number, known_from, known_until, is_current)
from {{ ref('fct_inspection_revisions') }}
where is_current
{% if is_incremental() %}
    -- The records a later load revised: a revision that became current came with a load newer than any
    -- this table holds (one that did not leaves the current revision as it was).
    and {{ revised_since_last_build('inspection_id', ref('fct_inspection_revisions')) }}
{% endif %}
