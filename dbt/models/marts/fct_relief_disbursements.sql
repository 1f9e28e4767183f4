-- 救灾资金发放: one row per disbursement batch to a township (its current revision).
select * exclude (revision_number, known_from, known_until, is_current)
from {{ ref('fct_relief_revisions') }}
where is_current
