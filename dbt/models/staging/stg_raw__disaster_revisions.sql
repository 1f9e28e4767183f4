-- Every revision of every disaster record (one event in one township), dated by the day its file was received.
with source as (
    select * from {{ source('raw', 'disasters') }}
),

renamed as (
    select
        disaster_id,
        region_code,
        hazard as hazard_code,
        started_on,
        ended_on,
        cast(coalesce(affected_people, 0) as integer) as affected_people,
        cast(coalesce(deaths, 0) as integer) as deaths,
        cast(coalesce(missing, 0) as integer) as missing,
        cast(coalesce(relocated, 0) as integer) as relocated,
        cast(coalesce(need_relief, 0) as integer) as need_relief,
        cast(coalesce(houses_collapsed, 0) as integer) as houses_collapsed,
        cast(coalesce(houses_severe, 0) as integer) as houses_severe,
        cast(coalesce(houses_damaged, 0) as integer) as houses_damaged,
        cast(coalesce(crop_affected_ha, 0) as decimal(18, 4)) as crop_affected_ha,
        cast(coalesce(crop_failed_ha, 0) as decimal(18, 4)) as crop_failed_ha,
        cast(coalesce(crop_lost_ha, 0) as decimal(18, 4)) as crop_lost_ha,
        cast(coalesce(forest_burned_ha, 0) as decimal(18, 4)) as forest_burned_ha,
        cast(magnitude as decimal(18, 4)) as magnitude,
        cast(latitude as decimal(18, 4)) as latitude,
        cast(longitude as decimal(18, 4)) as longitude,
        cast(coalesce(direct_loss, 0) as decimal(18, 2)) as direct_loss_yuan,
        _load_id as load_id,
        _file_name as file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source
)

{{ revision_history('renamed', ['disaster_id', 'region_code']) }}
