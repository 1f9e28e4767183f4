{# What an appraisal metric counts of a record, or of a group of records (appraisal/records.py names the metrics a
   rules file may use, with their Chinese labels and units): each metric is a column of the records. #}
{% macro appraisal_amount(metric, records) -%}
    case {{ metric }}
        {%- for name in ('accidents', 'inspections', 'deaths', 'hazards_found', 'major_hazards_found',
                         'hazards_rectified') %}
        when '{{ name }}' then {{ records }}.{{ name }}
        {%- endfor %}
    end
{%- endmacro %}

{# A record (or a group of records alike) meets a rule's filter when it meets every condition the filter row sets
   (a NULL column sets none). #}
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
    and ({{ filters }}.reported_after_hours is null
         or list_contains({{ records }}.reported_after_hours, {{ filters }}.reported_after_hours))
    and ({{ filters }}.with_hazards is null or {{ records }}.has_hazards = {{ filters }}.with_hazards)
    and ({{ filters }}.with_major_hazards is null
         or {{ records }}.has_major_hazards = {{ filters }}.with_major_hazards)
    and ({{ filters }}.has_case_or_fine is null or {{ records }}.has_case_or_fine = {{ filters }}.has_case_or_fine)
{%- endmacro %}

{# The reporting delays the rules ask about, in hours, as one sorted list: a record keeps those it exceeds, which
   is all a filter reads of its delay. #}
{% macro appraisal_delays() -%}
    select coalesce(list(distinct reported_after_hours order by reported_after_hours), []) as hours
    from {{ source('appraisal_rules', 'filters') }}
    where reported_after_hours is not null
{%- endmacro %}

{# The years whose records a load changed since int_appraisal__record_groups was last built, into a temporary
   table its build reads, and their groups deleted (the pre-hook of an incremental build). A year is touched by
   each revision of a revised accident or inspection (the year it was in and the year it is in), and by each
   revision of a revised decision through the inspection it names (a case or a fine). Every year is touched when
   the rules ask about other reporting delays than those the groups were made with. Computed once, before the
   delete, so that the years deleted are the years inserted, an emptied year included. #}
{% macro appraisal_forget_touched_years() -%}
    {%- if is_incremental() -%}
    create or replace temporary table appraisal_touched_years as
    with seen as (
        select coalesce(max(newest_load_id), 0) as load_id,
               coalesce((select hours from ({{ appraisal_delays() }}) as delays)
                        is distinct from any_value(delays_hours), false) as has_other_delays
        from {{ this }}
    ),

    revised_accidents as (
        select accident_id from {{ ref('fct_accident_revisions') }}
        where load_id > (select load_id from seen)
    ),

    revised_inspections as (
        select inspection_id from {{ ref('fct_inspection_revisions') }}
        where load_id > (select load_id from seen)
        union
        select inspection_id from {{ ref('fct_penalty_revisions') }}
        where inspection_id is not null and penalty_id in (
            select penalty_id from {{ ref('fct_penalty_revisions') }} where load_id > (select load_id from seen)
        )
    )

    select year(occurred_on) as year from {{ ref('fct_accident_revisions') }}
    where accident_id in (select accident_id from revised_accidents) or (select has_other_delays from seen)
    union
    select year(inspected_on) from {{ ref('fct_inspection_revisions') }}
    where inspection_id in (select inspection_id from revised_inspections) or (select has_other_delays from seen);

    delete from {{ this }} where year in (select year from appraisal_touched_years)
    {%- endif -%}
{%- endmacro %}

{# The rules' filters, each with what its rule (or veto) counts: its metric, a ratio's numerator and whether its
   open hazards are the major ones only. #}
{% macro appraisal_filters() -%}
    select
        filters.*,
        coalesce(rules.metric, rules.denominator, vetoes.metric) as metric,
        rules.numerator,
        rules.major_only
    from {{ source('appraisal_rules', 'filters') }} as filters
    left join {{ source('appraisal_rules', 'rules') }} as rules
        on filters.role <> 'veto' and rules.scheme = filters.scheme and rules.rule_key = filters.rule_key
    left join {{ source('appraisal_rules', 'vetoes') }} as vetoes
        on filters.role = 'veto' and vetoes.scheme = filters.scheme and vetoes.veto_key = filters.rule_key
{%- endmacro %}

{# What each filter of the schemes takes of `records` (records or groups of them) in the years the schemes cover,
   for each scored region: every region with a parent (it is ranked among its siblings) is scored on its own
   records and those of every region below it. Per record or group, filter and scored region: the scheme, rule
   and role, the `keep` columns, the metric's amount, a ratio's numerator, the direct loss and the hazards open at
   year end (the major ones only or all, as the rule says). #}
{% macro appraisal_taken(records, keep=[]) -%}
    select
        filters.scheme,
        records.year,
        subtrees.ancestor_code as region_code,
        filters.rule_key,
        filters.role,
        {% for column in keep %}records.{{ column }},{% endfor %}
        {{ appraisal_amount('filters.metric', 'records') }} as amount,
        {{ appraisal_amount('filters.numerator', 'records') }} as numerator_amount,
        records.direct_loss_yuan,
        case when filters.major_only then records.open_major_hazards
             when not filters.major_only then records.open_hazards
        end as open_hazards
    from {{ records }} as records
    inner join {{ source('appraisal_rules', 'scheme_years') }} as scheme_years on scheme_years.year = records.year
    inner join ({{ appraisal_filters() }}) as filters
        on filters.scheme = scheme_years.scheme
        and filters.record_kind = records.record_kind
        and {{ appraisal_filter_met('filters', 'records') }}
    inner join {{ ref('dim_region_ancestry') }} as subtrees on subtrees.region_code = records.region_code
    inner join {{ ref('dim_region') }} as scored
        on scored.region_code = subtrees.ancestor_code and scored.parent_code is not null
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
