"""Records + a scheme → each region's lines, section subtotals, total, grade, vetoes and rank. Pure functions.

Every point is a Line naming its rule, the records behind it and a Chinese explanation the team can read
out. Section bounds are lines too (基本分 at the start, an adjustment where a subtotal is clamped), so the
lines of a region always add up to its total. Points are exact Decimals; only ratios are rounded, half-up,
to the step the rule gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from appraisal.records import (
    ACCIDENT,
    INSPECTION,
    METRICS,
    TARGET_LABELS_ZH,
    InspectionRecord,
    RegionYear,
    measure,
    measure_records,
    records_of,
    select,
)
from appraisal.rules import (
    AgainstTarget,
    Doubling,
    Manual,
    OpenAtYearEnd,
    PerUnit,
    Ratio,
    Rule,
    Scheme,
    Section,
    ShareAbove,
    TargetRatio,
)


@dataclass(frozen=True)
class Line:
    rule: str  # the rule's key; "<section>.start" / "<section>.floor" / "<section>.max" for section bounds
    name_zh: str
    section: str
    points: Decimal
    evidence: tuple[str, ...]  # ids of the accidents, inspections or manual items behind the points
    explanation_zh: str


@dataclass(frozen=True)
class VetoHit:
    key: str
    reason_zh: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class RegionScore:
    code: str
    name: str
    year: int
    sections: dict[str, Decimal]  # section key → subtotal, in the scheme's order
    total: Decimal
    grade: str
    vetoes: tuple[VetoHit, ...]
    lines: tuple[Line, ...]
    rank: int | None = None  # set by rank_scores, which sees every region


# --------------------------------------------------------------------------------------------------------------
# Numbers as the team writes them
# --------------------------------------------------------------------------------------------------------------


def _n(value: Decimal | int) -> str:
    """A number without exponent or trailing zeros: 50, 2.5, 18.3."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def _signed(value: Decimal) -> str:
    return _n(value) if value < 0 else f"+{_n(value)}"


def _half_up(value: Fraction, step: Decimal) -> Decimal:
    """`value` to a multiple of `step`, halves away from zero (the rounding of 考核办法 and kpi-rules.md)."""
    steps = abs(value) / Fraction(step)
    whole = math.floor(steps + Fraction(1, 2))
    return step * (whole if value >= 0 else -whole)


def _percent(part: int, whole: int) -> str:
    return _n(_half_up(Fraction(part * 100, whole), Decimal("0.01")))


def _capped(points: Decimal, cap: Decimal | None) -> tuple[Decimal, str]:
    """Points held to ±cap, and the words saying so when they were."""
    if cap is None or abs(points) <= cap:
        return points, ""
    held = cap if points > 0 else -cap
    return held, f"，超过上限{_n(cap)}分，按{_signed(held)}计"


def _union(*evidence: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for ids in evidence for i in ids))


# --------------------------------------------------------------------------------------------------------------
# One line per rule
# --------------------------------------------------------------------------------------------------------------


def _line(rule: Rule, points: Decimal, evidence: tuple[str, ...], explanation: str) -> Line:
    # + 0 turns the -0 of "0 units × -5" into 0
    return Line(rule.key, rule.name_zh, rule.section, points + 0, evidence, explanation)


def _per_unit(rule: PerUnit, region: RegionYear) -> Line:
    counted = measure(region, rule.metric, rule.where)
    points, note = _capped(rule.points * counted.total, rule.cap)
    unit = METRICS[rule.metric].unit_zh
    return _line(rule, points, counted.evidence, f"{rule.name_zh}{counted.total}{unit}×{_signed(rule.points)}{note}")


