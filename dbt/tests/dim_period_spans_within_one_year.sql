-- Enforcement and disaster figures count a unit, a case or an event once in a span by the months of one
-- calendar year it has: a period, its 去年同期 or its previous period running over a new year would break that.
select period_key
from {{ ref('dim_period') }}
where year(period_start) <> year(period_end)
    or year(comparison_start) <> year(comparison_end)
    or year(previous_start) <> year(previous_end)
