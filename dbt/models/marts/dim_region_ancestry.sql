select
    ancestry.region_code,
    ancestry.ancestor_code,
    ancestry.depth
from {{ ref('int_regions__ancestry') }} as ancestry
