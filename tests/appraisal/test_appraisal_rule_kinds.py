"""Each rule kind on a tiny dataset, points and evidence computed by hand in the comments."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from textwrap import dedent, indent

import pytest
from appraisal_records import accident, inspection, region

from appraisal.records import ManualScore, Target
from appraisal.rules import load_scheme
from appraisal.scoring import Line, score_rule

D = Decimal


@pytest.fixture
def rule_of(tmp_path: Path):
    """The one rule of a scheme made of this rule (YAML), in a section wide enough never to clamp."""

    def make(rule_yaml: str, manual_items: str = ""):
        path = tmp_path / "rules.yaml"
        path.write_text(
            "scheme: test\nyear: 2025\nsections:\n  - {key: s, name_zh: 测试, max: 1000}\n"
            + manual_items
            + "rules:\n  - key: r\n    name_zh: 规则\n    section: s\n"
            + indent(dedent(rule_yaml).strip(), "    ")
            + "\ngrades:\n  - name: 全部\n",
            encoding="utf-8",
        )
        return load_scheme(path).rules[0]

    return make


def scored(rule, **records) -> tuple[Decimal, tuple[str, ...], str]:
    line: Line = score_rule(rule, region(**records))
    return line.points, line.evidence, line.explanation_zh


# --------------------------------------------------------------------------------------------------------------
# per_unit
# --------------------------------------------------------------------------------------------------------------

ACCIDENTS = (
    accident("A1", grade="general", industry="road_traffic", deaths=2),
    accident("A2", grade="general", industry="construction", deaths=1, missing=1),
    accident("A3", grade="general", industry="road_traffic", deaths=3),
    accident("A4", grade="larger", industry="construction", deaths=3),
    accident("A5", grade="general", industry="fire", deaths=1),
)


def test_per_unit_deduction_with_a_filter(rule_of):
    rule = rule_of("""
        kind: per_unit
        metric: accidents
        where: {grade: [general], min_deaths: 2}
        points: -5
    """)
    # A1 (2), A2 (1 + 1 missing), A3 (3) → 3 × −5
    assert scored(rule, accidents=ACCIDENTS) == (D(-15), ("A1", "A2", "A3"), "规则3起×-5")


def test_per_unit_thresholds_by_industry(rule_of):
    road = rule_of("""
        kind: per_unit
        metric: accidents
        where: {industry: [road_traffic], min_deaths: 3}
        points: -5
    """)
    others = rule_of("""
        kind: per_unit
        metric: accidents
        where: {exclude_industry: [road_traffic], min_deaths: 2}
        points: -5
    """)
    assert scored(road, accidents=ACCIDENTS)[:2] == (D(-5), ("A3",))  # A1 has only 2
    assert scored(others, accidents=ACCIDENTS)[:2] == (D(-10), ("A2", "A4"))


def test_per_unit_counts_deaths_of_an_industry_group(rule_of):
    rule = rule_of("""
        kind: per_unit
        metric: deaths
        where: {industry_group: [industrial]}
        points: -1.5
    """)
    # construction is 工矿商贸: A2 (2), A4 (3) → 5 × −1.5
    assert scored(rule, accidents=ACCIDENTS) == (D("-7.5"), ("A2", "A4"), "规则5人×-1.5")


def test_per_unit_bonus_is_capped(rule_of):
    rule = rule_of("""
        kind: per_unit
        metric: inspections
        where: {with_hazards: true, has_case_or_fine: true}
        points: 0.5
        cap: 1
    """)
    inspections = [inspection(f"J{n}", found=1, case_or_fine=True) for n in range(1, 4)]
    inspections.append(inspection("J4", found=0, case_or_fine=True))
    # 3 × 0.5 = 1.5, held to the cap 1
    assert scored(rule, inspections=inspections) == (D(1), ("J1", "J2", "J3"), "规则3次×+0.5，超过上限1分，按+1计")


def test_per_unit_of_nothing_is_zero(rule_of):
    rule = rule_of("kind: per_unit\nmetric: accidents\npoints: -15")
    assert scored(rule) == (D(0), (), "规则0起×-15")
    assert not scored(rule)[0].is_signed()  # 0, not -0


# --------------------------------------------------------------------------------------------------------------
# against_target
# --------------------------------------------------------------------------------------------------------------

DEATHS_RULE = """
    kind: against_target
    metric: deaths
    target: max_deaths
    points_above: -2
    points_below: 1
    bonus_cap: 5
    loss_per_death_yuan: 5000000
