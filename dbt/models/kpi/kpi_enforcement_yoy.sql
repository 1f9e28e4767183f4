-- Enforcement figures (执法检查, 隐患排查, 行政处罚) for every period × region (rolled up the tree), each with the
-- same period last year (去年同期), the change and the change in percent, counted as docs/kpi-rules.md says.
-- Counts and sums add up per count bucket (a month, split at the day records run through) and region;
-- distinct units and cases do not add up across townships or buckets, so each is counted once in a span that
-- holds any of its buckets.
{% set inspection_measures = ['inspections', 'units_inspected', 'hazards_found', 'major_hazards_found',
                              'hazards_rectified', 'inspections_without_penalty'] %}
{% set penalty_measures = ['cases_filed', 'penalty_decisions', 'fines_yuan', 'double_penalty_cases'] %}
{% set measures = inspection_measures + penalty_measures + ['overdue_hazards'] %}
{% set period_on_period_metrics = ['inspections', 'hazards_found'] %}
{# The published figures in the order of docs/report-json.md; all but the rate and the fines are counts. #}
{% set figures = ['inspections', 'units_inspected', 'hazards_found', 'major_hazards_found', 'hazards_rectified',
                  'rectification_rate_pct', 'overdue_hazards', 'cases_filed', 'penalty_decisions', 'fines_10k_yuan',
                  'double_penalty_cases', 'inspections_without_penalty'] %}

with periods as (
    select * from {{ ref('dim_period') }}
),

-- What a period is compared over: itself, 去年同期 and, except year-to-date, the period before it (环比).
spans as (
    select period_key, 'current' as span, period_start as span_start, period_end as span_end from periods
    union all
    select period_key, 'last_year', comparison_start, comparison_end from periods
    union all
    select period_key, 'prior_period', previous_start, previous_end from periods where previous_start is not null
),

-- Most spans are also another period's own (last year's May is the period 2024-05): each is counted once.
distinct_spans as (
    select distinct span_start, span_end from spans
),

ancestry as (
    select * from {{ ref('dim_region_ancestry') }}
),

penalties as (
    select * from {{ ref('fct_penalties') }}
    where not is_revoked
),

inspections as (
    select
        facts.*,
        {{ is_without_penalty('facts', 'penalties') }} as is_without_penalty
    from {{ ref('fct_inspections') }} as facts
),

-- Every span is made of whole buckets (int_periods), so inspections are first counted per bucket and region,
-- and a span adds up its buckets: a province's decade is then a few thousand rows per span, not one per
-- inspection.
span_buckets as (
    {{ span_buckets('distinct_spans') }}
),

inspection_buckets as (
    select
        {{ count_bucket('inspections.inspected_on') }} as bucket_end,
        ancestry.ancestor_code as region_code,
        count(*) as inspections,
        sum(inspections.hazards_found) as hazards_found,
        sum(inspections.major_hazards_found) as major_hazards_found,
        sum(inspections.hazards_rectified) as hazards_rectified,
        sum(case when inspections.is_without_penalty then 1 else 0 end) as inspections_without_penalty
    from inspections
    inner join ancestry on ancestry.region_code = inspections.region_code
    group by 1, 2
),

-- A unit inspected in several buckets of a span counts once. Every span lies within one calendar year
-- (dim_period tests it), so each unit's buckets of a year, in each region up the tree, are kept as 24 bits:
-- a unit is in a span when its bits meet the span's, and units with the same bits are counted together.
span_bits as (
    select
        span_start,
        span_end,
        year(span_start) as span_year,
        {{ bucket_bits('span_start', 'span_end') }} as bits
    from distinct_spans
),

unit_bits as (
    select
        ancestry.ancestor_code as region_code,
        own_bits.unit_key,
        own_bits.inspected_year,
        bit_or(own_bits.bits) as bits
    from (
        select
            region_code,
            unit_key,
            year(inspected_on) as inspected_year,
            bit_or({{ bucket_bit('inspected_on') }}) as bits
        from inspections
        where unit_key is not null
        group by 1, 2, 3
    ) as own_bits
    inner join ancestry on ancestry.region_code = own_bits.region_code
    group by 1, 2, 3
),

