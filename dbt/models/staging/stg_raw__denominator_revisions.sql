-- Every revision of each region's yearly denominators (GDP is revised after the fact, like casualty counts).
with source as (
    select * from {{ source('raw', 'denominators') }}
),

renamed as (
    select
        region_code,
        cast(year as integer) as year,
        cast(gdp_100m_yuan as decimal(18, 4)) as gdp_100m_yuan,
        cast(population as bigint) as population,
        cast(industrial_workers as bigint) as industrial_workers,
        cast(motor_vehicles as bigint) as motor_vehicles,
        cast(forest_area_ha as decimal(18, 4)) as forest_area_ha,
        cast(coal_output_mt as decimal(18, 4)) as coal_output_mt,
        _load_id as load_id,
        _file_name as file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source
)

{{ revision_history('renamed', ['region_code', 'year']) }}
