with codes as (
    select * from {{ ref('stg_raw__codes') }}
)

select
    industries.code as industry_code,
    industries.label_zh as industry_label_zh,
    industries.group_code as industry_group_code,
    industry_groups.label_zh as industry_group_label_zh,
    industries.sort_order
from codes as industries
inner join codes as industry_groups
    on industry_groups.list_name = 'industry_groups' and industry_groups.code = industries.group_code
where industries.list_name = 'industries'
