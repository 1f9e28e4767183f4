"""The warehouse side of the appraisal: townships_2025.yaml written as the files a county would send
(fixtures/landing), loaded by the real `emstat ingest` and `emstat build`, read back by read_region_years.

The landing files hold the YAML's records under new codes (北山县 990321 of 北山市 990300, its townships
990321001…006 named as in the YAML) and a few records the reader must leave out: a written-off accident, a
2024 and a 2026 accident, a 2024 and a 2026 inspection, records filed against the county itself, a township
of the neighbouring 南坡县, a 2024 target and manual score, and a revoked penalty naming QS-J04, an
inspection that otherwise has no case. has_case_or_fine comes from 是否立案 (QS-J01, BS-J01) or from a
non-revoked decision naming the inspection (QS-J02 paid, BS-J01 paid, XL-J01 appealed, DH-J01 decided).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from appraisal_records import DEFAULT_SCHEME, accident, load_regions, region

from appraisal.inputs import read_region_years
from appraisal.records import RegionYear
from appraisal.rules import load_scheme
from appraisal.scoring import score_regions

pytestmark = pytest.mark.slow

LANDING = Path(__file__).parent / "fixtures" / "landing"
COUNTY = "990321"

# The YAML's townships (东湖县 990124…) under the codes the landing files give them.
TOWNSHIP_CODES = {
    "青山镇": "990321001",
    "白石镇": "990321002",
    "东湖镇": "990321003",
    "南山乡": "990321004",
    "西岭镇": "990321005",
    "北河乡": "990321006",
}

D = Decimal

# townships_2025.md: code → (total, grade, rank, veto reasons, section subtotals in the scheme's order).
HAND_COMPUTED = {
    "990321001": (D("98"), "优秀", 1, [], ["50", "18.0", "10", "10", "10"]),
    "990321002": (D("70"), "合格", 2, [], ["34", "10.0", "10", "9", "7"]),
    "990321003": (D("70"), "合格", 2, [], ["48", "4.7", "3.0", "9", "5.3"]),
    "990321004": (D("52.7"), "不合格", 4, [], ["26", "20", "6.7", "0", "0"]),
    "990321005": (D("99"), "不合格", 5, ["存在瞒报、谎报事故行为"], ["50", "20.0", "10", "9", "10"]),
    "990321006": (D("31.5"), "不合格", 6, ["发生较大生产安全事故2起以上"], ["0", "20", "0", "10", "1.5"]),
}


def expected_regions() -> list[RegionYear]:
    """townships_2025.yaml under the new codes, its records in the order the reader gives them: accidents by
    time, inspections by date (the landing files date them in id order), manual items by item name."""
    return [
        dataclasses.replace(
            r, code=TOWNSHIP_CODES[r.name], manual_scores=tuple(sorted(r.manual_scores, key=lambda m: m.item))
        )
        for r in load_regions()
    ]


@pytest.fixture(scope="module")
def published(shelf) -> Path:
    home = shelf.get("appraisal")
    summaries = [line for line in home.outputs[0].splitlines() if " rows: " in line]
    assert len(summaries) == len(list(LANDING.glob("*.csv"))), home.outputs[0]
    assert all(line.endswith(", 0 quarantined") for line in summaries), home.outputs[0]
    assert home.published.exists(), home.outputs[1]
    return home.published


@pytest.fixture(scope="module")
def con(published: Path):
    with duckdb.connect(str(published), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def read(con) -> list[RegionYear]:
    return read_region_years(con, 2025, COUNTY)


def test_nothing_is_quarantined(con):
    assert con.execute("select count(*) from raw.quarantine").fetchone() == (0,)


def test_the_left_out_records_are_in_the_warehouse(con):
    """The reader's filters are what leaves them out, not the load."""
    assert con.execute("""
        select accident_id, is_written_off, year(occurred_on), region_code from marts.fct_accidents
        where accident_id in ('QS-A90', 'BS-A90', 'XL-A90', 'BX-A90', 'NP-A01') order by accident_id
    """).fetchall() == [
        ("BS-A90", False, 2024, "990321002"),
        ("BX-A90", False, 2025, "990321"),
        ("NP-A01", False, 2025, "990322001"),
        ("QS-A90", True, 2025, "990321001"),
        ("XL-A90", False, 2026, "990321005"),
    ]
    assert con.execute("""
        select inspection_id, year(inspected_on), region_code from marts.fct_inspections
        where inspection_id in ('NS-J90', 'BH-J90', 'BX-J90') order by inspection_id
    """).fetchall() == [("BH-J90", 2026, "990321006"), ("BX-J90", 2025, "990321"), ("NS-J90", 2024, "990321004")]
    assert con.execute("""
        select inspection_id, is_revoked from marts.fct_penalties where inspection_id is not null
        order by inspection_id
    """).fetchall() == [("BS-J01", False), ("DH-J01", False), ("QS-J02", False), ("QS-J04", True), ("XL-J01", False)]
    assert con.execute("select count(*) from marts.fct_targets").fetchone() == (8,)
    assert con.execute("select count(*) from marts.fct_appraisal_manual").fetchone() == (17,)


