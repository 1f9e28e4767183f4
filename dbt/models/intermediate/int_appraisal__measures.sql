{# Every quantity a rule kind needs, for each scored region (every region with a parent: it is ranked among its
   siblings), year and rule of the scheme covering that year: the counts of its filters (where, base, part), a
   ratio's numerator, the direct loss, the hazards open at year end, its target and the manual scores. #}
with scored as (
    select regions.region_code, regions.parent_code, scheme_years.year, scheme_years.scheme
    from {{ ref('dim_region') }} as regions
    cross join {{ source('appraisal_rules', 'scheme_years') }} as scheme_years
    where regions.parent_code is not null
        and scheme_years.year in (select distinct year from {{ ref('int_appraisal__record_groups') }})
),

counted as (
    select * from {{ ref('int_appraisal__counts') }}
),

manual as (
    -- least() passes over a NULL: an item not sent in must add nothing, not its maximum
    select scheme, year, region_code, rule_key, sum(least(score, max_points)) filter (where score is not null)
        as manual_points
    from {{ ref('int_appraisal__manual_items') }}
    group by all
)

select
    scored.scheme,
    scored.year,
    scored.region_code,
    scored.parent_code,
    rules.rule_key,
    rules.section_key,
    rules.ordinal as rule_ordinal,
    rules.kind,
    coalesce(counted_where.total, 0) as total,
    coalesce(counted_where.numerator_total, 0) as numerator_total,
    coalesce(counted_where.loss_yuan, 0) as loss_yuan,
    coalesce(counted_where.open_hazards, 0) as open_hazards,
    coalesce(counted_base.total, 0) as base_total,
    coalesce(counted_part.total, 0) as part_total,
    case rules.target
        when 'max_deaths' then targets.max_deaths
        when 'max_accidents' then targets.max_accidents
        when 'min_inspections' then targets.min_inspections
    end as target_value,
    coalesce(manual.manual_points, 0) as manual_points
from scored
inner join {{ source('appraisal_rules', 'rules') }} as rules on rules.scheme = scored.scheme
left join counted as counted_where
    on counted_where.role = 'where' and counted_where.scheme = scored.scheme and counted_where.year = scored.year
    and counted_where.region_code = scored.region_code and counted_where.rule_key = rules.rule_key
left join counted as counted_base
    on counted_base.role = 'base' and counted_base.scheme = scored.scheme and counted_base.year = scored.year
    and counted_base.region_code = scored.region_code and counted_base.rule_key = rules.rule_key
left join counted as counted_part
    on counted_part.role = 'part' and counted_part.scheme = scored.scheme and counted_part.year = scored.year
    and counted_part.region_code = scored.region_code and counted_part.rule_key = rules.rule_key
left join {{ ref('fct_targets') }} as targets
    on targets.region_code = scored.region_code and targets.year = scored.year
left join manual
    on manual.scheme = scored.scheme and manual.year = scored.year and manual.region_code = scored.region_code
    and manual.rule_key = rules.rule_key
