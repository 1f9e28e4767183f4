{# The columns every KPI model leads with: which period, compared with which span, and which region.
   `figures` is the relation carrying region_code; `periods` and `regions` are dim_period and dim_region. #}
{% macro kpi_period_and_region(figures) -%}
    periods.period_key,
    periods.period_type,
    periods.period_label_zh,
    periods.period_start,
    periods.period_end,
    periods.comparison_start,
    periods.comparison_end,
    {{ figures }}.region_code,
    regions.region_name,
    regions.level_code as region_level_code
{%- endmacro %}
