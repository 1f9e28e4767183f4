{{ config(materialized='view') }}
{# The records behind each line and veto: one row per line (or veto) and record id, in the order the sheet lists
   them. A line's records are those its points count; a target also cites the accidents whose loss it counts, a
   ratio the records of its numerator; a manual line cites the items the team scored. A view, read a region's
   year at a time (emstat appraise, the score sheets): stored, it would hold every record of the decade once per
   rule and region above it, 17 million rows at 10 million accidents. #}
with matches as (
    select * from {{ ref('int_appraisal__matches') }}
),

measures as (
    select * from {{ ref('int_appraisal__measures') }}
),

rules as (
    select * from {{ source('appraisal_rules', 'rules') }}
),

-- A line's records in the groups it lists them: first those its points count, then those it cites besides (a
-- target's accidents with a loss, a ratio's numerator); NULL: not cited. Accidents by the time they occurred,
-- inspections by id.
line_records as (
    select
        matches.scheme, matches.year, matches.region_code, matches.rule_key,
        case
            when rules.kind = 'open_at_year_end' or matches.amount > 0 then 0
            when rules.kind = 'against_target' and rules.loss_per_death_yuan is not null
                and matches.direct_loss_yuan > 0 then 1
            when rules.kind = 'ratio' and matches.numerator_amount > 0 then 1
        end as evidence_group,
        matches.occurred_at,
        cast(null as integer) as ordinal,
        matches.record_id
    from matches
    inner join rules on rules.scheme = matches.scheme and rules.rule_key = matches.rule_key
    inner join measures
        on measures.scheme = matches.scheme and measures.year = matches.year
        and measures.region_code = matches.region_code and measures.rule_key = matches.rule_key
    where matches.role in ('where', 'part')
        and case rules.kind
            when 'open_at_year_end' then matches.open_hazards > 0
            when 'ratio' then measures.total > 0
            when 'share_above' then measures.base_total > 0
            else true
        end
),

cited as (
    select scheme, year, region_code, rule_key, 'line' as cited_for, evidence_group, occurred_at, ordinal, record_id
    from line_records
    where evidence_group is not null

    union all

    select
        matches.scheme, matches.year, matches.region_code, matches.rule_key, 'veto', 0, matches.occurred_at, null,
        matches.record_id
    from matches
    inner join {{ ref('int_appraisal__vetoes') }} as vetoes
        on vetoes.scheme = matches.scheme and vetoes.year = matches.year
        and vetoes.region_code = matches.region_code and vetoes.veto_key = matches.rule_key
    where matches.role = 'veto' and matches.amount > 0

    union all

    select scheme, year, region_code, rule_key, 'line', 0, null, ordinal, item
    from {{ ref('int_appraisal__manual_items') }}
    where score is not null
)

select
    scheme, year, region_code, cited_for, rule_key,
    row_number() over (
        partition by scheme, year, region_code, cited_for, rule_key
        order by evidence_group, occurred_at, ordinal, record_id
    ) as evidence_order,
    record_id
from cited