unit_figures as (
    select span_bits.span_start, span_bits.span_end, units.region_code, sum(units.units) as units_inspected
    from (
        select region_code, inspected_year, bits, count(*) as units
        from unit_bits
        group by 1, 2, 3
    ) as units
    inner join span_bits
        on span_bits.span_year = units.inspected_year
        and units.bits & span_bits.bits <> 0
    group by 1, 2, 3
),

-- Decisions and fines add up per bucket and region, as inspections do.
decision_buckets as (
    select
        {{ count_bucket('penalties.decided_on') }} as bucket_end,
        ancestry.ancestor_code as region_code,
        count(*) as penalty_decisions,
        sum(penalties.fine_amount_yuan) as fines_yuan
    from penalties
    inner join ancestry on ancestry.region_code = penalties.region_code
    group by 1, 2
),

-- A span adds up the buckets it is made of.
{% for figures, bucketed, sums in [
    ('inspection_figures', 'inspection_buckets', ['inspections', 'hazards_found', 'major_hazards_found',
                                                 'hazards_rectified', 'inspections_without_penalty']),
    ('decision_figures', 'decision_buckets', ['penalty_decisions', 'fines_yuan'])] %}
{{ figures }} as (
    select
        span_buckets.span_start,
        span_buckets.span_end,
        {{ bucketed }}.region_code,
        {% for m in sums %}
        sum({{ bucketed }}.{{ m }}) as {{ m }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from span_buckets
    inner join {{ bucketed }} on {{ bucketed }}.bucket_end = span_buckets.bucket_end
    group by 1, 2, 3
),

{% endfor %}
-- A case counts once in a span, as a unit does, by the bits of its buckets with any decision. 一案双罚 are the
-- cases with a decision against a unit and one against an individual in the span, each party with its own bits.
case_bits as (
    select
        ancestry.ancestor_code as region_code,
        own_bits.case_id,
        own_bits.decided_year,
        bit_or(own_bits.bits) as bits,
        bit_or(own_bits.organization_bits) as organization_bits,
        bit_or(own_bits.individual_bits) as individual_bits
    from (
        select
            region_code,
            case_id,
            year(decided_on) as decided_year,
            bit_or({{ bucket_bit('decided_on') }}) as bits,
            coalesce(bit_or(case when party_type_code = 'organization' then {{ bucket_bit('decided_on') }} end), 0)
                as organization_bits,
            coalesce(bit_or(case when party_type_code = 'individual' then {{ bucket_bit('decided_on') }} end), 0)
                as individual_bits
        from penalties
        group by 1, 2, 3
    ) as own_bits
    inner join ancestry on ancestry.region_code = own_bits.region_code
    group by 1, 2, 3
),

case_figures as (
    select
        span_bits.span_start,
        span_bits.span_end,
        cases.region_code,
        sum(cases.cases) as cases_filed,
        coalesce(sum(case when cases.organization_bits & span_bits.bits <> 0
                           and cases.individual_bits & span_bits.bits <> 0 then cases.cases end), 0)
            as double_penalty_cases
    from (
        select region_code, decided_year, bits, organization_bits, individual_bits, count(*) as cases
        from case_bits
        group by 1, 2, 3, 4, 5
    ) as cases
    inner join span_bits
        on span_bits.span_year = cases.decided_year
        and cases.bits & span_bits.bits <> 0
    group by 1, 2, 3
),

-- Overdue hazards are a stock on a span's last day E: hazards whose rectification was due before E and that
-- were still open at E.
overdue_figures as (
    select
        stock_days.stock_on,
        ancestry.ancestor_code as region_code,
        sum({{ open_hazard_count('inspections', 'stock_days.stock_on') }}) as overdue_hazards
    from inspections
    inner join (select distinct span_end as stock_on from distinct_spans) as stock_days
        on {{ is_overdue_on('inspections', 'stock_days.stock_on') }}
    inner join ancestry on ancestry.region_code = inspections.region_code
    group by 1, 2
),

-- Every region gets every span, even with nothing to count (0 次 is a figure).
span_figures as (
    select
        spans.period_key,
        spans.span,
        regions.region_code,
        {% for m in inspection_measures %}
        coalesce({{ 'unit_figures' if m == 'units_inspected' else 'inspection_figures' }}.{{ m }}, 0) as {{ m }},
        {% endfor %}
        {% for m in penalty_measures %}
        coalesce({{ 'case_figures' if m in ['cases_filed', 'double_penalty_cases'] else 'decision_figures' }}.{{ m }}, 0)
            as {{ m }},
        {% endfor %}
        coalesce(overdue_figures.overdue_hazards, 0) as overdue_hazards
    from spans
    cross join {{ ref('dim_region') }} as regions
    left join inspection_figures
        on inspection_figures.span_start = spans.span_start
        and inspection_figures.span_end = spans.span_end
        and inspection_figures.region_code = regions.region_code
    left join unit_figures
        on unit_figures.span_start = spans.span_start
        and unit_figures.span_end = spans.span_end
        and unit_figures.region_code = regions.region_code
    {% for figures in ['decision_figures', 'case_figures'] %}
    left join {{ figures }}
        on {{ figures }}.span_start = spans.span_start
        and {{ figures }}.span_end = spans.span_end
        and {{ figures }}.region_code = regions.region_code
    {% endfor %}
    left join overdue_figures
        on overdue_figures.stock_on = spans.span_end
        and overdue_figures.region_code = regions.region_code
),

-- One row per period and region; the 环比 figures stay null where a period has no prior span (year-to-date).
compared as (
    select
        period_key,
        region_code,
        {% for m in measures %}
        sum(case when span = 'current' then {{ m }} end) as {{ m }},
        sum(case when span = 'last_year' then {{ m }} end) as {{ m }}_previous,
        {% endfor %}
        {% for m in period_on_period_metrics %}
        sum(case when span = 'prior_period' then {{ m }} end) as {{ m }}_prior_period{% if not loop.last %},{% endif %}
        {% endfor %}
    from span_figures
    group by 1, 2
),

rated as (
    select
        compared.*,
        {{ ratio_half_up('compared.hazards_rectified * 100', 'compared.hazards_found') }} as rectification_rate_pct,
        {{ ratio_half_up('compared.hazards_rectified_previous * 100', 'compared.hazards_found_previous') }}
            as rectification_rate_pct_previous
    from compared
)

select
    {{ kpi_period_and_region('rated') }},
    periods.previous_start,
    periods.previous_end,
    {% for m in figures %}
    {% if m == 'rectification_rate_pct' %}
    {{ compared_ratio(m, 'rated.' ~ m, 'rated.' ~ m ~ '_previous', 'decimal(18, 2)') }},
    {% elif m == 'fines_10k_yuan' %}
    {{ compared_10k_yuan(m, 'rated.fines_yuan', 'rated.fines_yuan_previous') }},
    {% else %}
    {{ compared_count(m, 'rated.' ~ m, 'rated.' ~ m ~ '_previous') }},
    {% endif %}
    {% endfor %}
    {% for m in period_on_period_metrics %}
    cast(rated.{{ m }}_prior_period as bigint) as {{ m }}_prior_period,
    cast({{ pct_change('rated.' ~ m, 'rated.' ~ m ~ '_prior_period') }} as decimal(18, 2))
        as {{ m }}_pop_change_pct{% if not loop.last %},{% endif %}
    {% endfor %}
from rated
inner join periods on periods.period_key = rated.period_key
inner join {{ ref('dim_region') }} as regions on regions.region_code = rated.region_code
