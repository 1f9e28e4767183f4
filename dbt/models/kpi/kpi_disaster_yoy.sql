-- Disaster figures for every period × region (rolled up the tree) × hazard scope, each with 去年同期, the
-- change and the change in percent, as kpi-rules.md "Disasters" counts them.
-- A record is one event in one township and `events` counts distinct events, which do not add up across
-- townships or months. So records, not monthly sums, are joined to every ancestor region and, through their
-- month, to every period that covers it.
{% set summed_counts = ['affected_people', 'deaths', 'missing', 'relocated',
                        'houses_collapsed', 'houses_severe', 'houses_damaged'] %}
{% set count_metrics = ['events'] + summed_counts %}
{% set areas = ['crop_affected_ha', 'crop_failed_ha', 'crop_lost_ha'] %}
{% set sums = summed_counts + areas + ['direct_loss_yuan'] %}
{% set magnitude_bands = [('m_below_3', none, 3), ('m3_to_5', 3, 5), ('m5_to_6', 5, 6),
                          ('m6_to_7', 6, 7), ('m7_plus', 7, none)] %}
{% set spans = [('', 'is_current'), ('_previous', 'is_comparison')] %}
{% set columns = [] %}
{% for suffix, flag in spans %}
{% do columns.append('events' ~ suffix) %}
{% for m in sums %}{% do columns.append(m ~ suffix) %}{% endfor %}
{% for band, lower, upper in magnitude_bands %}{% do columns.append('earthquakes_' ~ band ~ suffix) %}{% endfor %}
{% endfor %}

-- The magnitude is the event's, not a township's: its largest over all its records, so an earthquake falls
-- in the same band wherever it is counted.
with earthquakes as (
    select disaster_id, max(magnitude) as largest_magnitude
    from {{ ref('fct_disasters') }}
    where hazard_code = 'earthquake'
    group by disaster_id
),

records as (
    select
        disasters.disaster_id,
        disasters.region_code,
        disasters.hazard_code,
        disasters.started_on,
        {% for m in sums %}disasters.{{ m }},
        {% endfor %}
        case
            {% for band, lower, upper in magnitude_bands %}
            {%- set bounds = [] %}
            {%- if lower is not none %}{% do bounds.append('earthquakes.largest_magnitude >= ' ~ lower) %}{% endif %}
            {%- if upper is not none %}{% do bounds.append('earthquakes.largest_magnitude < ' ~ upper) %}{% endif %}
            when {{ bounds | join(' and ') }} then '{{ band }}'
            {%- endfor %}
        end as magnitude_band
    from {{ ref('fct_disasters') }} as disasters
    left join earthquakes on earthquakes.disaster_id = disasters.disaster_id
),

