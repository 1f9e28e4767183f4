-- Disaster figures for every period × region (rolled up the tree) × hazard scope, each with 去年同期, the
-- change and the change in percent, as kpi-rules.md "Disasters" counts them.
-- A record is one event in one township and `events` counts distinct events, which do not add up across
-- townships or months. So records are joined to every ancestor region, where people, houses, areas and loss
-- add up per count bucket and an event counts once in a period that holds any of its buckets.
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

-- Records are first added up per count bucket (a month, split at the day records run through), and a period
-- adds up the buckets it covers.
bucketed as (
    select
        region_code,
        hazard_scope,
        hazard_key,
        {{ count_bucket('started_on') }} as bucket_end,
        {% for m in sums %}
        sum({{ m }}) as {{ m }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from scoped
    group by 1, 2, 3, 4
),

period_buckets as (
    {{ period_buckets('periods', 'select distinct bucket_end from bucketed') }}
),

sum_figures as (
    select
        period_buckets.period_key,
        bucketed.region_code,
        bucketed.hazard_scope,
        bucketed.hazard_key,
        {% for suffix, flag in spans %}
        {% set outer_last = loop.last %}
        {% for m in sums %}
        sum(case when period_buckets.{{ flag }} then bucketed.{{ m }} end) as {{ m }}{{ suffix }}
        {%- if not (outer_last and loop.last) %},{% endif %}
        {% endfor %}
        {% endfor %}
    from bucketed
    inner join period_buckets on period_buckets.bucket_end = bucketed.bucket_end
    group by 1, 2, 3, 4
),

-- An event recorded in several months of a period counts once there. Periods and their 去年同期 lie within one
-- calendar year (dim_period tests it), so each event's buckets of a year, in each region and scope, are kept
-- as twenty-four bits and it counts in a period whose bits they meet. A magnitude band counts its events the same
-- way, over the records in that band.
event_bits as (
    select region_code, hazard_scope, hazard_key, disaster_id, 'events' as measure, year(started_on) as year,
        bit_or({{ bucket_bit('started_on') }}) as bits
    from scoped
    group by 1, 2, 3, 4, 5, 6
    union all
    select region_code, hazard_scope, hazard_key, disaster_id, 'earthquakes_' || magnitude_band, year(started_on),
        bit_or({{ bucket_bit('started_on') }})
    from scoped
    where magnitude_band is not null
    group by 1, 2, 3, 4, 5, 6
),

events_by_bits as (
    select region_code, hazard_scope, hazard_key, measure, year, bits, count(*) as events
    from event_bits
    group by 1, 2, 3, 4, 5, 6
),

period_bits as (
    select
        period_key,
        year(period_start) as year,
        {{ bucket_bits('period_start', 'period_end') }} as bits,
        year(comparison_start) as comparison_year,
        {{ bucket_bits('comparison_start', 'comparison_end') }} as comparison_bits
    from periods
),

{% set event_measures = ['events'] %}
{% for band, lower, upper in magnitude_bands %}{% do event_measures.append('earthquakes_' ~ band) %}{% endfor %}
event_figures as (
    select
        period_bits.period_key,
        events_by_bits.region_code,
        events_by_bits.hazard_scope,
        events_by_bits.hazard_key,
        {% for suffix, year, bits in [('', 'year', 'bits'), ('_previous', 'comparison_year', 'comparison_bits')] %}
        {% set outer_last = loop.last %}
        {% for measure in event_measures %}
        sum(case when events_by_bits.measure = '{{ measure }}'
                  and events_by_bits.year = period_bits.{{ year }}
                  and events_by_bits.bits & period_bits.{{ bits }} <> 0
                 then events_by_bits.events end) as {{ measure }}{{ suffix }}
        {%- if not (outer_last and loop.last) %},{% endif %}
        {% endfor %}
        {% endfor %}
    from events_by_bits
    inner join period_bits
        on (events_by_bits.year = period_bits.year and events_by_bits.bits & period_bits.bits <> 0)
        or (events_by_bits.year = period_bits.comparison_year
            and events_by_bits.bits & period_bits.comparison_bits <> 0)
    group by 1, 2, 3, 4
),

summed as (
    select
        periods.period_key,
        series.region_code,
        series.hazard_scope,
        series.hazard_key,
        {% for column in columns %}
        {%- set figures = 'sum_figures' if column.rsplit('_previous', 1)[0] in sums else 'event_figures' %}
        coalesce({{ figures }}.{{ column }}, 0) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from series
    cross join periods
    {% for figures in ['sum_figures', 'event_figures'] %}
    left join {{ figures }}
        on {{ figures }}.period_key = periods.period_key
        and {{ figures }}.region_code = series.region_code
        and {{ figures }}.hazard_scope = series.hazard_scope
        and {{ figures }}.hazard_key = series.hazard_key
    {% endfor %}
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
    {{ compared_count(m, 'summed.' ~ m, 'summed.' ~ m ~ '_previous') }},
    {% endfor %}
    {% for m in areas %}
    {{ compared_area(m, 'summed.' ~ m, 'summed.' ~ m ~ '_previous') }},
    {% endfor %}
    {{ compared_10k_yuan('direct_loss_10k_yuan', 'summed.direct_loss_yuan', 'summed.direct_loss_yuan_previous') }},
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
