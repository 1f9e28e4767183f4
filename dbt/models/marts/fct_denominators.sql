-- 基数: each region's yearly denominators for the rates (its current revision). A region has the figures
-- filed for it; nothing is summed up from its townships (a prefecture's GDP is not its counties' sum).
select * exclude (revision_number, known_from, known_until, is_current)
from {{ ref('fct_denominator_revisions') }}
where is_current
