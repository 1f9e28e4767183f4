{# Ratios numerator ÷ denominator kept to `digits` significant digits, half-up, as decimal(38, scale), for rates
   published "with 4 significant digits": a select over `relation` of the `keep` columns and one column per
   (name, numerator, denominator) of `ratios`.
   A DOUBLE cannot be rounded for this: 0.0012345 is stored as 0.0012344999…, which would publish 0.001234
   instead of 0.001235. So both operands are scaled to whole numbers (each may carry up to `places` decimals) and
   every step is integer arithmetic, the decimal exponent k (10^k <= ratio < 10^(k+1)) included: it is read off
   the number of digits of a whole quotient. Each step is a column of its own select, so that no operand is
   repeated inside the next step's expression: written as one expression, a rate took DuckDB 10 ms to plan.
   Operands must be non-negative. NULL when the denominator is NULL or 0; 0 when the numerator is 0. A ratio
   below 10^(digits-1-scale) has fewer than `digits` digits left at `scale` decimals and is rounded half-up
   there. #}
{% macro significant_ratios(relation, ratios, keep, digits=4, places=4, scale=12) -%}
    {%- set wide = wide_integer_type() -%}
    select
        {{ keep | join(', ') }},
        {% for name, numerator, denominator in ratios %}
        {%- set n = name ~ '__n' -%}
        {%- set d = name ~ '__d' -%}
        {%- set up = _power_of_ten(name ~ '__up') -%}
        {%- set down = _power_of_ten(name ~ '__down') -%}
        {#- the ratio times 10^(up - down), rounded to a whole number, holds the published digits -#}
        {%- set published_digits = int_div('2 * ' ~ n ~ ' * ' ~ up ~ ' + ' ~ d ~ ' * ' ~ down,
                                           '2 * ' ~ d ~ ' * ' ~ down) -%}
        case
            when coalesce({{ d }}, 0) = 0 then null
            when {{ n }} = 0 then cast(0 as decimal(38, {{ scale }}))
            else cast(
                cast({{ published_digits }} * {{ down }} * {{ _power_of_ten(scale ~ ' - ' ~ name ~ '__up') }}
                     as decimal(38, 0))
                * cast({{ '0.' ~ '0' * (scale - 1) ~ '1' }} as decimal({{ scale + 1 }}, {{ scale }}))
                as decimal(38, {{ scale }}))
        end as {{ name }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from (
        select
            {{ keep | join(', ') }},
            {% for name, numerator, denominator in ratios %}
            {%- set n = name ~ '__n' -%}
            {%- set d = name ~ '__d' -%}
            {#- k + 1 digits in floor(ratio) when ratio >= 1; below 1, -k digits in ceil(1 / ratio) - 1
                = floor((d - 1) / n) -#}
            {%- set exponent = 'case when ' ~ n ~ ' >= ' ~ d
                ~ ' then ' ~ _digit_count(int_div(n, 'nullif(' ~ d ~ ', 0)')) ~ ' - 1'
                ~ ' else -' ~ _digit_count(int_div(d ~ ' - 1', 'nullif(' ~ n ~ ', 0)')) ~ ' end' -%}
            {%- set shift = 'least(' ~ (digits - 1) ~ ' - (' ~ exponent ~ '), ' ~ scale ~ ')' -%}
            {{ n }},
            {{ d }},
            -- the shift split in its two signs: 10^up multiplies the numerator, 10^down the denominator
            greatest({{ shift }}, 0) as {{ name }}__up,
            greatest(-({{ shift }}), 0) as {{ name }}__down{% if not loop.last %},{% endif %}
            {% endfor %}
        from (
            select
                {{ keep | join(', ') }},
                {% for name, numerator, denominator in ratios %}
                cast(cast({{ numerator }} as decimal(38, {{ places }})) * {{ 10 ** places }} as {{ wide }})
                    as {{ name }}__n,
                cast(cast({{ denominator }} as decimal(38, {{ places }})) * {{ 10 ** places }} as {{ wide }})
                    as {{ name }}__d{% if not loop.last %},{% endif %}
                {% endfor %}
            from {{ relation }}
        ) as scaled
    ) as shifted
{%- endmacro %}

{% macro _digit_count(whole_number) -%}
    {{ dbt.length(dbt.cast(whole_number, dbt.type_string())) }}
{%- endmacro %}

{# 10^exponent for an exponent of 0 to 22, which a double holds exactly: enough for any ratio that fits
   decimal(38, 12) #}
{% macro _power_of_ten(exponent) -%}
    cast(power(10, {{ exponent }}) as {{ wide_integer_type() }})
{%- endmacro %}

{# A whole-number type wide enough for the scaled operands (up to 38 digits) that int_div divides exactly:
   DuckDB's `//` turns DECIMAL into DOUBLE but keeps HUGEINT whole. #}
{% macro wide_integer_type() -%}
    {{ return(adapter.dispatch('wide_integer_type', 'emstat')()) }}
{%- endmacro %}

{% macro default__wide_integer_type() -%}
    decimal(38, 0)
{%- endmacro %}

{% macro duckdb__wide_integer_type() -%}
    hugeint
{%- endmacro %}
