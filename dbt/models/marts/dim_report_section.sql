{{ config(post_hook=report_section_hooks()) }}
-- The sections of `emstat report`, each read through a table macro this model leaves in the warehouse
-- (dbt/macros/report_figures.sql), one per number of decimals the report offers. The macros read the marts
-- named here, so they are made once those are built.
-- depends_on: {{ ref('fct_accidents') }}, {{ ref('fct_accident_revisions') }}, {{ ref('fct_disasters') }}
-- depends_on: {{ ref('fct_disaster_revisions') }}, {{ ref('fct_inspections') }}, {{ ref('fct_inspection_revisions') }}
-- depends_on: {{ ref('fct_penalties') }}, {{ ref('fct_penalty_revisions') }}, {{ ref('fct_relief_disbursements') }}
-- depends_on: {{ ref('fct_relief_revisions') }}, {{ ref('fct_denominators') }}, {{ ref('fct_denominator_revisions') }}
-- depends_on: {{ ref('dim_accident_grade') }}, {{ ref('dim_region_versions') }}
{% for places in report_places() %}
{% set outer_last = loop.last %}
{% for section, label in report_sections() %}
select
    '{{ section }}' as section_code,
    '{{ label }}' as section_label_zh,
    {{ places }} as decimal_places,
    'report_{{ section }}_{{ places }}dp' as macro_name
{% if not (outer_last and loop.last) %}union all{% endif %}
{% endfor %}
{% endfor %}
