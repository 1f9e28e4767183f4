with ranked as (
    select
        region_code,
        name as region_name,
        level as level_code,
        parent_code,
        valid_from,
        valid_to,
        _load_id as load_id,
        row_number() over (partition by region_code order by _load_id desc, _row_number desc) as recency
    from {{ source('raw', 'regions') }}
)

select region_code, region_name, level_code, parent_code, valid_from, valid_to, load_id
from ranked
where recency = 1
