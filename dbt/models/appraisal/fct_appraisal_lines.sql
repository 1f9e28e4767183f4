{# One row per line of a region's score sheet: a section's 基本分, each rule applied, and the adjustment that holds
   a section's subtotal to [floor, max], so the lines of a region always add up to its total. Besides the points,
   the figures the Chinese explanation reads out (appraisal/explain.py words them; it computes nothing). #}
with measures as (
    select * from {{ ref('int_appraisal__measures') }}
),

rules as (
    select * from {{ source('appraisal_rules', 'rules') }}
),

sections as (
    select * from {{ source('appraisal_rules', 'sections') }}
),

applied as (
    select
        measures.*,
        rules.points as rule_points,
        rules.cap,
        rules.bonus_cap,
        rules.points_above,
        rules.points_below,
        -- against a target, every so many yuan of direct loss counts as one more death
        case when rules.loss_per_death_yuan is null then 0
             else cast(measures.loss_yuan * 100 as hugeint) // cast(rules.loss_per_death_yuan * 100 as hugeint)
        end as loss_counted,
        case when measures.kind = 'doubling'
             then list_transform(range(cast(measures.total as bigint)),
                                 i -> rules.first_points * cast(power(rules.factor, i) as decimal(38, 4)))
        end as steps,
        rules.round_to,
        rules.when_denominator_zero,
        rules.without_target_any,
        rules.without_target_none,
        rules.above,
        rules.loss_per_death_yuan,
        rules.major_only,
        rules.name_zh,
        rules.metric_label_zh,
        rules.unit_zh,
        rules.numerator_label_zh,
        rules.numerator_unit_zh,
        rules.target_label_zh
    from measures
    inner join rules on rules.scheme = measures.scheme and rules.rule_key = measures.rule_key
),

uncapped as (
    select
        applied.*,
        applied.total + applied.loss_counted as against_total,
        case applied.kind
            when 'per_unit' then applied.rule_points * applied.total
            when 'doubling' then coalesce(list_sum(applied.steps), 0)
            when 'open_at_year_end' then applied.rule_points * applied.open_hazards
            when 'against_target' then case
                when applied.target_value is not null
                    and applied.total + applied.loss_counted < applied.target_value
                    and coalesce(applied.points_below, 0) <> 0
                then applied.points_below * (applied.target_value - applied.total - applied.loss_counted)
            end
        end as raw_points,
        case applied.kind
            when 'ratio' then case when applied.total > 0
                then {{ appraisal_half_up(100, 'applied.numerator_total', 'applied.total', 0.01) }} end
            when 'share_above' then case when applied.base_total > 0
                then {{ appraisal_half_up(100, 'applied.part_total', 'applied.base_total', 0.01) }} end
        end as percent
    from applied
),

rule_lines as (
    select
        uncapped.*,
        case
            when kind in ('per_unit', 'doubling', 'open_at_year_end') then {{ appraisal_capped('raw_points', 'cap') }}
            when kind = 'against_target' then case
                when target_value is null then points_above * against_total
                when against_total > target_value then points_above * (against_total - target_value)
                when raw_points is not null then {{ appraisal_capped('raw_points', 'bonus_cap') }}
                else 0
            end
            when kind = 'ratio' then case
                when total = 0 then when_denominator_zero
                else {{ appraisal_half_up('rule_points', 'numerator_total', 'total', 'round_to') }}
            end
            when kind = 'target_ratio' then case
                when target_value is null then case when total > 0 then without_target_any else without_target_none end
                when total >= target_value then rule_points
                else {{ appraisal_half_up('rule_points', 'total', 'target_value', 'round_to') }}
            end
            when kind = 'share_above' then case
                when base_total > 0 and part_total > above * base_total then rule_points else 0
            end
            when kind = 'manual' then manual_points
        end as points
    from uncapped
),

worded as (
    select
        rule_lines.*,
        -- the words of a capped line: which cap held it, and at what
        case when coalesce(raw_points <> points, false)
             then '，超过上限' || {{ appraisal_n("case when kind = 'against_target' then bonus_cap else cap end") }}
                  || '分，按' || {{ appraisal_signed('points') }} || '计'
             else '' end as capped_note,
        metric_label_zh || cast(total as varchar) || unit_zh as counted_zh,
        metric_label_zh || cast(against_total as varchar) || unit_zh
            || case when loss_counted > 0
                    then '(含直接经济损失' || {{ appraisal_10k_yuan('loss_yuan') }} || '万元折算'
                         || cast(loss_counted as varchar) || unit_zh || ')'
                    else '' end as against_zh,
        target_label_zh || cast(target_value as varchar) || unit_zh as target_zh
    from rule_lines
),

explained as (
    select
        worded.*,
        case kind
            when 'per_unit' then name_zh || cast(total as varchar) || unit_zh || '×' || {{ appraisal_signed('rule_points') }}
                || capped_note
            when 'against_target' then case
                when target_value is null then against_zh || '，未下达' || target_label_zh || '，'
                    || cast(against_total as varchar) || unit_zh || '×' || {{ appraisal_signed('points_above') }}
                when against_total > target_value then against_zh || '，' || target_zh || '，超'
                    || cast(against_total - target_value as varchar) || unit_zh || '×'
                    || {{ appraisal_signed('points_above') }}
                when raw_points is not null then against_zh || '，' || target_zh || '，低'
                    || cast(target_value - against_total as varchar) || unit_zh || '×'
                    || {{ appraisal_signed('points_below') }} || capped_note
                else against_zh || '，' || target_zh || '，未超指标'
            end
            when 'ratio' then case
                when total = 0 then counted_zh || '，按' || {{ appraisal_n('when_denominator_zero') }} || '分计'
                else numerator_label_zh || cast(numerator_total as varchar) || numerator_unit_zh || '/' || counted_zh
                    || '(' || {{ appraisal_n('percent') }} || '%)，' || {{ appraisal_n('rule_points') }} || '×'
                    || cast(numerator_total as varchar) || '/' || cast(total as varchar) || '='
                    || {{ appraisal_n('points') }}
            end
            when 'target_ratio' then case
                when target_value is null then counted_zh || '，未下达' || target_label_zh || '，按'
                    || {{ appraisal_n('points') }} || '分计'
                when total >= target_value then counted_zh || '，' || target_zh || '，已完成，得'
                    || {{ appraisal_n('rule_points') }} || '分'
                else counted_zh || '，' || target_zh || '，' || {{ appraisal_n('rule_points') }} || '×'
                    || cast(total as varchar) || '/' || cast(target_value as varchar) || '=' || {{ appraisal_n('points') }}
            end
            when 'share_above' then case
                when base_total = 0 then name_zh || '：无可计' || unit_zh || '数，不计分'
                else name_zh || cast(part_total as varchar) || '/' || cast(base_total as varchar) || unit_zh || '，占'
                    || {{ appraisal_n('percent') }} || '%，'
                    || case when part_total > above * base_total
                            then '超过' || {{ appraisal_n('above * 100') }} || '%，' || {{ appraisal_signed('rule_points') }}
                            else '未超过' || {{ appraisal_n('above * 100') }} || '%' end
            end
            when 'doubling' then name_zh || cast(total as varchar) || unit_zh
                || case when len(steps) = 0 then ''
                        else '：' || array_to_string(list_transform(steps, step -> {{ appraisal_signed('step') }}), '')
                             || case when len(steps) > 1 then '=' || {{ appraisal_n('raw_points') }} else '' end
                   end
                || capped_note
            when 'open_at_year_end' then '年末未整改' || case when major_only then '重大事故隐患' else '隐患' end
                || cast(open_hazards as varchar) || '项×' || {{ appraisal_signed('rule_points') }} || capped_note
        end as explanation_zh
    from worded
),

section_sums as (
    select
        measures.scheme, measures.year, measures.region_code, sections.section_key, sections.ordinal,
        sections.name_zh, sections.start_points, sections.max_points, sections.floor_points,
        sections.start_points + coalesce(sum(rule_lines.points), 0) as raw_subtotal
    from (select distinct scheme, year, region_code, parent_code from measures) as measures
    inner join sections on sections.scheme = measures.scheme
    left join rule_lines
        on rule_lines.scheme = measures.scheme and rule_lines.year = measures.year
        and rule_lines.region_code = measures.region_code and rule_lines.section_key = sections.section_key
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
),

-- A subtotal beyond the section's bounds is held to the bound it crossed.
bounded as (
    select
        *,
        case when raw_subtotal > max_points then 'max' else 'floor' end as bound_kind,
        case when raw_subtotal > max_points then max_points else floor_points end as bound
    from section_sums
    where raw_subtotal > max_points or (floor_points is not null and raw_subtotal < floor_points)
),

manual_items as (
    select * from {{ ref('int_appraisal__manual_items') }}
),

manual_unknown as (
    select measures.scheme, measures.year, measures.region_code, measures.rule_key,
           string_agg(given.item, '、' order by given.item) as unknown_zh
    from measures
    inner join {{ ref('fct_appraisal_manual') }} as given
        on given.region_code = measures.region_code and given.year = measures.year
    where measures.kind = 'manual'
        and given.item not in (
            select items.item from {{ source('appraisal_rules', 'manual_items') }} as items
            where items.scheme = measures.scheme and items.rule_key = measures.rule_key
        )
    group by all
),

-- Each item the team scored (held to its maximum), those not sent in, those the rule does not score.
manual_words as (
    select
        manual_items.scheme, manual_items.year, manual_items.region_code, manual_items.rule_key,
        concat_ws(
            '；',
            string_agg(
                case when manual_items.score is not null then
                    manual_items.item || {{ appraisal_n('manual_items.score') }} || '分'
                    || case when coalesce(manual_items.note, '') <> '' then '(' || manual_items.note || ')' else '' end
                    || case when manual_items.score > manual_items.max_points
                            then '，超过满分' || {{ appraisal_n('manual_items.max_points') }} || '分，按'
                                 || {{ appraisal_n('manual_items.max_points') }} || '分计'
                            else '' end
                end, '；' order by manual_items.ordinal),
            '未报送：' || string_agg(case when manual_items.score is null then manual_items.item end, '、'
                                    order by manual_items.ordinal) || '，计0分',
            '不在本项考核项目中，未计分：' || any_value(manual_unknown.unknown_zh)
        ) as explanation_zh
    from manual_items
    left join manual_unknown
        on manual_unknown.scheme = manual_items.scheme and manual_unknown.year = manual_items.year
        and manual_unknown.region_code = manual_items.region_code and manual_unknown.rule_key = manual_items.rule_key
    group by 1, 2, 3, 4
),

lines as (
    select
        explained.scheme, explained.year, explained.region_code, explained.section_key,
        sections.name_zh as section_name_zh, explained.rule_key as rule, explained.kind,
        sections.ordinal as section_ordinal, explained.rule_ordinal as line_order,
        explained.points + 0 as points,
        coalesce(explained.explanation_zh, manual_words.explanation_zh, '') as explanation_zh
    from explained
    inner join sections on sections.scheme = explained.scheme and sections.section_key = explained.section_key
    left join manual_words
        on manual_words.scheme = explained.scheme and manual_words.year = explained.year
        and manual_words.region_code = explained.region_code and manual_words.rule_key = explained.rule_key

    union all

    select
        scheme, year, region_code, section_key, name_zh, section_key || '.start', 'start', ordinal, 0, start_points,
        name_zh || ' 基本分' || {{ appraisal_n('start_points') }} || '分，按规则扣减'
    from section_sums
    where start_points <> 0

    union all

    select
        scheme, year, region_code, section_key, name_zh, section_key || '.' || bound_kind, bound_kind, ordinal,
        1000000, bound - raw_subtotal,
        name_zh || ' 小计' || {{ appraisal_n('raw_subtotal') }} || '分，'
            || case when bound_kind = 'max' then '超过满分' || {{ appraisal_n('max_points') }} || '分'
                    else '低于下限' || {{ appraisal_n('floor_points') }} || '分' end
            || '，按' || {{ appraisal_n('bound') }} || '分计'
    from bounded
)

select
    scheme, year, region_code,
    row_number() over (partition by scheme, year, region_code order by section_ordinal, line_order) as line_number,
    section_key, section_name_zh, rule, kind, points, explanation_zh
from lines
