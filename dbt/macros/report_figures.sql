{# The report's figures (`emstat report`): one region, any range of days and its 去年同期, as DuckDB table
   macros the build leaves in the warehouse (made by dim_report_section once its inputs are built). Every
   figure is counted, compared and rounded here, by the counting rules and the compared_* macros the KPI models
   use; Python only lays the rows out.

   Each macro takes the same parameters:
     p_region                               the region, counted with every region below it;
     p_start, p_end                         the range, already cut at the last day the records cover;
     p_comparison_start, p_comparison_end   its 去年同期 (marts.report_span);
     p_as_of, p_comparison_as_of            each side's facts as known at the end of that day, or current (null);
     p_known_on, p_valid_on                 the region tree both sides read (可比口径, docs/kpi-rules.md).
   Each is made once per number of decimals the report offers (`report_<section>_<places>dp`). #}

{% macro report_places() -%}
    {{ return([1, 2]) }}
{%- endmacro %}

{# The sections, each with a create_report_<section> macro below and its title in the report's tables. #}
{% macro report_sections() -%}
    {{ return([
        ('accidents', '事故（合计、行业、等级）'),
        ('subregions', '下辖地区事故'),
        ('enforcement', '执法检查与隐患排查'),
        ('relief', '救灾资金发放'),
        ('disasters', '自然灾害'),
        ('rates', '安全生产与防灾减灾指标'),
    ]) }}
{%- endmacro %}

{% macro _report_parameters() -%}
    p_region, p_start, p_end, p_comparison_start, p_comparison_end, p_as_of, p_comparison_as_of, p_known_on, p_valid_on
{%- endmacro %}

{# The facts of `mart` as known at the end of `as_of`, or the current ones when it is null. #}
{% macro _report_facts(schema, mart, as_of) -%}
    {%- set revisions = {
        'fct_accidents': 'fct_accident_revisions',
        'fct_disasters': 'fct_disaster_revisions',
        'fct_inspections': 'fct_inspection_revisions',
        'fct_penalties': 'fct_penalty_revisions',
        'fct_relief_disbursements': 'fct_relief_revisions',
        'fct_denominators': 'fct_denominator_revisions',
    } -%}
    (select * from {{ schema }}.{{ mart }} where {{ as_of }} is null
     union all by name
     select * from {{ schema }}.{{ revisions[mart] }}
     where {{ as_of }} is not null and known_from <= {{ as_of }} and (known_until is null or known_until > {{ as_of }}))
{%- endmacro %}

{% macro _report_subtree(schema, record) -%}
    {{ record }}.region_code in (
        select region_code from {{ schema }}.region_ancestry(p_known_on, p_valid_on) where ancestor_code = p_region)
{%- endmacro %}

{# The facts of `mart` for both sides, each as known on its own day, with `side` saying which. `day` (a
   column) keeps a side's records to its range; without it, every record of the side is kept. #}
{% macro _report_sides(schema, mart, day=none, where='true') -%}
    {% for side, as_of, start, end in [('current', 'p_as_of', 'p_start', 'p_end'),
                                       ('previous', 'p_comparison_as_of', 'p_comparison_start', 'p_comparison_end')] %}
    select '{{ side }}' as side, {{ start }} as span_start, {{ end }} as span_end, facts.*
    from {{ _report_facts(schema, mart, as_of) }} as facts
    where {{ where }}
        {% if day %}and facts.{{ day }} between {{ start }} and {{ end }}{% endif %}
    {% if not loop.last %}union all by name{% endif %}
    {% endfor %}
{%- endmacro %}

{# The scope and key of a row grouped by grouping sets of `columns` (each alone) and of nothing: 'all' for the
   whole region, else the scope named for the column grouped on. #}
{% macro _report_scope_and_key(columns, scopes) -%}
    case
        {% for column, scope in zip(columns, scopes) %}
        when grouping({{ column }}) = 0 then '{{ scope }}'
        {% endfor %}
        else 'all'
    end as scope,
    coalesce({{ columns | join(', ') }}, 'all') as key
{%- endmacro %}

{# A sum of one side (`expression` per record), 0 when the side has none. #}
{% macro _side_sum(side, expression) -%}
    coalesce(sum(case when side = '{{ side }}' then {{ expression }} end), 0)
{%- endmacro %}

{% macro _side_count(side) -%}
    count(case when side = '{{ side }}' then 1 end)
{%- endmacro %}

{# Accidents (written-off ones left out) for the whole region ('all'), each industry group and industry with
   records on either side, and each legal grade (all four, even empty). #}
{% macro create_report_accidents(schema, places) -%}
    {#- missing is null where a file had no 失踪人数 column: nobody reported as missing -#}
    {%- set sums = [('deaths', 'deaths'), ('missing', 'coalesce(missing, 0)'), ('injuries', 'injuries'),
                    ('serious_injuries', 'serious_injuries'), ('direct_loss_yuan', 'direct_loss_yuan')] -%}
    {%- set names = sums | map(attribute=0) | list -%}
    create or replace macro {{ schema }}.report_accidents_{{ places }}dp({{ _report_parameters() }}) as table
    with accidents as (
        {{ _report_sides(schema, 'fct_accidents', 'occurred_on',
                         'not facts.is_written_off and ' ~ _report_subtree(schema, 'facts')) }}
    ),

    summed as (
        select
            {{ _report_scope_and_key(['industry_group_code', 'industry_code', 'grade_code'],
                                     ['industry_group', 'industry', 'grade']) }},
            {{ _side_count('current') }} as accidents,
            {{ _side_count('previous') }} as accidents_previous,
            {% for name, expression in sums %}
            {{ _side_sum('current', expression) }} as {{ name }},
            {{ _side_sum('previous', expression) }} as {{ name }}_previous{% if not loop.last %},{% endif %}
            {% endfor %}
        from accidents
        group by grouping sets ((), (industry_group_code), (industry_code), (grade_code))
    ),

    keyed as (
        select scope, key from summed
        union
        select 'all', 'all'
        union
        select 'grade', grade_code from {{ schema }}.dim_accident_grade
    ),

    figures as (
        select
            keyed.scope,
            keyed.key,
            {% for name in ['accidents'] + names %}
            coalesce(summed.{{ name }}, 0) as {{ name }},
            coalesce(summed.{{ name }}_previous, 0) as {{ name }}_previous{% if not loop.last %},{% endif %}
            {% endfor %}
        from keyed
        left join summed on summed.scope = keyed.scope and summed.key = keyed.key
    )

    select
        scope,
        key,
        {% for name in ['accidents', 'deaths', 'missing', 'injuries', 'serious_injuries'] %}
        {{ compared_count(name, name, name ~ '_previous', places) }},
        {% endfor %}
        {{ compared_10k_yuan('direct_loss_10k_yuan', 'direct_loss_yuan', 'direct_loss_yuan_previous', places) }}
    from figures
{%- endmacro %}

{# Accidents of each region one level below the region, every one of them even when empty. #}
{% macro create_report_subregions(schema, places) -%}
    create or replace macro {{ schema }}.report_subregions_{{ places }}dp({{ _report_parameters() }}) as table
    with children as (
        select region_code, region_name
        from {{ schema }}.region_tree(p_known_on, p_valid_on)
        where parent_code = p_region
    ),

    accidents as (
        {{ _report_sides(schema, 'fct_accidents', 'occurred_on', 'not facts.is_written_off') }}
    ),

    summed as (
        select
            children.region_code,
            children.region_name,
            {{ _side_count('current') }} as accidents,
            {{ _side_count('previous') }} as accidents_previous,
            {% for name in ['deaths', 'missing', 'injuries'] %}
            {{ _side_sum('current', 'accidents.' ~ name) }} as {{ name }},
            {{ _side_sum('previous', 'accidents.' ~ name) }} as {{ name }}_previous{% if not loop.last %},{% endif %}
            {% endfor %}
        from children
        inner join {{ schema }}.region_ancestry(p_known_on, p_valid_on) as ancestry
            on ancestry.ancestor_code = children.region_code
        left join accidents on accidents.region_code = ancestry.region_code
        group by children.region_code, children.region_name
    )

    select
        region_code,
        region_name,
        {% for name in ['accidents', 'deaths', 'missing', 'injuries'] %}
        {{ compared_count(name, name, name ~ '_previous', places) }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from summed
    order by region_code
{%- endmacro %}

{# Inspections, hazards and penalties: one row. Units and cases count once in a side; overdue hazards are a
   stock on each side's last day. #}
{% macro create_report_enforcement(schema, places) -%}
    create or replace macro {{ schema }}.report_enforcement_{{ places }}dp({{ _report_parameters() }}) as table
    with inspections as (
        {{ _report_sides(schema, 'fct_inspections', where=_report_subtree(schema, 'facts')) }}
    ),

    -- Any decision names an inspection, wherever it was decided.
    penalties as (
        {{ _report_sides(schema, 'fct_penalties', where='not facts.is_revoked') }}
    ),

    made as (
        select * from inspections where inspected_on between span_start and span_end
    ),

    decided as (
        select * from penalties as facts
        where decided_on between span_start and span_end and {{ _report_subtree(schema, 'facts') }}
    ),

    double_penalty_cases as (
        select side, case_id
        from decided
        group by side, case_id
        having count(distinct party_type_code) = 2
    ),

    sides as (
        select 'current' as side
        union all
        select 'previous'
    ),

    inspection_figures as (
        select
            side,
            count(*) as inspections,
            count(distinct unit_key) as units_inspected,
            sum(hazards_found) as hazards_found,
            sum(major_hazards_found) as major_hazards_found,
            sum(hazards_rectified) as hazards_rectified,
            count(case when {{ is_without_penalty('made', 'penalties', 'naming.side = made.side') }} then 1 end)
                as inspections_without_penalty
        from made
        group by side
    ),

    overdue_figures as (
        select side, sum({{ open_hazard_count('inspections', 'inspections.span_end') }}) as overdue_hazards
        from inspections
        where {{ is_overdue_on('inspections', 'inspections.span_end') }}
        group by side
    ),

    decision_figures as (
        select
            side,
            count(*) as penalty_decisions,
            count(distinct case_id) as cases_filed,
            sum(fine_amount_yuan) as fines_yuan
        from decided
        group by side
    ),

    case_figures as (
        select side, count(*) as double_penalty_cases from double_penalty_cases group by side
    ),

    figures as (
        select
            {% for name, figures in [('inspections', 'inspection_figures'), ('units_inspected', 'inspection_figures'),
                                     ('hazards_found', 'inspection_figures'),
                                     ('major_hazards_found', 'inspection_figures'),
                                     ('hazards_rectified', 'inspection_figures'),
                                     ('inspections_without_penalty', 'inspection_figures'),
                                     ('overdue_hazards', 'overdue_figures'),
                                     ('penalty_decisions', 'decision_figures'), ('cases_filed', 'decision_figures'),
                                     ('fines_yuan', 'decision_figures'),
                                     ('double_penalty_cases', 'case_figures')] %}
            coalesce(sum(case when sides.side = 'current' then {{ figures }}.{{ name }} end), 0) as {{ name }},
            coalesce(sum(case when sides.side = 'previous' then {{ figures }}.{{ name }} end), 0)
                as {{ name }}_previous{% if not loop.last %},{% endif %}
            {% endfor %}
        from sides
        {% for figures in ['inspection_figures', 'overdue_figures', 'decision_figures', 'case_figures'] %}
        left join {{ figures }} on {{ figures }}.side = sides.side
        {% endfor %}
    )

    select
        {% for name in ['inspections', 'units_inspected', 'hazards_found', 'major_hazards_found',
                        'hazards_rectified'] %}
        {{ compared_count(name, name, name ~ '_previous', places) }},
        {% endfor %}
        {# 整改率: undefined when nothing was found #}
        {{ compared_ratio('rectification_rate_pct',
                          ratio_half_up('hazards_rectified * 100', 'hazards_found', places),
                          ratio_half_up('hazards_rectified_previous * 100', 'hazards_found_previous', places),
                          'decimal(18, ' ~ places ~ ')') }},
        {% for name in ['overdue_hazards', 'cases_filed', 'penalty_decisions'] %}
        {{ compared_count(name, name, name ~ '_previous', places) }},
        {% endfor %}
        {{ compared_10k_yuan('fines_10k_yuan', 'fines_yuan', 'fines_yuan_previous', places) }},
        {% for name in ['double_penalty_cases', 'inspections_without_penalty'] %}
        {{ compared_count(name, name, name ~ '_previous', places) }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from figures
{%- endmacro %}

{# Relief paid for the whole region ('all', with the amount per person and the days to first payment), each
   program and each fund source with payments on either side. #}
{% macro create_report_relief(schema, places) -%}
    create or replace macro {{ schema }}.report_relief_{{ places }}dp({{ _report_parameters() }}) as table
    with disbursements as (
        {{ _report_sides(schema, 'fct_relief_disbursements', where=_report_subtree(schema, 'facts')) }}
    ),

    paid as (
        select * from disbursements where disbursed_on between span_start and span_end
    ),

    summed as (
        select
            {{ _report_scope_and_key(['program_code', 'fund_source_code'], ['program', 'fund_source']) }},
            {% for name in ['amount_yuan', 'households', 'persons'] %}
            {{ _side_sum('current', name) }} as {{ name }},
            {{ _side_sum('previous', name) }} as {{ name }}_previous{% if not loop.last %},{% endif %}
            {% endfor %}
        from paid
        group by grouping sets ((), (program_code), (fund_source_code))
    ),

    keyed as (
        select scope, key from summed
        union
        select 'all', 'all'
    ),

    ends as (
        {{ disaster_ends('(' ~ _report_sides(schema, 'fct_disasters') ~ ')', ['side']) }}
    ),

    -- When relief first reached each disaster within the region (on all its payments, not only the range's).
    first_disbursements as (
        select side, span_start, span_end, disaster_id, min(disbursed_on) as first_disbursed_on
        from disbursements
        where disaster_id is not null
        group by side, span_start, span_end, disaster_id
    ),

    waits as (
        select
            'all' as scope,
            'all' as key,
            {% for side, suffix in [('current', ''), ('previous', '_previous')] %}
            count(case when first_disbursements.side = '{{ side }}' then 1 end) as disasters_relieved{{ suffix }},
            sum(case when first_disbursements.side = '{{ side }}'
                     then {{ days_waited('ends.ended_on', 'first_disbursements.first_disbursed_on') }} end)
                as days_waited{{ suffix }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from first_disbursements
        inner join ends on ends.side = first_disbursements.side and ends.disaster_id = first_disbursements.disaster_id
        where first_disbursements.first_disbursed_on between first_disbursements.span_start
            and first_disbursements.span_end
    ),

    figures as (
        select
            keyed.scope,
            keyed.key,
            {% for name in ['amount_yuan', 'households', 'persons'] %}
            coalesce(summed.{{ name }}, 0) as {{ name }},
            coalesce(summed.{{ name }}_previous, 0) as {{ name }}_previous,
            {% endfor %}
            waits.disasters_relieved,
            waits.disasters_relieved_previous,
            waits.days_waited,
            waits.days_waited_previous
        from keyed
        left join summed on summed.scope = keyed.scope and summed.key = keyed.key
        left join waits on waits.scope = keyed.scope and waits.key = keyed.key
    )

    select
        scope,
        key,
        {{ compared_10k_yuan('amount_10k_yuan', 'amount_yuan', 'amount_yuan_previous', places) }},
        {% for name in ['households', 'persons'] %}
        {{ compared_count(name, name, name ~ '_previous', places) }},
        {% endfor %}
        {{ compared_ratio('amount_per_person_yuan',
                          ratio_half_up('cast(amount_yuan * 100 as bigint)', 'persons * 100'),
                          ratio_half_up('cast(amount_yuan_previous * 100 as bigint)', 'persons_previous * 100'),
                          'decimal(18, 2)') }},
        {{ compared_ratio('days_to_first_disbursement',
                          ratio_half_up('days_waited', 'disasters_relieved', 1),
                          ratio_half_up('days_waited_previous', 'disasters_relieved_previous', 1),
                          'decimal(18, 1)') }}
    from figures
{%- endmacro %}

{# Natural disasters for the whole region ('all') and each hazard with records on either side; an event that
   struck several townships counts once. #}
{% macro create_report_disasters(schema, places) -%}
    {%- set counts = ['affected_people', 'deaths', 'missing', 'relocated', 'houses_collapsed', 'houses_severe',
                      'houses_damaged'] -%}
    {%- set areas = ['crop_affected_ha', 'crop_failed_ha', 'crop_lost_ha'] -%}
    create or replace macro {{ schema }}.report_disasters_{{ places }}dp({{ _report_parameters() }}) as table
    with disasters as (
        {{ _report_sides(schema, 'fct_disasters', 'started_on', _report_subtree(schema, 'facts')) }}
    ),

    summed as (
        select
            {{ _report_scope_and_key(['hazard_code'], ['hazard']) }},
            count(distinct case when side = 'current' then disaster_id end) as events,
            count(distinct case when side = 'previous' then disaster_id end) as events_previous,
            {% for name in counts + areas + ['direct_loss_yuan'] %}
            {{ _side_sum('current', name) }} as {{ name }},
            {{ _side_sum('previous', name) }} as {{ name }}_previous{% if not loop.last %},{% endif %}
            {% endfor %}
        from disasters
        -- the empty grouping set gives the region's row even when nothing happened on either side
        group by grouping sets ((), (hazard_code))
    )

    select
        scope,
        key,
        {% for name in ['events'] + counts %}
        {{ compared_count(name, name, name ~ '_previous', places) }},
        {% endfor %}
        {% for name in areas %}
        {{ compared_area(name, name, name ~ '_previous', places) }},
        {% endfor %}
        {{ compared_10k_yuan('direct_loss_10k_yuan', 'direct_loss_yuan', 'direct_loss_yuan_previous', places) }}
    from summed
{%- endmacro %}

{# The national rates: numerators over the region and everything below it, bases filed for the region itself
   for the year of each side's last day. One row. #}
{% macro create_report_rates(schema, places) -%}
    {%- set rates = national_rates() -%}
    {%- set numerators = rates | map(attribute=1) | list -%}
    create or replace macro {{ schema }}.report_rates_{{ places }}dp({{ _report_parameters() }}) as table
    with accidents as (
        {{ _report_sides(schema, 'fct_accidents', 'occurred_on',
                         'not facts.is_written_off and ' ~ _report_subtree(schema, 'facts')) }}
    ),

    disasters as (
        {{ _report_sides(schema, 'fct_disasters', 'started_on', _report_subtree(schema, 'facts')) }}
    ),

    sides as (
        select 'current' as side, p_end as span_end, p_as_of as as_of
        union all
        select 'previous', p_comparison_end, p_comparison_as_of
    ),

    numerators as (
        select
            sides.side,
            sides.span_end,
            coalesce(accident_sums.accident_deaths, 0) as accident_deaths,
            coalesce(accident_sums.industrial_deaths, 0) as industrial_deaths,
            coalesce(accident_sums.road_deaths, 0) as road_deaths,
            coalesce(accident_sums.coal_deaths, 0) as coal_deaths,
            coalesce(disaster_sums.disaster_deaths_and_missing, 0) as disaster_deaths_and_missing,
            coalesce(disaster_sums.disaster_loss_yuan, 0) as disaster_loss_yuan,
            coalesce(disaster_sums.forest_burned_ha, 0) as forest_burned_ha
        from sides
        left join (select side, {{ accident_rate_numerators('accidents') }} from accidents group by side)
            as accident_sums on accident_sums.side = sides.side
        left join (select side, {{ disaster_rate_numerators('disasters') }} from disasters group by side)
            as disaster_sums on disaster_sums.side = sides.side
    ),

    bases as (
        {{ rate_bases('(' ~ _report_sides(schema, 'fct_denominators', where='facts.region_code = p_region') ~ ')') }}
    ),

    operands as (
        select
            numerators.side,
            {% for key, numerator, factor, denominator in rates %}
            numerators.{{ numerator }} * {{ factor }} as {{ key }}_numerator,
            bases.{{ denominator }} as {{ key }}_denominator{% if not loop.last %},{% endif %}
            {% endfor %}
        from numerators
        left join bases on bases.side = numerators.side and bases.year = year(numerators.span_end)
    ),

    rated as (
        {%- set ratios = [] -%}
        {%- for key, numerator, factor, denominator in rates -%}
        {%- do ratios.append((key, key ~ '_numerator', key ~ '_denominator')) -%}
        {%- endfor %}
        {{ significant_ratios('operands', ratios, ['side']) }}
    )

    select
        {% for key, numerator, factor, denominator in rates %}
        {{ compared_ratio(key, 'current_rates.' ~ key, 'previous_rates.' ~ key, 'decimal(38, 12)') }}
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from rated as current_rates
    inner join rated as previous_rates on previous_rates.side = 'previous'
    where current_rates.side = 'current'
{%- endmacro %}

{# Every section's macro, for every number of decimals: the post-hooks of dim_report_section. #}
{% macro report_section_hooks() -%}
    {%- set hooks = [] -%}
    {%- for places in report_places() -%}
    {%- for section, label in report_sections() -%}
    {%- do hooks.append('{{ create_report_' ~ section ~ '(this.schema, ' ~ places ~ ') }}') -%}
    {%- endfor -%}
    {%- endfor -%}
    {{ return(hooks) }}
{%- endmacro %}
