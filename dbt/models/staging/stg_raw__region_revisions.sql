-- Every row of every regions file as loaded: a region's name, level and parent, holding from valid_from (to
-- valid_to when given). int_regions__versions dates each by the day its file was received.
select
    region_code,
    name as region_name,
    level as level_code,
    parent_code,
    valid_from,
    valid_to,
    _load_id as load_id,
    _row_number as source_row_number
from {{ source('raw', 'regions') }}
