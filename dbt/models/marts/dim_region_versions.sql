{{ config(post_hook=["{{ create_region_tree(this.schema) }}", "{{ create_region_ancestry(this.schema) }}"]) }}

-- Every version of every region with the days it was known, for the tree as known on an earlier day.
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
    is_first_filing
from {{ ref('int_regions__versions') }}
