-- Each region paired with itself and every region above it, so figures roll up the tree by a plain join.
-- The tree has at most four levels (province, prefecture, county, township); fixed joins keep this
-- portable to engines without recursive CTEs.
{% set max_depth = 4 %}
with regions as (
    select region_code, parent_code from {{ ref('stg_raw__regions') }}
),

level_0 as (
    select region_code, region_code as ancestor_code, 0 as depth from regions
)
{% for depth in range(1, max_depth + 1) %}
, level_{{ depth }} as (
    select below.region_code, above.parent_code as ancestor_code, {{ depth }} as depth
    from level_{{ depth - 1 }} as below
    inner join regions as above on above.region_code = below.ancestor_code
    where above.parent_code is not null
)
{% endfor %}

{% for depth in range(0, max_depth + 1) %}
select region_code, ancestor_code, depth from level_{{ depth }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
