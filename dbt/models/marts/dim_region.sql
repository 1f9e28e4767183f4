-- 区划: the tree the warehouse reports by (int_regions__current), one row per region code.
with regions as (
    select * from {{ ref('int_regions__current') }}
),

levels as (
    select code, label_zh from {{ ref('stg_raw__codes') }} where list_name = 'region_levels'
)

select
    regions.region_code,
    regions.region_name,
    regions.level_code,
    levels.label_zh as level_label_zh,
    regions.parent_code,
    regions.valid_from,
    regions.valid_to,
    regions.collective_name_zh
from regions
left join levels on levels.code = regions.level_code