"""


def test_deaths_above_target_with_loss_equivalence(rule_of):
    rule = rule_of(DEATHS_RULE)
    accidents = (
        accident("A1", deaths=3, loss_yuan=4_000_000),
        accident("A2", deaths=1, missing=1),
        accident("A3", loss_yuan="6000000.00"),
        accident("A4"),
    )
    # deaths 3 + 2 = 5; loss 10,000,000 → exactly 2 more → 7; target 5 → 2 above × −2
    assert scored(rule, accidents=accidents, target=Target(max_deaths=5)) == (
        D(-4),
        ("A1", "A2", "A3"),
        "死亡(含失踪)7人(含直接经济损失1000万元折算2人)，死亡控制指标5人，超2人×-2",
    )


def test_loss_just_under_the_equivalent_adds_nothing(rule_of):
    rule = rule_of(DEATHS_RULE)
    accidents = (accident("A1", deaths=1, loss_yuan="4999999.99"),)
    assert scored(rule, accidents=accidents, target=Target(max_deaths=1))[0] == D(0)


def test_deaths_below_target_earn_a_capped_bonus(rule_of):
    rule = rule_of(DEATHS_RULE)
    one = (accident("A1", deaths=1),)
    assert scored(rule, accidents=one, target=Target(max_deaths=4)) == (
        D(3),
        ("A1",),
        "死亡(含失踪)1人，死亡控制指标4人，低3人×+1",
    )
    assert scored(rule, accidents=one, target=Target(max_deaths=9)) == (
        D(5),
        ("A1",),
        "死亡(含失踪)1人，死亡控制指标9人，低8人×+1，超过上限5分，按+5计",
    )


def test_deaths_without_target_each_count(rule_of):
    rule = rule_of(DEATHS_RULE)
    accidents = (accident("A1", deaths=3),)
    assert scored(rule, accidents=accidents) == (D(-6), ("A1",), "死亡(含失踪)3人，未下达死亡控制指标，3人×-2")
    # a target of 0 is a target: the same deduction, said differently
    assert scored(rule, accidents=accidents, target=Target(max_deaths=0))[0] == D(-6)


def test_accidents_against_their_target(rule_of):
    rule = rule_of("kind: against_target\nmetric: accidents\ntarget: max_accidents\npoints_above: -1")
    accidents = (accident("A1"), accident("A2"), accident("A3"))
    assert scored(rule, accidents=accidents, target=Target(max_accidents=3)) == (
        D(0),
        ("A1", "A2", "A3"),
        "事故3起，事故起数控制指标3起，未超指标",
    )
    assert scored(rule, accidents=accidents, target=Target(max_accidents=1))[0] == D(-2)


# --------------------------------------------------------------------------------------------------------------
# ratio, target_ratio, share_above
# --------------------------------------------------------------------------------------------------------------

RATE_RULE = """
    kind: ratio
    numerator: hazards_rectified
    denominator: hazards_found
    points: 20
    round_to: 0.1
    when_denominator_zero: 20
