{# A figure beside 去年同期, as every KPI model and the report publish it (kpi-definitions.md): the value, the
   previous value, the change and, for counts and amounts, the change in percent. `current` and `previous` are
   SQL expressions; `places` is the decimals of the percentage (and of a 万元 figure). One macro per kind of
   figure, so the marts and the report round the same way by construction. #}

{# A count: whole numbers, the percent half-up on them (NULL on a zero base). #}
{% macro compared_count(name, current, previous, places=2) -%}
    cast({{ current }} as bigint) as {{ name }},
    cast({{ previous }} as bigint) as {{ name }}_previous,
    cast(({{ current }}) - ({{ previous }}) as bigint) as {{ name }}_change,
    cast({{ pct_change(current, previous, places) }} as decimal(18, {{ places }})) as {{ name }}_change_pct
{%- endmacro %}

{# An amount in yuan published in 万元 to `places` decimals: the change is of the published figures, the percent
   of the exact amounts (in fen, whole numbers). #}
{% macro compared_10k_yuan(name, current_yuan, previous_yuan, places=2) -%}
    {%- set shown = 'round((' ~ current_yuan ~ ') * 0.0001, ' ~ places ~ ')' -%}
    {%- set shown_previous = 'round((' ~ previous_yuan ~ ') * 0.0001, ' ~ places ~ ')' -%}
    cast({{ shown }} as decimal(18, {{ places }})) as {{ name }},
    cast({{ shown_previous }} as decimal(18, {{ places }})) as {{ name }}_previous,
    cast({{ shown }} - {{ shown_previous }} as decimal(18, {{ places }})) as {{ name }}_change,
    cast({{ pct_change('cast((' ~ current_yuan ~ ') * 100 as bigint)', 'cast((' ~ previous_yuan ~ ') * 100 as bigint)',
                       places) }} as decimal(18, {{ places }})) as {{ name }}_change_pct
{%- endmacro %}

{# An area in hectares (filed with up to 4 decimals) published to 2 decimals: the change is of the published
   figures, the percent (to `places`) of the exact areas in ten-thousandths of a hectare. #}
{% macro compared_area(name, current, previous, places=2) -%}
    cast(round({{ current }}, 2) as decimal(18, 2)) as {{ name }},
    cast(round({{ previous }}, 2) as decimal(18, 2)) as {{ name }}_previous,
    cast(round({{ current }}, 2) - round({{ previous }}, 2) as decimal(18, 2)) as {{ name }}_change,
    cast({{ pct_change('cast((' ~ current ~ ') * 10000 as bigint)', 'cast((' ~ previous ~ ') * 10000 as bigint)',
                       places) }} as decimal(18, {{ places }})) as {{ name }}_change_pct
{%- endmacro %}

{# A rate, a percentage or an average, already rounded: compared by difference (个百分点 for a percentage),
   never in percent. #}
{% macro compared_ratio(name, current, previous, type) -%}
    cast({{ current }} as {{ type }}) as {{ name }},
    cast({{ previous }} as {{ type }}) as {{ name }}_previous,
    cast(({{ current }}) - ({{ previous }}) as {{ type }}) as {{ name }}_change
{%- endmacro %}
