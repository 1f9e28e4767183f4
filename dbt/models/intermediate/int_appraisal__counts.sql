{# What each filter of a rule (where, a share's base and part) or veto takes, for every scored region and year
   a scheme covers: a region is scored on its own records and those of every region below it. The totals of its
   metric and of a ratio's numerator, the direct loss and the hazards open at year end. #}
with filters as (
    {{ appraisal_filters() }}
),

subtrees as (
    {{ appraisal_subtrees() }}
),

taken as (
    select
        filters.scheme,
        groups.year,
        groups.region_code,
        filters.rule_key,
        filters.role,
        {{ appraisal_taken('filters', 'groups') }}
    from {{ ref('int_appraisal__record_groups') }} as groups
    inner join {{ source('appraisal_rules', 'scheme_years') }} as scheme_years on scheme_years.year = groups.year
    inner join filters
        on filters.scheme = scheme_years.scheme
        and filters.record_kind = groups.record_kind
        and {{ appraisal_filter_met('filters', 'groups') }}
)

select
    taken.scheme,
    taken.year,
    subtrees.scored_code as region_code,
    taken.rule_key,
    taken.role,
    sum(taken.amount) as total,
    sum(taken.numerator_amount) as numerator_total,
    sum(taken.direct_loss_yuan) as loss_yuan,
    sum(taken.open_hazards) as open_hazards
from taken
inner join subtrees on subtrees.region_code = taken.region_code
group by all
