{# What an appraisal metric counts of one record (appraisal/records.py names the metrics a rules file may use,
   with their Chinese labels and units). #}
{% macro appraisal_amount(metric, records) -%}
    case {{ metric }}
        when 'accidents' then 1
        when 'inspections' then 1
        when 'deaths' then {{ records }}.deaths_and_missing
        when 'hazards_found' then {{ records }}.hazards_found
        when 'major_hazards_found' then {{ records }}.major_hazards_found
        when 'hazards_rectified' then {{ records }}.hazards_rectified
    end
{%- endmacro %}

{# A record meets a rule's filter when it meets every condition the filter row sets (a NULL column sets none). #}
{% macro appraisal_filter_met(filters, records) -%}
    not {{ filters }}.matches_nothing
    and ({{ filters }}.grade_codes is null or list_contains({{ filters }}.grade_codes, {{ records }}.grade_code))
    and ({{ filters }}.industry_codes is null
         or list_contains({{ filters }}.industry_codes, {{ records }}.industry_code))
    and ({{ filters }}.exclude_industry_codes is null
         or not list_contains({{ filters }}.exclude_industry_codes, {{ records }}.industry_code))
    and ({{ filters }}.industry_group_codes is null
         or list_contains({{ filters }}.industry_group_codes, {{ records }}.industry_group_code))
    and ({{ filters }}.min_deaths is null or {{ records }}.deaths_and_missing >= {{ filters }}.min_deaths)
    and ({{ filters }}.concealed is null or {{ records }}.is_concealed = {{ filters }}.concealed)
    -- an accident without a report time is not counted late: nothing shows it was
    and ({{ filters }}.reported_after_hours is null
         or coalesce({{ records }}.reported_after_us > {{ filters }}.reported_after_hours * 3600000000, false))
    and ({{ filters }}.with_hazards is null or ({{ records }}.hazards_found > 0) = {{ filters }}.with_hazards)
    and ({{ filters }}.with_major_hazards is null
         or ({{ records }}.major_hazards_found > 0) = {{ filters }}.with_major_hazards)
    and ({{ filters }}.has_case_or_fine is null or {{ records }}.has_case_or_fine = {{ filters }}.has_case_or_fine)
{%- endmacro %}

{# `value` (numerator ÷ denominator × points, all exact) to a multiple of `step`, halves away from zero: the
   rounding of 考核办法 and kpi-rules.md, in whole numbers so no float can move a score. Points and steps carry
   at most 4 decimals. #}
{% macro appraisal_half_up(points, numerator, denominator, step) -%}
    (sign({{ points }} * {{ numerator }})
     * (((2 * abs(cast({{ points }} * 10000 as hugeint) * {{ numerator }}))
          + cast({{ denominator }} as hugeint) * cast({{ step }} * 10000 as hugeint))
        // (2 * cast({{ denominator }} as hugeint) * cast({{ step }} * 10000 as hugeint)))
     * {{ step }})
{%- endmacro %}

{# Points held to ±cap (no cap: as they are). #}
{% macro appraisal_capped(points, cap) -%}
    case when {{ cap }} is null or abs({{ points }}) <= {{ cap }} then {{ points }}
         when {{ points }} > 0 then {{ cap }} else -{{ cap }} end
{%- endmacro %}

{# A number as the 考核办法 writes it: no exponent, no trailing zeros (50, 2.5, 18.3). #}
{% macro appraisal_n(value) -%}
    (case when contains(cast({{ value }} as varchar), '.')
          then rtrim(rtrim(cast({{ value }} as varchar), '0'), '.')
          else cast({{ value }} as varchar) end)
{%- endmacro %}

{# With its sign: +1, -2. #}
{% macro appraisal_signed(value) -%}
    (case when {{ value }} < 0 then '' else '+' end || {{ appraisal_n(value) }})
{%- endmacro %}

{# An amount of yuan (2 decimals) in 万元, exactly, in whole fen (a decimal division would be a DOUBLE):
   12,345,678.90 yuan is 1234.56789. #}
{% macro appraisal_10k_yuan(yuan) -%}
    {%- set fen = 'cast(' ~ yuan ~ ' * 100 as hugeint)' -%}
    (cast({{ fen }} // 1000000 as varchar)
     || case when {{ fen }} % 1000000 = 0 then ''
             else '.' || rtrim(lpad(cast({{ fen }} % 1000000 as varchar), 6, '0'), '0') end)
{%- endmacro %}
