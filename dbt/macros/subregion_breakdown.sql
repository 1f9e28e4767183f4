{# Rows of `model` for the regions one level below each region, keyed by the parent's region columns, so a
   dashboard filtered on one region lists what lies inside it. `where` selects the rows of `model` to use. #}
{% macro subregion_breakdown(model, where, measures) -%}
with figures as (
    select * from {{ model }} where {{ where }}
)

select
    children.period_key,
    children.period_label_zh,
    parents.region_code,
    parents.region_name,
    children.region_code as subregion_code,
    children.region_name as subregion_name,
    {% for m in measures %}children.{{ m }}{% if not loop.last %},
    {% endif %}{% endfor %}
from figures as children
inner join {{ ref('dim_region') }} as regions on regions.region_code = children.region_code
inner join figures as parents
    on parents.region_code = regions.parent_code
    and parents.period_key = children.period_key
{%- endmacro %}
