{# The region tree (区划) as known on `known_on` and in force on `valid_on`: one row per region code ever filed.
   `versions` is int_regions__versions or a relation of its columns; `known_on` null means as known now.

   Of the versions known that day, the one in force is taken (valid_from <= valid_on <= valid_to, the latest
   valid_from when several are): a township moved to another county (区划调整) on 1 July sits under its new
   county from that day, and a tree read on an earlier day still has it under the old one. A code no longer in
   force keeps its last version, so its records still roll up where they last belonged; nothing falls out of a
   total. A region's first filing stands for what was known before it, so a report as known before the
   reference was loaded still finds its regions. Both sides of a comparison read the same tree (可比口径,
   docs/kpi-rules.md). #}
{% macro region_tree(versions, known_on, valid_on) -%}
select region_code, region_name, level_code, parent_code, valid_from, valid_to,
       {{ collective_name_zh('region_name', 'level_code') }} as collective_name_zh
from (
    select
        versions.*,
        row_number() over (
            partition by region_code
            order by
                case
                    when coalesce(valid_from, date '0001-01-01') <= {{ valid_on }}
                        and coalesce(valid_to, date '9999-12-31') >= {{ valid_on }} then 0
                    when coalesce(valid_from, date '0001-01-01') <= {{ valid_on }} then 1
                    else 2
                end,
                valid_from desc nulls last
        ) as preference
    from {{ versions }} as versions
    where case
        when {{ known_on }} is null then is_current
        else (known_from <= {{ known_on }} or is_first_filing)
            and (known_until is null or known_until > {{ known_on }})
    end
) as known
where preference = 1
{%- endmacro %}

{# Each region of `tree` (a relation with region_code and parent_code) paired with itself (depth 0) and every
   region above it, so figures roll up the tree by a plain join. The tree has at most four levels (province,
   prefecture, county, township); fixed joins keep this portable to engines without recursive CTEs. #}
{% macro region_ancestry(tree) -%}
{%- set max_depth = 4 -%}
with regions as (
    select region_code, parent_code from {{ tree }}
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
{%- endmacro %}

{# How a bulletin names the whole area: 全县, 全区, 全市, 全旗, 全镇, 全街道 … from the name's last word. #}
{% macro collective_name_zh(region_name, level_code) -%}
    case
        when {{ region_name }} like '%街道' then '全街道'
        when right({{ region_name }}, 1) in ('省', '市', '州', '盟', '县', '区', '旗', '镇', '乡')
            then '全' || right({{ region_name }}, 1)
        when {{ level_code }} = 'province' then '全省'
        when {{ level_code }} = 'prefecture' then '全市'
        when {{ level_code }} = 'county' then '全县'
        else '全乡'
    end
{%- endmacro %}

{# Run after dim_region_versions is built: the tree and its ancestry as table macros the report reads for any
   day (`emstat report --as-of`), made by the same rules as dim_region and dim_region_ancestry. #}
{% macro create_region_tree(schema) -%}
    create or replace macro {{ schema }}.region_tree(known_on, valid_on) as table
    {{ region_tree(schema ~ '.dim_region_versions', 'known_on', 'valid_on') }}
{%- endmacro %}

{% macro create_region_ancestry(schema) -%}
    create or replace macro {{ schema }}.region_ancestry(known_on, valid_on) as table
    {{ region_ancestry(schema ~ '.region_tree(known_on, valid_on)') }}
{%- endmacro %}
