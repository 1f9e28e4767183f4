-- Relief figures (救灾资金发放) for every period × region (rolled up the tree) × scope, each with the same period
-- last year (去年同期), counted as docs/kpi-rules.md says. Scope 'all' is every disbursement; 'program' and
-- 'fund_source' split them by 救助类别 and 资金来源. Periods go by the day of disbursement.
{% set count_metrics = ['households', 'persons'] %}
{% set measures = ['batches', 'amount_yuan'] + count_metrics %}

with periods as (
    select * from {{ ref('dim_period') }}
),

spans as (
    select period_key, 'current' as span, period_start as span_start, period_end as span_end from periods
    union all
    select period_key, 'last_year', comparison_start, comparison_end from periods
),

-- Most spans are also another period's own (last year's May is the period 2024-05): each is counted once.
distinct_spans as (
    select distinct span_start, span_end from spans
),

ancestry as (
    select * from {{ ref('dim_region_ancestry') }}
),

disbursements as (
    select * from {{ ref('fct_relief_disbursements') }}
),

scoped as (
    {% for scope, key in [('all', "'all'"), ('program', 'program_code'), ('fund_source', 'fund_source_code')] %}
    select region_code, '{{ scope }}' as relief_scope, {{ key }} as relief_key, disbursed_on, amount_yuan,
        households, persons
    from disbursements
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- Every span is made of whole count buckets (a month, split at the day records run through): disbursements are
-- first counted per bucket, region and scope, and a span adds up its buckets (a decade of disbursements is
-- then a few rows per span, not one per disbursement).
scope_buckets as (
    select
        {{ count_bucket('scoped.disbursed_on') }} as bucket_end,
        ancestry.ancestor_code as region_code,
        scoped.relief_scope,
        scoped.relief_key,
        count(*) as batches,
        sum(scoped.amount_yuan) as amount_yuan,
        sum(scoped.households) as households,
        sum(scoped.persons) as persons
    from scoped
    inner join ancestry on ancestry.region_code = scoped.region_code
    group by 1, 2, 3, 4
),

span_buckets as (
    {{ span_buckets('distinct_spans') }}
),

scope_figures as (
    select
        span_buckets.span_start,
        span_buckets.span_end,
        scope_buckets.region_code,
        scope_buckets.relief_scope,
        scope_buckets.relief_key,
        sum(scope_buckets.batches) as batches,
        sum(scope_buckets.amount_yuan) as amount_yuan,
        sum(scope_buckets.households) as households,
        sum(scope_buckets.persons) as persons
    from span_buckets
    inner join scope_buckets on scope_buckets.bucket_end = span_buckets.bucket_end
    group by 1, 2, 3, 4, 5
),

-- A disaster ends on its latest ended_on over all its records, in any region, else on its latest started_on.
disaster_ends as (
    {{ disaster_ends(ref('fct_disasters')) }}
),

-- When relief first reached a disaster within each region (a county's first payment may be a township's).
first_disbursements as (
    select
        ancestry.ancestor_code as region_code,
        disbursements.disaster_id,
        min(disbursements.disbursed_on) as first_disbursed_on
    from disbursements
    inner join ancestry on ancestry.region_code = disbursements.region_code
    where disbursements.disaster_id is not null
    group by 1, 2
),

days_figures as (
    select
        distinct_spans.span_start,
        distinct_spans.span_end,
        first_disbursements.region_code,
        count(*) as disasters_relieved,
        sum({{ days_waited('disaster_ends.ended_on', 'first_disbursements.first_disbursed_on') }}) as days_waited
    from first_disbursements
    inner join disaster_ends on disaster_ends.disaster_id = first_disbursements.disaster_id
    inner join distinct_spans
        on first_disbursements.first_disbursed_on between distinct_spans.span_start and distinct_spans.span_end
    group by 1, 2, 3
),

-- Every region has an 'all' row for every period, even with nothing paid; a program or fund source only
-- where it has records this period or the same period last year (filtered below).
series as (
    select distinct region_code, relief_scope, relief_key from scope_figures
    union
    select region_code, 'all', 'all' from {{ ref('dim_region') }}
),

compared as (
    select
        spans.period_key,
        series.region_code,
        series.relief_scope,
        series.relief_key,
        {% for m in measures %}
        coalesce(sum(case when spans.span = 'current' then scope_figures.{{ m }} end), 0) as {{ m }},
        coalesce(sum(case when spans.span = 'last_year' then scope_figures.{{ m }} end), 0) as {{ m }}_previous,
        {% endfor %}
        sum(case when spans.span = 'current' then days_figures.disasters_relieved end) as disasters_relieved,
        sum(case when spans.span = 'last_year' then days_figures.disasters_relieved end)
            as disasters_relieved_previous,
        sum(case when spans.span = 'current' then days_figures.days_waited end) as days_waited,
        sum(case when spans.span = 'last_year' then days_figures.days_waited end) as days_waited_previous
    from series
    cross join spans
    left join scope_figures
        on scope_figures.span_start = spans.span_start
        and scope_figures.span_end = spans.span_end
        and scope_figures.region_code = series.region_code
        and scope_figures.relief_scope = series.relief_scope
        and scope_figures.relief_key = series.relief_key
    left join days_figures
        on days_figures.span_start = spans.span_start
        and days_figures.span_end = spans.span_end
        and days_figures.region_code = series.region_code
        and series.relief_scope = 'all'
    group by 1, 2, 3, 4
),

rated as (
    select
        compared.*,
        {{ ratio_half_up('cast(compared.amount_yuan * 100 as bigint)', 'compared.persons * 100') }}
            as amount_per_person_yuan,
        {{ ratio_half_up('cast(compared.amount_yuan_previous * 100 as bigint)', 'compared.persons_previous * 100') }}
            as amount_per_person_yuan_previous,
        {{ ratio_half_up('compared.days_waited', 'compared.disasters_relieved', 1) }}
            as days_to_first_disbursement,
        {{ ratio_half_up('compared.days_waited_previous', 'compared.disasters_relieved_previous', 1) }}
            as days_to_first_disbursement_previous
    from compared
    where compared.relief_scope = 'all'
        or compared.batches + compared.batches_previous > 0
),

labels as (
    select 'all' as relief_scope, 'all' as relief_key, '合计' as relief_label_zh
    union all
    select 'program', program_code, program_label_zh from {{ ref('dim_relief_program') }}
    union all
    select 'fund_source', fund_source_code, fund_source_label_zh from {{ ref('dim_fund_source') }}
)

select
    {{ kpi_period_and_region('rated') }},
    rated.relief_scope,
    rated.relief_key,
    labels.relief_label_zh,
    {{ compared_10k_yuan('amount_10k_yuan', 'rated.amount_yuan', 'rated.amount_yuan_previous') }},
    {% for m in count_metrics %}
    {{ compared_count(m, 'rated.' ~ m, 'rated.' ~ m ~ '_previous') }},
    {% endfor %}
    {% for m, type in [('amount_per_person_yuan', 'decimal(18, 2)'), ('days_to_first_disbursement', 'decimal(18, 1)')] %}
    {{ compared_ratio(m, 'rated.' ~ m, 'rated.' ~ m ~ '_previous', type) }}{% if not loop.last %},{% endif %}
    {% endfor %}
from rated
inner join periods on periods.period_key = rated.period_key
inner join {{ ref('dim_region') }} as regions on regions.region_code = rated.region_code
inner join labels on labels.relief_scope = rated.relief_scope and labels.relief_key = rated.relief_key
