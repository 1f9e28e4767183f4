select
    list_name,
    code,
    label as label_zh,
    group_code,
    sort_order
from {{ source('raw', 'codes') }}
