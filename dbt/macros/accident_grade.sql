{# Legal grade of a production-safety accident (生产安全事故报告和调查处理条例 第三条): the highest grade
   reached by deaths + missing, serious injuries or direct loss in yuan wins. "以上" includes the bound. #}
{% macro accident_grade(deaths_and_missing, serious_injuries, direct_loss_yuan) -%}
    case
        when {{ deaths_and_missing }} >= 30 or {{ serious_injuries }} >= 100
             or {{ direct_loss_yuan }} >= 100000000 then 'especially_major'
        when {{ deaths_and_missing }} >= 10 or {{ serious_injuries }} >= 50
             or {{ direct_loss_yuan }} >= 50000000 then 'major'
        when {{ deaths_and_missing }} >= 3 or {{ serious_injuries }} >= 10
             or {{ direct_loss_yuan }} >= 10000000 then 'larger'
        else 'general'
    end
{%- endmacro %}
