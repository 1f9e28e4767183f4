"""The default scheme on six townships, against the hand computation in townships_2025.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from appraisal_records import DEFAULT_SCHEME, load_regions, region

from appraisal.rules import load_scheme, scheme_for_year
from appraisal.scoring import RegionScore, score_region, score_regions, scores_as_json

D = Decimal

# code: (total, grade, rank, veto reasons, section subtotals in the scheme's order)
HAND_COMPUTED = {
    "990124001": (D("98"), "优秀", 1, [], ["50", "18.0", "10", "10", "10"]),
    "990124002": (D("70"), "合格", 2, [], ["34", "10.0", "10", "9", "7"]),
    "990124003": (D("70"), "合格", 2, [], ["48", "4.7", "3.0", "9", "5.3"]),
    "990124004": (D("52.7"), "不合格", 4, [], ["26", "20", "6.7", "0", "0"]),
    "990124005": (D("99"), "不合格", 5, ["存在瞒报、谎报事故行为"], ["50", "20.0", "10", "9", "10"]),
    "990124006": (D("31.5"), "不合格", 6, ["发生较大生产安全事故2起以上"], ["0", "20", "0", "10", "1.5"]),
}


@pytest.fixture(scope="module")
def scores() -> list[RegionScore]:
    return score_regions(load_regions(), load_scheme(DEFAULT_SCHEME))


def _summary(scores: list[RegionScore]) -> dict[str, tuple]:
    return {
        s.code: (s.total, s.grade, s.rank, [v.reason_zh for v in s.vetoes], list(s.sections.values())) for s in scores
    }


def test_every_township_matches_the_hand_computation(scores):
    expected = {
        code: (total, grade, rank, vetoes, [D(x) for x in sections])
        for code, (total, grade, rank, vetoes, sections) in HAND_COMPUTED.items()
    }
    assert _summary(scores) == expected
    assert [s.code for s in scores] == list(HAND_COMPUTED)  # rank order, the tie by code


def test_lines_add_up_to_sections_and_total(scores):
    for s in scores:
        assert sum(line.points for line in s.lines) == s.total, s.name
        for key, subtotal in s.sections.items():
            assert sum(line.points for line in s.lines if line.section == key) == subtotal, (s.name, key)


def test_lines_name_their_records(scores):
    nanshan = next(s for s in scores if s.name == "南山乡")
    assert [(line.rule, line.points, line.evidence) for line in nanshan.lines] == [
        ("accident_control.start", D(50), ()),
        ("deaths_against_target", D(-4), ("NS-A01", "NS-A02", "NS-A03")),
        ("general_accidents_with_deaths", D(-5), ("NS-A02",)),
        ("larger_accidents", D(-15), ("NS-A01",)),
        ("rectification_rate", D(20), ()),
        ("open_major_hazards", D(0), ()),
        ("inspections_against_target", D("6.7"), ("NS-J01", "NS-J02")),
        ("inspections_without_penalty", D(0), ()),
        ("reporting.start", D(10), ()),
        ("late_reports", D(-10), ("NS-A01", "NS-A03", "NS-A04", "NS-A05")),
        ("work_targets", D(0), ()),
    ]
    explained = {line.rule: line.explanation_zh for line in nanshan.lines}
    assert explained["deaths_against_target"] == (
        "死亡(含失踪)7人(含直接经济损失1245万元折算2人)，死亡控制指标5人，超2人×-2"
    )
    assert explained["late_reports"] == "事故迟报4起：-1-2-4-8=-15，超过上限10分，按-10计"
    assert explained["work_targets"] == "未报送：安全生产会议、应急预案修订、应急演练、宣传培训，计0分"


def test_vetoes_name_their_records(scores):
    assert {s.name: [(v.key, v.evidence) for v in s.vetoes] for s in scores if s.vetoes} == {
        "西岭镇": [("concealed_accident", ("XL-A01",))],
        "北河乡": [("repeated_larger_accidents", ("BH-A01", "BH-A03"))],
    }


def test_one_number_changed_changes_exactly_the_expected_scores(tmp_path: Path, scores):
    text = DEFAULT_SCHEME.read_text(encoding="utf-8")
    assert text.count("points_above: -2") == 1
    edited = tmp_path / "what-if.yaml"
    edited.write_text(text.replace("points_above: -2", "points_above: -3"), encoding="utf-8")
    what_if = score_regions(load_regions(), load_scheme(edited))
    before = {s.code: (s.total, s.rank) for s in scores}
    after = {s.code: (s.total, s.rank) for s in what_if}
    changed = {code: (before[code][0], after[code][0]) for code in before if before[code][0] != after[code][0]}
    assert changed == {
        "990124002": (D(70), D(67)),
        "990124003": (D(70), D(69)),
        "990124004": (D("52.7"), D("50.7")),
    }
    assert {code: rank for code, (_, rank) in after.items()} == {
        "990124001": 1,
        "990124003": 2,
        "990124002": 3,
        "990124004": 4,
        "990124005": 5,
        "990124006": 6,
    }
    beihe = next(s for s in what_if if s.code == "990124006")
    assert [line.points for line in beihe.lines if line.rule == "accident_control.floor"] == [D(15)]


def test_json_document(scores):
    document = scores_as_json(2025, load_scheme(DEFAULT_SCHEME), scores)
    assert document["year"] == 2025
    assert document["rules"] == str(DEFAULT_SCHEME)
    first = document["regions"][0]
    assert {k: first[k] for k in ("code", "name", "total", "grade", "rank", "vetoes", "sections")} == {
        "code": "990124001",
        "name": "青山镇",
        "total": 98,
        "grade": "优秀",
        "rank": 1,
        "vetoes": [],
        "sections": {
            "accident_control": 50,
            "hazard_governance": 18,
            "enforcement": 10,
            "reporting": 10,
            "work_targets": 10,
        },
    }
    assert first["lines"][1] == {
        "rule": "deaths_against_target",
        "section": "accident_control",
        "points": 2,
        "evidence": ["QS-A01"],
        "explanation": "死亡(含失踪)1人，死亡控制指标3人，低2人×+1",
    }
    beihe = document["regions"][5]
    assert (beihe["total"], beihe["vetoes"]) == (31.5, ["发生较大生产安全事故2起以上"])


def test_the_default_scheme_is_found_by_year():
    assert scheme_for_year(2025).source == str(DEFAULT_SCHEME)
    with pytest.raises(LookupError, match="need exactly one rules file for 2023"):
        scheme_for_year(2023)


def test_a_region_of_another_year_is_refused():
    with pytest.raises(ValueError, match="is a scheme for 2024, 2025, 2026, not for 2027"):
        score_region(region(year=2027), load_scheme(DEFAULT_SCHEME))
