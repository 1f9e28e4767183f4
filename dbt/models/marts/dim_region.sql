with regions as (
    select * from {{ ref('stg_raw__regions') }}
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
    -- How a bulletin names the whole area: 全县, 全区, 全市, 全旗, 全镇, 全街道 … from the name's last word.
    case
        when regions.region_name like '%街道' then '全街道'
        when right(regions.region_name, 1) in ('省', '市', '州', '盟', '县', '区', '旗', '镇', '乡')
            then '全' || right(regions.region_name, 1)
        when regions.level_code = 'province' then '全省'
        when regions.level_code = 'prefecture' then '全市'
        when regions.level_code = 'county' then '全县'
        else '全乡'
    end as collective_name_zh
from regions
left join levels on levels.code = regions.level_code