def _against_target(rule: AgainstTarget, region: RegionYear) -> Line:
    accidents = select(region, ACCIDENT, rule.where)
    counted = measure_records(accidents, rule.metric)
    unit, label = METRICS[rule.metric].unit_zh, METRICS[rule.metric].label_zh
    total, described, evidence = counted.total, f"{label}{counted.total}{unit}", counted.evidence
    if rule.loss_per_death_yuan is not None:
        loss = sum((a.direct_loss_yuan for a in accidents), Decimal(0))
        extra = int(loss // rule.loss_per_death_yuan)
        total += extra
        evidence = _union(evidence, tuple(a.accident_id for a in accidents if a.direct_loss_yuan > 0))
        if extra:
            described = f"{label}{total}{unit}(含直接经济损失{_n(loss / 10_000)}万元折算{extra}{unit})"
    target = getattr(region.target, rule.target)
    if target is None:
        return _line(
            rule,
            rule.points_above * total,
            evidence,
            f"{described}，未下达{TARGET_LABELS_ZH[rule.target]}，{total}{unit}×{_signed(rule.points_above)}",
        )
    against = f"{described}，{TARGET_LABELS_ZH[rule.target]}{target}{unit}"
    if total > target:
        return _line(
            rule,
            rule.points_above * (total - target),
            evidence,
            f"{against}，超{total - target}{unit}×{_signed(rule.points_above)}",
        )
    if total < target and rule.points_below:
        points, note = _capped(rule.points_below * (target - total), rule.bonus_cap)
        return _line(rule, points, evidence, f"{against}，低{target - total}{unit}×{_signed(rule.points_below)}{note}")
    return _line(rule, Decimal(0), evidence, f"{against}，未超指标")


def _ratio(rule: Ratio, region: RegionYear) -> Line:
    records = select(region, METRICS[rule.denominator].record_kind, rule.where)
    numerator, denominator = measure_records(records, rule.numerator), measure_records(records, rule.denominator)
    num_label = f"{METRICS[rule.numerator].label_zh}{numerator.total}{METRICS[rule.numerator].unit_zh}"
    den_label = f"{METRICS[rule.denominator].label_zh}{denominator.total}{METRICS[rule.denominator].unit_zh}"
    if denominator.total == 0:
        return _line(rule, rule.when_denominator_zero, (), f"{den_label}，按{_n(rule.when_denominator_zero)}分计")
    points = _half_up(Fraction(rule.points) * numerator.total / denominator.total, rule.round_to)
    return _line(
        rule,
        points,
        _union(denominator.evidence, numerator.evidence),
        f"{num_label}/{den_label}({_percent(numerator.total, denominator.total)}%)，"
        f"{_n(rule.points)}×{numerator.total}/{denominator.total}={_n(points)}",
    )


def _target_ratio(rule: TargetRatio, region: RegionYear) -> Line:
    counted = measure(region, rule.metric, rule.where)
    metric, target = METRICS[rule.metric], getattr(region.target, rule.target)
    described = f"{metric.label_zh}{counted.total}{metric.unit_zh}"
    if target is None:
        points = rule.without_target_any if counted.total else rule.without_target_none
        return _line(
            rule, points, counted.evidence, f"{described}，未下达{TARGET_LABELS_ZH[rule.target]}，按{_n(points)}分计"
        )
    against = f"{described}，{TARGET_LABELS_ZH[rule.target]}{target}{metric.unit_zh}"
    if counted.total >= target:
        return _line(rule, rule.points, counted.evidence, f"{against}，已完成，得{_n(rule.points)}分")
    points = _half_up(Fraction(rule.points) * counted.total / target, rule.round_to)
    return _line(rule, points, counted.evidence, f"{against}，{_n(rule.points)}×{counted.total}/{target}={_n(points)}")


def _share_above(rule: ShareAbove, region: RegionYear) -> Line:
    kind, unit = METRICS[rule.metric].record_kind, METRICS[rule.metric].unit_zh
    base = measure_records(select(region, kind, rule.base), rule.metric)
    part = measure_records(select(region, kind, rule.base + rule.part), rule.metric)
    if base.total == 0:
        return _line(rule, Decimal(0), (), f"{rule.name_zh}：无可计{unit}数，不计分")
    share = f"{rule.name_zh}{part.total}/{base.total}{unit}，占{_percent(part.total, base.total)}%"
    if Fraction(part.total, base.total) > Fraction(rule.above):
        return _line(rule, rule.points, part.evidence, f"{share}，超过{_n(rule.above * 100)}%，{_signed(rule.points)}")
    return _line(rule, Decimal(0), part.evidence, f"{share}，未超过{_n(rule.above * 100)}%")


def _doubling(rule: Doubling, region: RegionYear) -> Line:
    counted = measure(region, rule.metric, rule.where)
    steps = [rule.first * rule.factor**i for i in range(counted.total)]
    points, note = _capped(sum(steps, Decimal(0)), rule.cap)
    unit = METRICS[rule.metric].unit_zh
    shown = "".join(_signed(step) for step in steps)
    sum_shown = f"：{shown}={_n(sum(steps, Decimal(0)))}" if len(steps) > 1 else (f"：{shown}" if steps else "")
    return _line(rule, points, counted.evidence, f"{rule.name_zh}{counted.total}{unit}{sum_shown}{note}")


def _open_hazards(inspection: InspectionRecord, year_end: date, major_only: bool) -> int:
    """Hazards of an inspection still open at year end. Rectified by then: none; rectified later: all it found;
    no date: those not rectified (kpi-rules.md, overdue hazards) — for major hazards, at most as many as
    remain open, on the reading that the major ones are the last rectified."""
    found = inspection.major_hazards_found if major_only else inspection.hazards_found
    if inspection.rectified_on is not None:
        return 0 if inspection.rectified_on <= year_end else found
    return max(0, min(found, inspection.hazards_found - inspection.hazards_rectified))


def _open_at_year_end(rule: OpenAtYearEnd, region: RegionYear) -> Line:
    year_end = date(region.year, 12, 31)
    major_only = rule.hazards == "major"
    still_open = [(i.inspection_id, _open_hazards(i, year_end, major_only)) for i in records_of(region, INSPECTION)]
    count = sum(n for _, n in still_open)
    points, note = _capped(rule.points * count, rule.cap)
    what = "重大事故隐患" if major_only else "隐患"
    return _line(
        rule, points, tuple(i for i, n in still_open if n), f"年末未整改{what}{count}项×{_signed(rule.points)}{note}"
    )


def _manual(rule: Manual, region: RegionYear) -> Line:
    given = {m.item: m for m in region.manual_scores}
    points, parts, missing = Decimal(0), [], []
    for item in rule.items:
        scored = given.get(item.item)
        if scored is None:
            missing.append(item.item)
            continue
        held = min(scored.score, item.max)
        points += held
        note = f"({scored.note})" if scored.note else ""
        over = f"，超过满分{_n(item.max)}分，按{_n(held)}分计" if held != scored.score else ""
        parts.append(f"{item.item}{_n(scored.score)}分{note}{over}")
    if missing:
        parts.append(f"未报送：{'、'.join(missing)}，计0分")
    unknown = sorted(set(given) - {item.item for item in rule.items})
    if unknown:
        parts.append(f"不在本项考核项目中，未计分：{'、'.join(unknown)}")
    evidence = tuple(item.item for item in rule.items if item.item in given)
    return _line(rule, points, evidence, "；".join(parts))


_SCORERS = {
    PerUnit: _per_unit,
    AgainstTarget: _against_target,
    Ratio: _ratio,
    TargetRatio: _target_ratio,
    ShareAbove: _share_above,
    Doubling: _doubling,
    OpenAtYearEnd: _open_at_year_end,
    Manual: _manual,
}


def score_rule(rule: Rule, region: RegionYear) -> Line:
    return _SCORERS[type(rule)](rule, region)


# --------------------------------------------------------------------------------------------------------------
# Sections, vetoes, regions, ranks
# --------------------------------------------------------------------------------------------------------------


def section_lines(section: Section, scheme: Scheme, region: RegionYear) -> tuple[list[Line], Decimal]:
    """The section's lines and its subtotal held to [floor, max], the clamp written as a line of its own."""
    lines = []
    if section.start:
        lines.append(
            Line(
                f"{section.key}.start",
                f"{section.name_zh}基本分",
                section.key,
                section.start,
                (),
                f"{section.name_zh} 基本分{_n(section.start)}分，按规则扣减",
            )
        )
    lines += [score_rule(rule, region) for rule in scheme.rules if rule.section == section.key]
    raw = sum((line.points for line in lines), Decimal(0))
    if raw > section.max:
        bound, label, words = section.max, "max", f"超过满分{_n(section.max)}分"
    elif section.floor is not None and raw < section.floor:
        bound, label, words = section.floor, "floor", f"低于下限{_n(section.floor)}分"
    else:
        return lines, raw
    lines.append(
        Line(
            f"{section.key}.{label}",
            f"{section.name_zh}得分调整",
            section.key,
            bound - raw,
            (),
            f"{section.name_zh} 小计{_n(raw)}分，{words}，按{_n(bound)}分计",
        )
    )
    return lines, bound


def find_vetoes(scheme: Scheme, region: RegionYear) -> tuple[VetoHit, ...]:
    hits = []
    for veto in scheme.vetoes:
        counted = measure(region, veto.metric, veto.where)
        if counted.total >= veto.at_least:
            hits.append(VetoHit(veto.key, veto.reason_zh, counted.evidence))
    return tuple(hits)


def score_region(region: RegionYear, scheme: Scheme) -> RegionScore:
    """One region's score, unranked (rank_scores ranks a whole set)."""
    if region.year not in scheme.years:
        years = ", ".join(map(str, scheme.years))
        raise ValueError(f"{scheme.source} is a scheme for {years}, not for {region.year}")
    lines: list[Line] = []
    subtotals: dict[str, Decimal] = {}
    for section in scheme.sections:
        section_part, subtotals[section.key] = section_lines(section, scheme, region)
        lines += section_part
    total = sum(subtotals.values(), Decimal(0))
    vetoes = find_vetoes(scheme, region)
    grade = scheme.grade_on_veto if vetoes else scheme.grade_of(total)
    return RegionScore(region.code, region.name, region.year, subtotals, total, grade, vetoes, tuple(lines))


def rank_scores(scores: list[RegionScore]) -> list[RegionScore]:
    """By total, highest first; equal totals share a rank (1, 1, 3); vetoed regions rank after all others,
    by total among themselves."""
    ordered = sorted(scores, key=lambda s: (bool(s.vetoes), -s.total, s.code))
    ranked: list[RegionScore] = []
    for position, score in enumerate(ordered, start=1):
        previous = ranked[-1] if ranked else None
        tied = previous is not None and (bool(previous.vetoes), previous.total) == (bool(score.vetoes), score.total)
        ranked.append(replace(score, rank=previous.rank if tied else position))
    return ranked


def score_regions(regions: list[RegionYear], scheme: Scheme) -> list[RegionScore]:
    """Every region scored and ranked, in rank order."""
    return rank_scores([score_region(region, scheme) for region in regions])


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def scores_as_json(year: int, scheme: Scheme, scores: list[RegionScore]) -> dict[str, object]:
    """The `--format json` document: scores in rank order, every line with its evidence."""
    return {
        "year": year,
        "rules": scheme.source,
        "regions": [
            {
                "code": s.code,
                "name": s.name,
                "total": _number(s.total),
                "grade": s.grade,
                "rank": s.rank,
                "vetoes": [v.reason_zh for v in s.vetoes],
                "sections": {key: _number(points) for key, points in s.sections.items()},
                "lines": [
                    {
                        "rule": line.rule,
                        "section": line.section,
                        "points": _number(line.points),
                        "evidence": list(line.evidence),
                        "explanation": line.explanation_zh,
                    }
                    for line in s.lines
                ],
            }
            for s in scores
        ],
    }