"""


@pytest.mark.parametrize(
    ("rectified", "found", "points"),
    [
        (9, 10, "18.0"),
        (2, 3, "13.3"),  # 13.333…
        (1, 16, "1.3"),  # 1.25 exactly: half-up, not to even
        (17, 24, "14.2"),  # 14.1666…
        (0, 5, "0.0"),
    ],
)
def test_ratio_is_rounded_half_up(rule_of, rectified, found, points):
    rule = rule_of(RATE_RULE)
    inspections = (inspection("J1", found=found, rectified=rectified), inspection("J2"))
    assert scored(rule, inspections=inspections)[:2] == (D(points), ("J1",))


def test_ratio_explanation_and_nothing_to_divide(rule_of):
    rule = rule_of(RATE_RULE)
    inspections = (inspection("J1", found=4, rectified=1), inspection("J2", found=2, rectified=2))
    assert scored(rule, inspections=inspections)[2] == "已整改隐患3项/发现隐患6项(50%)，20×3/6=10"
    assert scored(rule, inspections=(inspection("J1"),)) == (D(20), (), "发现隐患0项，按20分计")


INSPECTIONS_RULE = """
    kind: target_ratio
    metric: inspections
    target: min_inspections
    points: 10
    without_target: {any: 10, none: 0}
"""


def test_target_ratio(rule_of):
    rule = rule_of(INSPECTIONS_RULE)
    seven = tuple(inspection(f"J{n}") for n in range(1, 8))
    assert scored(rule, inspections=seven, target=Target(min_inspections=12)) == (
        D("5.8"),
        tuple(f"J{n}" for n in range(1, 8)),
        "检查7次，执法检查目标12次，10×7/12=5.8",
    )
    assert scored(rule, inspections=seven, target=Target(min_inspections=7))[0] == D(10)
    assert scored(rule, inspections=seven, target=Target(min_inspections=0))[0] == D(10)


def test_target_ratio_without_target(rule_of):
    rule = rule_of(INSPECTIONS_RULE)
    assert scored(rule, inspections=(inspection("J1"),)) == (D(10), ("J1",), "检查1次，未下达执法检查目标，按10分计")
    assert scored(rule) == (D(0), (), "检查0次，未下达执法检查目标，按0分计")


SHARE_RULE = """
    kind: share_above
    metric: inspections
    base: {with_hazards: true}
    part: {has_case_or_fine: false}
    above: 0.5
    points: -3
"""


def test_share_above(rule_of):
    rule = rule_of(SHARE_RULE)
    inspections = [
        inspection("J1", found=2),
        inspection("J2", found=1),
        inspection("J3", found=1, case_or_fine=True),
        inspection("J4"),
    ]  # J4 found nothing: not in the base
    # 2 of 3 hazard-finding inspections without case or fine: 66.67% > 50%
    assert scored(rule, inspections=inspections) == (D(-3), ("J1", "J2"), "规则2/3次，占66.67%，超过50%，-3")
    # 2 of 4: exactly 50% is not above
    inspections.append(inspection("J5", found=3, case_or_fine=True))
    assert scored(rule, inspections=inspections) == (D(0), ("J1", "J2"), "规则2/4次，占50%，未超过50%")
    assert scored(rule, inspections=(inspection("J4"),)) == (D(0), (), "规则：无可计次数，不计分")


# --------------------------------------------------------------------------------------------------------------
# doubling, open_at_year_end, manual
# --------------------------------------------------------------------------------------------------------------

LATE_RULE = """
    kind: doubling
    metric: accidents
    where: {reported_after_hours: 1}
    first: -1
