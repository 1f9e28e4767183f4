{# Each veto (一票否决) that strikes a scored region's year: what its filter took reaches its threshold. #}
select
    counts.scheme,
    counts.year,
    counts.region_code,
    vetoes.veto_key,
    vetoes.ordinal,
    vetoes.reason_zh
from {{ ref('int_appraisal__counts') }} as counts
inner join {{ source('appraisal_rules', 'vetoes') }} as vetoes
    on vetoes.scheme = counts.scheme and vetoes.veto_key = counts.rule_key
where counts.role = 'veto' and counts.total >= vetoes.at_least
