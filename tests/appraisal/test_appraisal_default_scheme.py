"""The default scheme on six townships, scored by the dbt appraisal models in the built warehouse, against the
hand computation in townships_2025.md."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from appraisal.rules import RulesError, scheme_for_year, shipped_schemes
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

DEFAULT_SCHEME = Path(__file__).parents[2] / "appraisal" / "schemes" / "default.yaml"
COUNTY = "990321"
D = Decimal

# code: (total, grade, rank, veto reasons, section subtotals in the scheme's order)
HAND_COMPUTED = {
    "990321001": (D("98"), "优秀", 1, [], ["50", "18.0", "10", "10", "10"]),
    "990321002": (D("70"), "合格", 2, [], ["34", "10.0", "10", "9", "7"]),
    "990321003": (D("70"), "合格", 2, [], ["48", "4.7", "3.0", "9", "5.3"]),
    "990321004": (D("52.7"), "不合格", 4, [], ["26", "20", "6.7", "0", "0"]),
    "990321005": (D("99"), "不合格", 5, ["存在瞒报、谎报事故行为"], ["50", "20.0", "10", "9", "10"]),
    "990321006": (D("31.5"), "不合格", 6, ["发生较大生产安全事故2起以上"], ["0", "20", "0", "10", "1.5"]),
}


@pytest.fixture(scope="module")
def document(shelf) -> dict:
    done = run_emstat(shelf.get("appraisal").root, "appraise", "--year", "2025", "--region", COUNTY, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout, parse_float=Decimal)


def test_every_township_matches_the_hand_computation(document):
    scored = {
        r["code"]: (D(r["total"]), r["grade"], r["rank"], r["vetoes"], list(r["sections"].values()))
        for r in document["regions"]
    }
    assert scored == {
        code: (total, grade, rank, vetoes, [D(x) for x in sections])
        for code, (total, grade, rank, vetoes, sections) in HAND_COMPUTED.items()
    }
    assert [r["code"] for r in document["regions"]] == list(HAND_COMPUTED)  # rank order, the tie by code


def test_lines_add_up_to_sections_and_total(document):
    for r in document["regions"]:
        assert sum(D(line["points"]) for line in r["lines"]) == D(r["total"]), r["name"]
        for key, subtotal in r["sections"].items():
            assert sum(D(line["points"]) for line in r["lines"] if line["section"] == key) == D(subtotal), key


def test_lines_name_their_records(document):
    nanshan = next(r for r in document["regions"] if r["name"] == "南山乡")
    assert [(line["rule"], D(line["points"]), line["evidence"]) for line in nanshan["lines"]] == [
        ("accident_control.start", D(50), []),
        ("deaths_against_target", D(-4), ["NS-A01", "NS-A02", "NS-A03"]),
        ("general_accidents_with_deaths", D(-5), ["NS-A02"]),
        ("larger_accidents", D(-15), ["NS-A01"]),
        ("rectification_rate", D(20), []),
        ("open_major_hazards", D(0), []),
        ("inspections_against_target", D("6.7"), ["NS-J01", "NS-J02"]),
        ("inspections_without_penalty", D(0), []),
        ("reporting.start", D(10), []),
        ("late_reports", D(-10), ["NS-A01", "NS-A03", "NS-A04", "NS-A05"]),
        ("work_targets", D(0), []),
    ]
    explained = {line["rule"]: line["explanation"] for line in nanshan["lines"]}
    assert explained["deaths_against_target"] == (
        "死亡(含失踪)7人(含直接经济损失1245万元折算2人)，死亡控制指标5人，超2人×-2"
    )
    assert explained["late_reports"] == "事故迟报4起：-1-2-4-8=-15，超过上限10分，按-10计"
    assert explained["work_targets"] == "未报送：安全生产会议、应急预案修订、应急演练、宣传培训，计0分"


def test_the_first_township_as_the_document_writes_it(document):
    assert document["year"] == 2025
    assert document["rules"] == str(DEFAULT_SCHEME)
    first = document["regions"][0]
    assert {k: first[k] for k in ("code", "name", "total", "grade", "rank", "vetoes", "sections")} == {
        "code": "990321001",
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


def test_the_default_scheme_is_found_by_year():
    assert scheme_for_year(2025).source == str(DEFAULT_SCHEME)
    with pytest.raises(LookupError, match="need exactly one rules file for 2023"):
        scheme_for_year(2023)


def test_two_rules_files_for_one_year_are_refused(tmp_path):
    """The build writes every shipped scheme and `emstat appraise` looks one up by year: both refuse a year two
    files cover, rather than one taking the first file and the other the second."""
    for name in ("a_2025.yaml", "b_2025.yaml"):
        (tmp_path / name).write_text(DEFAULT_SCHEME.read_text(encoding="utf-8"), encoding="utf-8")
    # default.yaml says its years on line 18
    expected = f"{tmp_path / 'b_2025.yaml'}:18: 2024 is also covered by a_2025.yaml; keep the year in one rules file"
    with pytest.raises(RulesError) as refused:
        shipped_schemes(tmp_path)
    assert str(refused.value) == expected
    with pytest.raises(RulesError, match="also covered by a_2025.yaml"):
        scheme_for_year(2025, tmp_path)


def test_vetoes_name_their_records(shelf):
    published = shelf.get("appraisal").root / "published" / "warehouse.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        cited = con.execute(
            "select region_code, rule_key, list(record_id order by evidence_order) from appraisal.fct_appraisal_evidence "
            "where year = 2025 and cited_for = 'veto' and region_code like '990321___' group by 1, 2 order by 1"
        ).fetchall()
    assert cited == [
        ("990321005", "concealed_accident", ["XL-A01"]),
        ("990321006", "repeated_larger_accidents", ["BH-A01", "BH-A03"]),
    ]
