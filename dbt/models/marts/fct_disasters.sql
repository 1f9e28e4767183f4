-- 自然灾害灾情: one row per disaster event and township (its current revision). An event that struck
-- several townships has several rows with the same disaster_id; count events with count(distinct).
select * exclude (revision_number, known_from, known_until, is_current)
from {{ ref('fct_disaster_revisions') }}
where is_current
