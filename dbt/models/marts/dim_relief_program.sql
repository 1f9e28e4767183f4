-- 救助类别 with Chinese labels, in the order tables list them.
select
    code as program_code,
    label_zh as program_label_zh,
    sort_order
from {{ ref('stg_raw__codes') }}
where list_name = 'relief_programs'
