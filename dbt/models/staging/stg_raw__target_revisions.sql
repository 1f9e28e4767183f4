-- Every revision of each region's yearly targets (控制指标), dated by the day its file was received.
with source as (
    select * from {{ source('raw', 'targets') }}
),

renamed as (
    select
        region_code,
        cast(year as integer) as year,
        cast(max_deaths as integer) as max_deaths,
        cast(max_accidents as integer) as max_accidents,
        cast(min_inspections as integer) as min_inspections,
        cast(relief_approved as decimal(18, 2)) as relief_approved_yuan,
        _load_id as load_id,
        _file_name as file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source
)

{{ revision_history('renamed', ['region_code', 'year']) }}
