-- Every version of every region: the name, level and parent it holds from valid_from, one per region and
-- valid_from, each dated by the day its file was received, so the tree can be read as known on any day. A
-- later file repeating a region and valid_from revises that version; one with another valid_from adds a
-- version (a township moved to another county from that day).
with revisions as (
    select * from {{ ref('stg_raw__region_revisions') }}
),

versions as (
    {{ revision_history('revisions', ['region_code', 'valid_from']) }}
)

select
    region_code,
    valid_from,
    revision_number,
    region_name,
    level_code,
    parent_code,
    valid_to,
    known_from,
    known_until,
    is_current,
    known_from = min(known_from) over (partition by region_code) as is_first_filing
from versions
