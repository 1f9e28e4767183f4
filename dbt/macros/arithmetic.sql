{# Integer division that stays exact: DuckDB's `/` on integers and decimals returns DOUBLE. #}
{% macro int_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('int_div', 'emstat')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__int_div(numerator, denominator) -%}
    floor(({{ numerator }}) / ({{ denominator }}))
{%- endmacro %}

{% macro duckdb__int_div(numerator, denominator) -%}
    (({{ numerator }}) // ({{ denominator }}))
{%- endmacro %}

{# Change in percent of `previous`, rounded half-up (away from zero) to `places` decimals, computed on
   whole numbers so no float rounding can move a published figure. Both arguments must be integer-valued
   (counts, or money in fen). NULL on a zero base, as kpi-definitions.md requires. #}
{% macro pct_change(current, previous, places=2) -%}
    {%- set scale = 10 ** (places + 2) -%}
    case when ({{ previous }}) = 0 then null else
        cast(
            sign(({{ current }}) - ({{ previous }}))
            * {{ int_div('abs((' ~ current ~ ') - (' ~ previous ~ ')) * ' ~ (2 * scale) ~ ' + (' ~ previous ~ ')',
                         '2 * (' ~ previous ~ ')') }}
            as decimal(38, 0)
        ) * cast({{ 10 ** (-places) }} as decimal(10, {{ places }}))
    end
{%- endmacro %}

{# A ratio rounded half-up (away from zero) to `places` decimals, computed on whole numbers like pct_change so
   no float rounding can move a published figure: 整改率, amount per person, average days. Both arguments must
   be integer-valued (counts, days, money in fen) and the denominator never negative. NULL when there is
   nothing to divide by, as kpi-rules.md requires of a ratio. #}
{% macro ratio_half_up(numerator, denominator, places=2) -%}
    {%- set scale = 10 ** places -%}
    case when ({{ denominator }}) = 0 then null else
        cast(
            sign(({{ numerator }}))
            * {{ int_div('abs((' ~ numerator ~ ')) * ' ~ (2 * scale) ~ ' + (' ~ denominator ~ ')',
                         '2 * (' ~ denominator ~ ')') }}
            as decimal(38, 0)
        ) * cast({{ 10 ** (-places) }} as decimal(10, {{ places }}))
    end
{%- endmacro %}
