-- Accident figures for every period × region (rolled up the tree) × industry scope, each with the same
-- period last year (去年同期), the change and the change in percent (half-up, NULL on a zero base).
-- Written-off accidents leave the statistics. Facts are summed per count bucket (a month, split at the day
-- records run through) once and periods add buckets up: the cost grows with months × regions, not with
-- accidents × periods.
{% set grades = ['general', 'larger', 'major', 'especially_major'] %}
{% set count_metrics = ['accidents', 'deaths', 'missing', 'deaths_and_missing', 'injuries',
                        'serious_injuries', 'larger_and_above_accidents'] %}
{% for grade in grades %}{% do count_metrics.append(grade ~ '_accidents') %}{% endfor %}
{% set measures = count_metrics + ['direct_loss_yuan'] %}
{# 环比 (against the previous period) for the figures a bulletin leads with. #}
{% set prior_period_metrics = ['accidents', 'deaths', 'injuries'] %}

with facts as (
    select * from {{ ref('fct_accidents') }}
    where not is_written_off
),

leaf_buckets as (
    select
        region_code,
        industry_code,
        industry_group_code,
        {{ count_bucket('occurred_on') }} as bucket_end,
        count(*) as accidents,
        sum(deaths) as deaths,
        sum(missing) as missing,
        sum(deaths_and_missing) as deaths_and_missing,
        sum(injuries) as injuries,
        sum(serious_injuries) as serious_injuries,
        sum(case when grade_code <> 'general' then 1 else 0 end) as larger_and_above_accidents,
        {% for grade in grades %}
        sum(case when grade_code = '{{ grade }}' then 1 else 0 end) as {{ grade }}_accidents,
        {% endfor %}
        sum(direct_loss_yuan) as direct_loss_yuan
    from facts
    group by 1, 2, 3, 4
),

scoped_buckets as (
    {% for scope, key in [('all', "'all'"), ('industry_group', 'industry_group_code'), ('industry', 'industry_code')] %}
    select region_code, '{{ scope }}' as industry_scope, {{ key }} as industry_key, bucket_end,
        {{ measures | join(', ') }}
    from leaf_buckets
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

bucketed as (
    select
        ancestry.ancestor_code as region_code,
        scoped_buckets.industry_scope,
        scoped_buckets.industry_key,
        scoped_buckets.bucket_end,
        {% for m in measures %}sum(scoped_buckets.{{ m }}) as {{ m }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from scoped_buckets
    inner join {{ ref('dim_region_ancestry') }} as ancestry on ancestry.region_code = scoped_buckets.region_code
    group by 1, 2, 3, 4
),

-- Every region gets a row for every period, even with nothing to count (0 起 is a figure);
-- an industry only where it has records this period or the same period last year.
series as (
    select distinct region_code, industry_scope, industry_key from bucketed
    union
    select region_code, 'all', 'all' from {{ ref('dim_region') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

period_buckets as (
    {{ period_buckets('periods', 'select distinct bucket_end from bucketed', previous=true) }}
),

with_records as (
    select
        period_buckets.period_key,
        bucketed.region_code,
        bucketed.industry_scope,
        bucketed.industry_key,
        {% for m in measures %}
        sum(case when period_buckets.is_current then bucketed.{{ m }} else 0 end) as {{ m }},
        sum(case when period_buckets.is_comparison then bucketed.{{ m }} else 0 end) as {{ m }}_previous,
        {% endfor %}
        {% for m in prior_period_metrics %}
        sum(case when period_buckets.is_previous then bucketed.{{ m }} else 0 end) as {{ m }}_prior_period
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from bucketed
    inner join period_buckets on period_buckets.bucket_end = bucketed.bucket_end
    group by 1, 2, 3, 4
),

summed as (
    select
        periods.period_key,
        series.region_code,
        series.industry_scope,
        series.industry_key,
        {% for m in measures %}
        coalesce(with_records.{{ m }}, 0) as {{ m }},
        coalesce(with_records.{{ m }}_previous, 0) as {{ m }}_previous,
        {% endfor %}
        {% for m in prior_period_metrics %}
        coalesce(with_records.{{ m }}_prior_period, 0) as {{ m }}_prior_period{% if not loop.last %},{% endif %}
        {% endfor %}
    from series
    cross join periods
    left join with_records
        on with_records.period_key = periods.period_key
        and with_records.region_code = series.region_code
        and with_records.industry_scope = series.industry_scope
        and with_records.industry_key = series.industry_key
),

labels as (
    select 'all' as industry_scope, 'all' as industry_key, '全部行业' as industry_label_zh
    union all
    select distinct 'industry_group', industry_group_code, industry_group_label_zh from {{ ref('dim_industry') }}
    union all
    select 'industry', industry_code, industry_label_zh from {{ ref('dim_industry') }}
)

select
    {{ kpi_period_and_region('summed') }},
    summed.industry_scope,
    summed.industry_key,
    labels.industry_label_zh,
    {% for m in count_metrics %}
    {{ compared_count(m, 'summed.' ~ m, 'summed.' ~ m ~ '_previous') }},
    {% endfor %}
    {% for m in prior_period_metrics %}
    -- 环比 only where a previous period exists (not for year-to-date spans)
    case when periods.previous_start is not null then cast(summed.{{ m }}_prior_period as bigint) end
        as {{ m }}_prior_period,
    case when periods.previous_start is not null
        then cast({{ pct_change('summed.' ~ m, 'summed.' ~ m ~ '_prior_period') }} as decimal(18, 2)) end
        as {{ m }}_pop_change_pct,
    {% endfor %}
    {{ compared_10k_yuan('direct_loss_10k_yuan', 'summed.direct_loss_yuan', 'summed.direct_loss_yuan_previous') }},
    summed.accidents < summed.accidents_previous and summed.deaths < summed.deaths_previous as is_double_decline
from summed
inner join periods on periods.period_key = summed.period_key
inner join {{ ref('dim_region') }} as regions on regions.region_code = summed.region_code
inner join labels on labels.industry_scope = summed.industry_scope and labels.industry_key = summed.industry_key
where summed.industry_scope = 'all'
    or summed.accidents + summed.accidents_previous > 0
