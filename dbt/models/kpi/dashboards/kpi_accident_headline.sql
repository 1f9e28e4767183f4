-- The cockpit's headline: one row per figure with this period, 去年同期 and the change as a bulletin states it
-- (▲ up, ▼ down, 持平 flat; no percentage on a zero base). Figures are the published ones of kpi_accident_yoy,
-- shown as text so counts keep no decimals and 万元 keep two.
{% set figures = [
    ('accidents', '事故起数(起)', 'count'),
    ('deaths', '死亡人数(人)', 'count'),
    ('missing', '失踪人数(人)', 'count'),
    ('injuries', '受伤人数(人)', 'count'),
    ('direct_loss_10k_yuan', '直接经济损失(万元)', 'money'),
    ('larger_and_above_accidents', '较大及以上事故(起)', 'count'),
] %}
with yoy as (
    select * from {{ ref('kpi_accident_yoy') }} where industry_scope = 'all'
),

figures as (
    {% for key, label, kind in figures %}
    select
        period_key,
        period_label_zh,
        region_code,
        region_name,
        {{ loop.index }} as display_order,
        '{{ key }}' as figure_key,
        '{{ label }}' as figure_label_zh,
        cast({{ key }} as decimal(18, 2)) as value,
        cast({{ key }}_previous as decimal(18, 2)) as value_previous,
        {{ key }}_change_pct as change_pct,
        '{{ kind }}' as figure_kind
    from yoy
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    period_key,
    period_label_zh,
    region_code,
    region_name,
    display_order,
    figure_key,
    figure_label_zh,
    value,
    value_previous,
    change_pct,
    case figure_kind when 'money' then cast(value as varchar) else cast(cast(value as bigint) as varchar) end
        as value_text,
    case figure_kind when 'money' then cast(value_previous as varchar)
        else cast(cast(value_previous as bigint) as varchar) end as value_previous_text,
    case
        when value = value_previous then '持平'
        when change_pct is null then case when value > value_previous then '▲ 去年同期为0' end
        when change_pct > 0 then '▲ ' || cast(change_pct as varchar) || '%'
        else '▼ ' || cast(abs(change_pct) as varchar) || '%'
    end as change_text_zh
from figures
