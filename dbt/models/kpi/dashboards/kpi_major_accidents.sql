-- 较大及以上 accidents one by one, listed under every period and every region (up the tree) they fall in, so a
-- dashboard filtered on a period and a region lists exactly the accidents its count covers.
with accidents as (
    select accidents.*, grades.grade_label_zh, grades.sort_order as grade_order
    from {{ ref('fct_accidents') }} as accidents
    inner join {{ ref('dim_accident_grade') }} as grades on grades.grade_code = accidents.grade_code
    where not accidents.is_written_off and accidents.grade_code <> 'general'
)

select
    periods.period_key,
    periods.period_label_zh,
    ancestry.ancestor_code as region_code,
    ancestors.region_name,
    accidents.accident_id,
    accidents.occurred_on,
    places.region_name as place_name,
    industries.industry_label_zh,
    accidents.grade_label_zh,
    accidents.grade_order,
    accidents.deaths,
    accidents.missing,
    accidents.injuries,
    cast(round(accidents.direct_loss_yuan * 0.0001, 2) as decimal(18, 2)) as direct_loss_10k_yuan,
    accidents.enterprise_name
from accidents
inner join {{ ref('dim_period') }} as periods
    on accidents.occurred_on between periods.period_start and periods.period_end
inner join {{ ref('dim_region_ancestry') }} as ancestry on ancestry.region_code = accidents.region_code
inner join {{ ref('dim_region') }} as ancestors on ancestors.region_code = ancestry.ancestor_code
inner join {{ ref('dim_region') }} as places on places.region_code = accidents.region_code
inner join {{ ref('dim_industry') }} as industries on industries.industry_code = accidents.industry_code
