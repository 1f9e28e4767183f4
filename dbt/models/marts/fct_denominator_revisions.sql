-- Every revision of each region's yearly denominators, with the days it was current.
select
    region_code,
    year,
    revision_number,
    known_from,
    known_until,
    is_current,
    gdp_100m_yuan,
    population,
    industrial_workers,
    motor_vehicles,
    forest_area_ha,
    coal_output_mt,
    file_name,
    source_row_number,
    loaded_at
from {{ ref('stg_raw__denominator_revisions') }}
