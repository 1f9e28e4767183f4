{# Counting rules of kpi-rules.md that both the KPI models (per period, set-based) and the report's table macros
   (any range, docs/kpi-rules.md) apply to a record: written here once. #}

{# A hazard is overdue on `day` when its rectification was due before that day and it was still open at the
   end of it (a stock, not a flow). #}
{% macro is_overdue_on(inspection, day) -%}
    ({{ inspection }}.inspected_on <= {{ day }}
     and {{ inspection }}.rectification_due_on < {{ day }}
     and ({{ inspection }}.rectified_on is null or {{ inspection }}.rectified_on > {{ day }}))
{%- endmacro %}

{# The hazards of an inspection still open at the end of `day`: none once rectified by then; all it found when
   rectified later; else those not rectified. With `major_only` (a SQL boolean), its major hazards: at most as many
   as remain open, on the reading that the major ones are the last rectified. Overdue hazards (is_overdue_on)
   and an appraisal's hazards open at the year's end both count this. #}
{% macro open_hazard_count(inspection, day, major_only='false') -%}
    {%- set found = 'case when ' ~ major_only ~ ' then ' ~ inspection ~ '.major_hazards_found else '
                    ~ inspection ~ '.hazards_found end' -%}
    case
        when {{ inspection }}.rectified_on is not null
            then case when {{ inspection }}.rectified_on <= {{ day }} then 0 else {{ found }} end
        else greatest(0, least({{ found }}, {{ inspection }}.hazards_found - {{ inspection }}.hazards_rectified))
    end
{%- endmacro %}

{# An inspection that found hazards and that no decision names (a decision that is not revoked names the
   inspection). `penalties` holds the decisions not revoked; `also` narrows them further (the same side). #}
{% macro is_without_penalty(inspection, penalties, also='true') -%}
    ({{ inspection }}.hazards_found > 0
     and not exists (select 1 from {{ penalties }} as naming
                     where naming.inspection_id = {{ inspection }}.inspection_id and {{ also }}))
{%- endmacro %}

{# A disaster ends on its latest ended_on over all its records, in any region, else on its latest started_on.
   `group_by` adds columns the ends are kept apart by (the report's two sides). #}
{% macro disaster_ends(disasters, group_by=[]) -%}
    select
        {% for column in group_by %}{{ column }}, {% endfor %}disaster_id,
        coalesce(max(ended_on), max(started_on)) as ended_on
    from {{ disasters }}
    group by {% for column in group_by %}{{ column }}, {% endfor %}disaster_id
{%- endmacro %}

{# Days from a disaster's end to its first disbursement; relief paid before the end counts as 0 days. #}
{% macro days_waited(ended_on, first_disbursed_on) -%}
    case when {{ first_disbursed_on }} < {{ ended_on }} then 0
         else {{ dbt.datediff(ended_on, first_disbursed_on, 'day') }} end
{%- endmacro %}

{# The national rates of kpi-rules.md "Rates": name, numerator, factor, denominator. #}
{% macro national_rates() -%}
    {{ return([
        ('deaths_per_100m_gdp', 'accident_deaths', 1, 'gdp_100m_yuan'),
        ('industrial_deaths_per_100k_workers', 'industrial_deaths', 100000, 'industrial_workers'),
        ('road_deaths_per_10k_vehicles', 'road_deaths', 10000, 'motor_vehicles'),
        ('coal_deaths_per_mt', 'coal_deaths', 1, 'coal_output_mt'),
        ('disaster_deaths_per_million', 'disaster_deaths_and_missing', 1000000, 'population'),
        ('disaster_loss_pct_of_gdp', 'disaster_loss_yuan', 100, 'gdp_yuan'),
        ('forest_fire_damage_permille', 'forest_burned_ha', 1000, 'forest_area_ha'),
    ]) }}
{%- endmacro %}

{# The numerators of the national rates, as sums over accidents (`accident`) or disasters (`disaster`). #}
{% macro accident_rate_numerators(accident) -%}
    sum({{ accident }}.deaths) as accident_deaths,
    sum(case when {{ accident }}.industry_group_code = 'industrial' then {{ accident }}.deaths else 0 end)
        as industrial_deaths,
    sum(case when {{ accident }}.industry_code = 'road_traffic' then {{ accident }}.deaths else 0 end) as road_deaths,
    sum(case when {{ accident }}.industry_code = 'coal_mining' then {{ accident }}.deaths else 0 end) as coal_deaths
{%- endmacro %}

{% macro disaster_rate_numerators(disaster) -%}
    sum({{ disaster }}.deaths_and_missing) as disaster_deaths_and_missing,
    sum({{ disaster }}.direct_loss_yuan) as disaster_loss_yuan,
    sum(case when {{ disaster }}.hazard_code = 'forest_fire' then {{ disaster }}.forest_burned_ha else 0 end)
        as forest_burned_ha
{%- endmacro %}

{# The bases of the rates as filed (fct_denominators or a relation of its columns), widened before scaling so
   GDP in yuan cannot overflow the filed decimal(18, 4). #}
{% macro rate_bases(denominators) -%}
    select
        filed.*,
        cast(filed.gdp_100m_yuan as decimal(38, 4)) * 100000000 as gdp_yuan
    from {{ denominators }} as filed
{%- endmacro %}