"""


def test_doubling_on_late_reports(rule_of):
    rule = rule_of(LATE_RULE)
    accidents = (
        accident("A1", occurred_at="2025-03-01T08:00", reported_at="2025-03-01T09:00"),  # exactly 1 h: on time
        accident("A2", occurred_at="2025-03-02T08:00", reported_at="2025-03-02T09:01"),  # 1 h 1 min: late
        accident("A3", occurred_at="2025-03-03T08:00"),  # no report time: not shown late
        accident("A4", occurred_at="2025-03-04T23:30", reported_at="2025-03-05T01:00"),
        accident("A5", occurred_at="2025-02-01T08:00", reported_at="2025-02-03T08:00"),
    )
    # late A5, A2, A4 in the order they occurred: −1 −2 −4
    assert scored(rule, accidents=accidents) == (D(-7), ("A5", "A2", "A4"), "规则3起：-1-2-4=-7")
    assert scored(rule, accidents=accidents[1:2]) == (D(-1), ("A2",), "规则1起：-1")
    assert scored(rule) == (D(0), (), "规则0起")


def test_doubling_factor_and_cap(rule_of):
    rule = rule_of(dedent(LATE_RULE) + "factor: 3\ncap: 10\n")
    late = tuple(
        accident(f"A{n}", occurred_at=f"2025-03-0{n}T08:00", reported_at=f"2025-03-0{n}T12:00") for n in range(1, 4)
    )
    # −1 −3 −9 = −13, held to −10
    assert scored(rule, accidents=late) == (D(-10), ("A1", "A2", "A3"), "规则3起：-1-3-9=-13，超过上限10分，按-10计")


def test_open_at_year_end(rule_of):
    major = rule_of("kind: open_at_year_end\nhazards: major\npoints: -2")
    every = rule_of("kind: open_at_year_end\nhazards: all\npoints: -0.5")
    inspections = (
        inspection("J1", found=3, major=1, rectified=3, rectified_on="2025-12-31"),  # done by year end: 0
        inspection("J2", found=4, major=2, rectified=4, rectified_on="2026-01-02"),  # done after: all 4 / 2 major
        inspection("J3", found=5, major=3, rectified=3),  # no date: 2 open, of them at most 2 major
        inspection("J4", found=2, major=1, rectified=2),  # no date, all rectified: 0
    )
    assert scored(major, inspections=inspections) == (D(-8), ("J2", "J3"), "年末未整改重大事故隐患4项×-2")
    assert scored(every, inspections=inspections) == (D(-3), ("J2", "J3"), "年末未整改隐患6项×-0.5")


MANUAL_ITEMS = """manual_items:
  - {item: 安全生产会议, max: 2.5}
  - {item: 应急演练, max: 2.5}
  - {item: 宣传培训, max: 5}
"""


def test_manual_items(rule_of):
    rule = rule_of("kind: manual", MANUAL_ITEMS)
    manual = (
        ManualScore("安全生产会议", D("3"), "召开6次"),
        ManualScore("宣传培训", D("4.25")),
        ManualScore("值班值守", D("1")),
    )
    # 3 held to 2.5, + 4.25; 应急演练 missing → 0; 值班值守 is not an item of the scheme
    assert scored(rule, manual=manual) == (
        D("6.75"),
        ("安全生产会议", "宣传培训"),
        "安全生产会议3分(召开6次)，超过满分2.5分，按2.5分计；宣传培训4.25分；未报送：应急演练，计0分；"
        "不在本项考核项目中，未计分：值班值守",
    )


def test_manual_rule_of_some_items(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        dedent("""
        scheme: test
        year: 2025
        sections:
          - {key: meetings, name_zh: 会议, max: 5}
          - {key: drills, name_zh: 演练, max: 5}
    """)
        + MANUAL_ITEMS
        + dedent("""
        rules:
          - {key: meetings, name_zh: 会议, section: meetings, kind: manual, items: [安全生产会议]}
          - {key: drills, name_zh: 演练, section: drills, kind: manual, items: [应急演练, 宣传培训]}
        grades:
          - name: 全部
    """),
        encoding="utf-8",
    )
    meetings, drills = load_scheme(path).rules
    manual = (ManualScore("安全生产会议", D(2)), ManualScore("应急演练", D(1)))
    assert scored(meetings, manual=manual)[:2] == (D(2), ("安全生产会议",))
    assert scored(drills, manual=manual) == (
        D(1),
        ("应急演练",),
        "应急演练1分；未报送：宣传培训，计0分；不在本项考核项目中，未计分：安全生产会议",
    )
