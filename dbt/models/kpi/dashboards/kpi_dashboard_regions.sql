-- The regions a dashboard offers. It opens on the bureau's own region: the lowest region whose area holds
-- every accident record (a county bureau's county, a prefecture's city), then the regions inside it.
with record_regions as (
    select distinct region_code from {{ ref('fct_accidents') }}
),

coverage as (
    select
        ancestry.ancestor_code as region_code,
        count(*) as record_regions,
        max(ancestry.depth) as height
    from record_regions
    inner join {{ ref('dim_region_ancestry') }} as ancestry on ancestry.region_code = record_regions.region_code
    group by 1
),

home as (
    select region_code
    from coverage
    where record_regions = (select count(*) from record_regions)
    order by height
    limit 1
),

home_area as (
    select ancestry.region_code, ancestry.depth
    from {{ ref('dim_region_ancestry') }} as ancestry
    inner join home on home.region_code = ancestry.ancestor_code
)

select
    regions.region_code,
    regions.region_name,
    regions.level_code as region_level_code,
    cast(row_number() over (order by home_area.depth, regions.region_code) as integer) as display_rank,
    home_area.depth = 0 as is_default
from home_area
inner join {{ ref('dim_region') }} as regions on regions.region_code = home_area.region_code
