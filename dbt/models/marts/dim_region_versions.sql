{{ config(post_hook=["{{ create_region_tree(this.schema) }}", "{{ create_region_ancestry(this.schema) }}"]) }}

-- Every version of every region with the days it was known, for the tree as known on an earlier day.
select * from {{ ref('int_regions__versions') }}
