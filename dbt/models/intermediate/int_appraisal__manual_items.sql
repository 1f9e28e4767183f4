{# Each item a manual rule scores, for each scored region and year, with the team's score and note for it when the
   appraisal_manual file gave one (a region's own items: the team scores each region itself). #}
select
    scored.region_code,
    scheme_years.year,
    items.scheme,
    items.rule_key,
    items.ordinal,
    items.item,
    items.max_points,
    given.score,
    given.note
from {{ ref('dim_region') }} as scored
cross join {{ source('appraisal_rules', 'scheme_years') }} as scheme_years
inner join {{ source('appraisal_rules', 'manual_items') }} as items on items.scheme = scheme_years.scheme
left join {{ ref('fct_appraisal_manual') }} as given
    on given.region_code = scored.region_code and given.year = scheme_years.year and given.item = items.item
where scored.parent_code is not null
