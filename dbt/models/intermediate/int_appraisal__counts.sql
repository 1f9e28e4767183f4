{# What each filter of a rule (where, a share's base and part) or veto takes, for every scored region and year
   a scheme covers, from the groups of the region's records and those below it: the totals of its metric and of
   a ratio's numerator, the direct loss and the hazards open at year end. #}
with taken as (
    {{ appraisal_taken(ref('int_appraisal__record_groups')) }}
)

select
    scheme,
    year,
    region_code,
    rule_key,
    role,
    sum(amount) as total,
    sum(numerator_amount) as numerator_total,
    sum(direct_loss_yuan) as loss_yuan,
    sum(open_hazards) as open_hazards
from taken
group by all