scoped as (
    {% for scope, key in [('all', "'all'"), ('hazard', 'records.hazard_code')] %}
    select
        ancestry.ancestor_code as region_code,
        '{{ scope }}' as hazard_scope,
        {{ key }} as hazard_key,
        records.disaster_id,
        records.started_on,
        {% for m in sums %}records.{{ m }},
        {% endfor %}
        records.magnitude_band
    from records
    inner join {{ ref('dim_region_ancestry') }} as ancestry on ancestry.region_code = records.region_code
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- Every region gets a row for every period, even with nothing to count; a hazard only where it has
-- records this period or the same period last year.
series as (
    select distinct region_code, hazard_scope, hazard_key from scoped
    union
    select region_code, 'all', 'all' from {{ ref('dim_region') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

-- Periods are whole months, so a record's month places it in every period that covers it.
{% set record_months %}
    select distinct cast({{ dbt.date_trunc('month', 'started_on') }} as date) as month_start from scoped
{% endset %}
period_months as (
    {{ period_months('periods', record_months) }}
),

with_records as (
    select
        period_months.period_key,
        scoped.region_code,
        scoped.hazard_scope,
        scoped.hazard_key,
        {% for suffix, flag in spans %}
        count(distinct case when period_months.{{ flag }} then scoped.disaster_id end) as events{{ suffix }},
        {% for m in sums %}
        sum(case when period_months.{{ flag }} then scoped.{{ m }} end) as {{ m }}{{ suffix }},
        {% endfor %}
        {% for band, lower, upper in magnitude_bands %}
        count(distinct case when period_months.{{ flag }} and scoped.magnitude_band = '{{ band }}'
                            then scoped.disaster_id end) as earthquakes_{{ band }}{{ suffix }}{% if not loop.last %},{% endif %}
        {% endfor %}
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from scoped
    inner join period_months
        on period_months.month_start = cast({{ dbt.date_trunc('month', 'scoped.started_on') }} as date)
    group by 1, 2, 3, 4
),

summed as (
    select
        periods.period_key,
        series.region_code,
        series.hazard_scope,
        series.hazard_key,
        {% for column in columns %}
        coalesce(with_records.{{ column }}, 0) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from series
    cross join periods
    left join with_records
        on with_records.period_key = periods.period_key
        and with_records.region_code = series.region_code
        and with_records.hazard_scope = series.hazard_scope
        and with_records.hazard_key = series.hazard_key
),

labels as (
    select 'all' as hazard_scope, 'all' as hazard_key, '全部灾种' as hazard_label_zh
    union all
    select 'hazard', hazard_code, hazard_label_zh from {{ ref('dim_hazard') }}
)

select
    {{ kpi_period_and_region('summed') }},
    summed.hazard_scope,
    summed.hazard_key,
    labels.hazard_label_zh,
    {% for m in count_metrics %}
    cast(summed.{{ m }} as bigint) as {{ m }},
    cast(summed.{{ m }}_previous as bigint) as {{ m }}_previous,
    cast(summed.{{ m }} - summed.{{ m }}_previous as bigint) as {{ m }}_change,
    cast({{ pct_change('summed.' ~ m, 'summed.' ~ m ~ '_previous') }} as decimal(18, 2)) as {{ m }}_change_pct,
    {% endfor %}
    {#- hectares carry 4 decimals, so ten-thousandths of a hectare are whole numbers for pct_change -#}
    {% for m in areas %}
    cast(round(summed.{{ m }}, 2) as decimal(18, 2)) as {{ m }},
    cast(round(summed.{{ m }}_previous, 2) as decimal(18, 2)) as {{ m }}_previous,
    cast(round(summed.{{ m }}, 2) - round(summed.{{ m }}_previous, 2) as decimal(18, 2)) as {{ m }}_change,
    cast({{ pct_change('cast(summed.' ~ m ~ ' * 10000 as bigint)',
                       'cast(summed.' ~ m ~ '_previous * 10000 as bigint)') }} as decimal(18, 2)) as {{ m }}_change_pct,
    {% endfor %}
    cast(round(summed.direct_loss_yuan * 0.0001, 2) as decimal(18, 2)) as direct_loss_10k_yuan,
    cast(round(summed.direct_loss_yuan_previous * 0.0001, 2) as decimal(18, 2)) as direct_loss_10k_yuan_previous,
    cast(round(summed.direct_loss_yuan * 0.0001, 2) - round(summed.direct_loss_yuan_previous * 0.0001, 2)
         as decimal(18, 2)) as direct_loss_10k_yuan_change,
    cast({{ pct_change('cast(summed.direct_loss_yuan * 100 as bigint)',
                       'cast(summed.direct_loss_yuan_previous * 100 as bigint)') }} as decimal(18, 2))
        as direct_loss_10k_yuan_change_pct,
    {% for band, lower, upper in magnitude_bands %}
    cast(summed.earthquakes_{{ band }} as bigint) as earthquakes_{{ band }},
    cast(summed.earthquakes_{{ band }}_previous as bigint) as earthquakes_{{ band }}_previous{% if not loop.last %},{% endif %}
    {% endfor %}
from summed
inner join periods on periods.period_key = summed.period_key
inner join {{ ref('dim_region') }} as regions on regions.region_code = summed.region_code
left join labels on labels.hazard_scope = summed.hazard_scope and labels.hazard_key = summed.hazard_key
where summed.hazard_scope = 'all'
    or summed.events + summed.events_previous > 0
