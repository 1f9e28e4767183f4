-- 资金来源 with Chinese labels, central first.
select
    code as fund_source_code,
    label_zh as fund_source_label_zh,
    sort_order
from {{ ref('stg_raw__codes') }}
where list_name = 'fund_sources'
