-- 灾种 with Chinese labels, in the order tables list them.
select
    code as hazard_code,
    label_zh as hazard_label_zh,
    sort_order
from {{ ref('stg_raw__codes') }}
where list_name = 'hazards'
