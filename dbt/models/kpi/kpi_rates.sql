-- The rates of kpi-rules.md "Rates" for every period × region, with 去年同期. Numerators roll up the region
-- tree; denominators are the ones filed for the region itself, for the year of the span's last day, so
-- year-to-date figures and a period in progress divide by the whole year's base and 去年同期 by the previous
-- year's (docs/kpi-rules.md). Numerators are sums, so facts are summed per count bucket once and periods add
-- buckets up, as in kpi_accident_yoy.
{% set rates = national_rates() %}
{% set numerators = rates | map(attribute=1) | list %}

with leaf_buckets as (
    select
        accidents.region_code,
        {{ count_bucket('accidents.occurred_on') }} as bucket_end,
        {{ accident_rate_numerators('accidents') }},
        0 as disaster_deaths_and_missing,
        0 as disaster_loss_yuan,
        0 as forest_burned_ha
    from {{ ref('fct_accidents') }} as accidents
    where not accidents.is_written_off
    group by 1, 2

    union all

    select
        disasters.region_code,
        {{ count_bucket('disasters.started_on') }} as bucket_end,
        0 as accident_deaths,
        0 as industrial_deaths,
        0 as road_deaths,
        0 as coal_deaths,
        {{ disaster_rate_numerators('disasters') }}
    from {{ ref('fct_disasters') }} as disasters
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

bases as (
    {{ rate_bases(ref('fct_denominators')) }}
),

dated as (
    select
        figures.*,
        cast(extract(year from periods.period_end) as integer) as denominator_year,
        cast(extract(year from periods.comparison_end) as integer) as denominator_year_previous
    from figures
    inner join periods on periods.period_key = figures.period_key
),

operands as (
    select
        dated.period_key,
        dated.region_code,
        dated.denominator_year,
        dated.denominator_year_previous,
        {% for key, numerator, factor, denominator in rates %}
        dated.{{ numerator }} * {{ factor }} as {{ key }}_numerator,
        current_base.{{ denominator }} as {{ key }}_denominator,
        dated.{{ numerator }}_previous * {{ factor }} as {{ key }}_previous_numerator,
        previous_base.{{ denominator }} as {{ key }}_previous_denominator{% if not loop.last %},{% endif %}
        {% endfor %}
    from dated
    left join bases as current_base
        on current_base.region_code = dated.region_code and current_base.year = dated.denominator_year
    left join bases as previous_base
        on previous_base.region_code = dated.region_code and previous_base.year = dated.denominator_year_previous
),

rated as (
    {%- set ratios = [] -%}
    {%- for key, numerator, factor, denominator in rates -%}
    {%- for name in (key, key ~ '_previous') -%}
    {%- do ratios.append((name, name ~ '_numerator', name ~ '_denominator')) -%}
    {%- endfor -%}
    {%- endfor %}
    {{ significant_ratios('operands', ratios, ['period_key', 'region_code', 'denominator_year',
                                              'denominator_year_previous']) }}
)

select
    {{ kpi_period_and_region('rated') }},
    rated.denominator_year,
    rated.denominator_year_previous,
    {% for key, numerator, factor, denominator in rates %}
    {{ compared_ratio(key, 'rated.' ~ key, 'rated.' ~ key ~ '_previous', 'decimal(38, 12)') }}
    {%- if not loop.last %},{% endif %}
    {% endfor %}
from rated
inner join periods on periods.period_key = rated.period_key
inner join {{ ref('dim_region') }} as regions on regions.region_code = rated.region_code
