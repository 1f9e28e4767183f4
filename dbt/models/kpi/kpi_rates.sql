-- The rates of kpi-rules.md "Rates" for every period × region, with 去年同期. Numerators roll up the region
-- tree; denominators are the ones filed for the region itself, for the year of the span's last day, so
-- year-to-date figures and a period in progress divide by the whole year's base and 去年同期 by the previous
-- year's (docs/kpi-rules.md). Numerators are sums, so facts are summed per count bucket once and periods add
-- buckets up, as in kpi_accident_yoy.
{% set rates = [
    ('deaths_per_100m_gdp', 'accident_deaths', 1, 'gdp_100m_yuan'),
    ('industrial_deaths_per_100k_workers', 'industrial_deaths', 100000, 'industrial_workers'),
    ('road_deaths_per_10k_vehicles', 'road_deaths', 10000, 'motor_vehicles'),
    ('coal_deaths_per_mt', 'coal_deaths', 1, 'coal_output_mt'),
    ('disaster_deaths_per_million', 'disaster_deaths_and_missing', 1000000, 'population'),
    ('disaster_loss_pct_of_gdp', 'disaster_loss_yuan', 100, 'gdp_yuan'),
    ('forest_fire_damage_permille', 'forest_burned_ha', 1000, 'forest_area_ha'),
] %}
{% set numerators = rates | map(attribute=1) | list %}

with leaf_buckets as (
    select
        region_code,
        {{ count_bucket('occurred_on') }} as bucket_end,
        sum(deaths) as accident_deaths,
        sum(case when industry_group_code = 'industrial' then deaths else 0 end) as industrial_deaths,
        sum(case when industry_code = 'road_traffic' then deaths else 0 end) as road_deaths,
        sum(case when industry_code = 'coal_mining' then deaths else 0 end) as coal_deaths,
        0 as disaster_deaths_and_missing,
        0 as disaster_loss_yuan,
        0 as forest_burned_ha
    from {{ ref('fct_accidents') }}
    where not is_written_off
    group by 1, 2

    union all

    select
        region_code,
        {{ count_bucket('started_on') }} as bucket_end,
        0, 0, 0, 0,
        sum(deaths_and_missing),
        sum(direct_loss_yuan),
        sum(case when hazard_code = 'forest_fire' then forest_burned_ha else 0 end)
    from {{ ref('fct_disasters') }}
    group by 1, 2
),

bucketed as (
    select
        ancestry.ancestor_code as region_code,
        leaf_buckets.bucket_end,
        {% for n in numerators %}sum(leaf_buckets.{{ n }}) as {{ n }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from leaf_buckets
    inner join {{ ref('dim_region_ancestry') }} as ancestry on ancestry.region_code = leaf_buckets.region_code
    group by 1, 2
),

periods as (
    select * from {{ ref('dim_period') }}
),

-- Every region gets every period: a rate of 0 is a figure, and a missing base must show as null.
figures as (
    select
        periods.period_key,
        regions.region_code,
        {% for n in numerators %}
        coalesce(sum(case when bucketed.bucket_end between periods.period_start and periods.period_end
                          then bucketed.{{ n }} end), 0) as {{ n }},
        coalesce(sum(case when bucketed.bucket_end between periods.comparison_start and periods.comparison_end
                          then bucketed.{{ n }} end), 0) as {{ n }}_previous{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('dim_region') }} as regions
    cross join periods
    left join bucketed
        on bucketed.region_code = regions.region_code
        and (bucketed.bucket_end between periods.period_start and periods.period_end
             or bucketed.bucket_end between periods.comparison_start and periods.comparison_end)
    group by 1, 2
),

-- Widened before scaling, so GDP in yuan cannot overflow the filed decimal(18, 4).
bases as (
    select
        region_code,
        year,
        cast(gdp_100m_yuan as decimal(38, 4)) as gdp_100m_yuan,
        cast(gdp_100m_yuan as decimal(38, 4)) * 100000000 as gdp_yuan,
        industrial_workers,
        motor_vehicles,
        coal_output_mt,
        population,
        forest_area_ha
    from {{ ref('fct_denominators') }}
),

dated as (
    select
        figures.*,
        cast(extract(year from periods.period_end) as integer) as denominator_year,
        cast(extract(year from periods.comparison_end) as integer) as denominator_year_previous
    from figures
    inner join periods on periods.period_key = figures.period_key
),

rated as (
    select
        dated.period_key,
        dated.region_code,
        dated.denominator_year,
        dated.denominator_year_previous,
        {% for key, numerator, factor, denominator in rates %}
        {{ significant('dated.' ~ numerator ~ ' * ' ~ factor, 'current_base.' ~ denominator) }} as {{ key }},
        {{ significant('dated.' ~ numerator ~ '_previous * ' ~ factor, 'previous_base.' ~ denominator) }}
            as {{ key }}_previous{% if not loop.last %},{% endif %}
        {% endfor %}
    from dated
    left join bases as current_base
        on current_base.region_code = dated.region_code and current_base.year = dated.denominator_year
    left join bases as previous_base
        on previous_base.region_code = dated.region_code and previous_base.year = dated.denominator_year_previous
)

select
    {{ kpi_period_and_region('rated') }},
    rated.denominator_year,
    rated.denominator_year_previous,
    {% for key, numerator, factor, denominator in rates %}
    cast(rated.{{ key }} as decimal(38, 12)) as {{ key }},
    cast(rated.{{ key }}_previous as decimal(38, 12)) as {{ key }}_previous,
    cast(rated.{{ key }} - rated.{{ key }}_previous as decimal(38, 12)) as {{ key }}_change{% if not loop.last %},{% endif %}
    {% endfor %}
from rated
inner join periods on periods.period_key = rated.period_key
inner join {{ ref('dim_region') }} as regions on regions.region_code = rated.region_code
