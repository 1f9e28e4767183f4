-- 事故等级 with Chinese labels, from 一般 up to 特别重大.
select
    code as grade_code,
    label_zh as grade_label_zh,
    sort_order
from {{ ref('stg_raw__codes') }}
where list_name = 'accident_grades'
