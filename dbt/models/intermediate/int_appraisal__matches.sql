{# Each record a rule's filter takes for a scored region and year: a region is scored on its own records and
   those of every region below it, for every year a scheme covers. A rule may have several filters (roles):
   `where`, a share's `base` and its `part` (within the base), and each veto's. With the record: what the rule's
   metric counts of it, what a ratio's numerator counts, and its hazards still open at the end of the year. #}
with records as (
    select * from {{ ref('int_appraisal__records') }}
),

scheme_years as (
    select * from {{ source('appraisal_rules', 'scheme_years') }}
),

subtree as (
    select ancestry.ancestor_code as scored_code, ancestry.region_code
    from {{ ref('dim_region_ancestry') }} as ancestry
    inner join {{ ref('dim_region') }} as scored
        on scored.region_code = ancestry.ancestor_code and scored.parent_code is not null
),

filters as (
    select
        filters.*,
        coalesce(rules.metric, rules.denominator, vetoes.metric) as metric,
        rules.numerator,
        rules.major_only
    from {{ source('appraisal_rules', 'filters') }} as filters
    left join {{ source('appraisal_rules', 'rules') }} as rules
        on filters.role <> 'veto' and rules.scheme = filters.scheme and rules.rule_key = filters.rule_key
    left join {{ source('appraisal_rules', 'vetoes') }} as vetoes
        on filters.role = 'veto' and vetoes.scheme = filters.scheme and vetoes.veto_key = filters.rule_key
)

select
    filters.scheme,
    records.year,
    subtree.scored_code as region_code,
    filters.rule_key,
    filters.role,
    records.record_id,
    records.record_order,
    {{ appraisal_amount('filters.metric', 'records') }} as amount,
    {{ appraisal_amount('filters.numerator', 'records') }} as numerator_amount,
    records.direct_loss_yuan,
    -- Hazards of an inspection still open on 31 December, as overdue hazards count them (kpi-rules.md).
    case
        when filters.major_only is not null
            then {{ open_hazard_count('records', 'make_date(records.year, 12, 31)', 'filters.major_only') }}
    end as open_hazards
from records
inner join scheme_years on scheme_years.year = records.year
inner join filters
    on filters.scheme = scheme_years.scheme
    and filters.record_kind = records.record_kind
    and {{ appraisal_filter_met('filters', 'records') }}
inner join subtree on subtree.region_code = records.region_code
