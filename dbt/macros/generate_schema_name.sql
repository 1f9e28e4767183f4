{# Schemas are named staging, marts, kpi … as written, not prefixed with the target schema:
   dashboards and analysts query marts.fct_accidents, not main_marts.fct_accidents. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