def test_the_grades_given_are_the_grades_the_numbers_imply(con):
    assert con.execute("select accident_id from marts.fct_accidents where has_grade_mismatch").fetchall() == []
    yaml_grades = {a.accident_id: a.grade_code for r in load_regions() for a in r.accidents}
    graded = dict(con.execute("select accident_id, grade_code from marts.fct_accidents").fetchall())
    assert {i: graded[i] for i in yaml_grades} == yaml_grades


def test_the_county_reads_as_the_yaml(read):
    expected = expected_regions()
    assert [(r.code, r.name) for r in read] == [(r.code, r.name) for r in expected]
    for got, want in zip(read, expected, strict=True):
        assert got.year == want.year, got.name
        assert got.target == want.target, got.name
        assert got.accidents == want.accidents, got.name
        assert got.inspections == want.inspections, got.name
        assert got.manual_scores == want.manual_scores, got.name
    assert read == expected


def test_every_township_when_no_parent_is_named(con, read):
    """Without a parent every township is scored: 北山县's six and 南坡县's 南坡镇."""
    nanpo = region(
        code="990322001",
        name="南坡镇",
        accidents=(
            accident(
                "NP-A01",
                industry="fire",
                deaths=1,
                loss_yuan=20000,
                occurred_at="2025-05-05T05:00",
                reported_at="2025-05-05T05:30",
            ),
        ),
    )
    assert read_region_years(con, 2025) == [*read, nanpo]


def test_the_county_is_read_when_its_prefecture_is_named(con):
    """One level up, 北山县 is scored on every record of its townships and those filed against itself."""
    counties = {r.code: r for r in read_region_years(con, 2025, "990300")}
    assert sorted(counties) == ["990321", "990322"]
    beishan = counties["990321"]
    expected = expected_regions()
    assert sorted(a.accident_id for a in beishan.accidents) == sorted(
        [a.accident_id for r in expected for a in r.accidents] + ["BX-A90"]
    )
    assert sorted(i.inspection_id for i in beishan.inspections) == sorted(
        [i.inspection_id for r in expected for i in r.inspections] + ["BX-J90"]
    )
    assert beishan.target.max_deaths == 12
    assert [m.item for m in beishan.manual_scores] == ["安全生产会议"]


def test_the_scores_are_the_hand_computed_ones(read):
    scores = score_regions(read, load_scheme(DEFAULT_SCHEME))
    summary = {
        s.code: (s.total, s.grade, s.rank, [v.reason_zh for v in s.vetoes], list(s.sections.values())) for s in scores
    }
    assert summary == {
        code: (total, grade, rank, vetoes, [D(x) for x in sections])
        for code, (total, grade, rank, vetoes, sections) in HAND_COMPUTED.items()
    }
    assert [s.code for s in scores] == list(HAND_COMPUTED)
    assert {s.name: [(v.key, v.evidence) for v in s.vetoes] for s in scores if s.vetoes} == {
        "西岭镇": [("concealed_accident", ("XL-A01",))],
        "北河乡": [("repeated_larger_accidents", ("BH-A01", "BH-A03"))],
    }


def test_the_scores_equal_those_of_the_yaml_line_for_line(read):
    scheme = load_scheme(DEFAULT_SCHEME)
    assert score_regions(read, scheme) == score_regions(expected_regions(), scheme)
