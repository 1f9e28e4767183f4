"""`emstat appraise` on the warehouse built from the hand-counted townships (townships_2025.md): the ranking,
a what-if with an edited rules file that leaves the published warehouse alone, a malformed rules file in one
line, the workbook, and the appraisal tables the pipeline publishes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import openpyxl
import pytest

from tests.runner import run_emstat

pytestmark = pytest.mark.slow

DEFAULT_SCHEME = Path(__file__).parents[2] / "appraisal" / "schemes" / "default.yaml"
COUNTY = "990321"
# townships_2025.md: (code, name, total, grade, rank, vetoes), in rank order
HAND_COMPUTED = [
    ("990321001", "青山镇", 98, "优秀", 1, []),
    ("990321002", "白石镇", 70, "合格", 2, []),
    ("990321003", "东湖镇", 70, "合格", 2, []),
    ("990321004", "南山乡", 52.7, "不合格", 4, []),
    ("990321005", "西岭镇", 99, "不合格", 5, ["存在瞒报、谎报事故行为"]),
    ("990321006", "北河乡", 31.5, "不合格", 6, ["发生较大生产安全事故2起以上"]),
]


@pytest.fixture(scope="module")
def home(shelf) -> Path:
    return shelf.get("appraisal").root


def appraise(home: Path, *args: str) -> dict:
    done = run_emstat(home, "appraise", "--year", "2025", "--region", COUNTY, "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def summary(document: dict) -> list[tuple]:
    return [(r["code"], r["name"], r["total"], r["grade"], r["rank"], r["vetoes"]) for r in document["regions"]]


def test_the_ranking_equals_the_hand_count(home):
    document = appraise(home)
    assert document["year"] == 2025 and document["rules"] == str(DEFAULT_SCHEME)
    assert summary(document) == HAND_COMPUTED
    for region in document["regions"]:
        assert round(sum(line["points"] for line in region["lines"]), 4) == region["total"], region["name"]
        assert all(
            line["evidence"] for line in region["lines"] if line["rule"] == "larger_accidents" and line["points"]
        )


def test_a_what_if_changes_exactly_the_expected_scores_and_not_the_warehouse(home, tmp_path):
    published = home / "published" / "warehouse.duckdb"
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    edited = tmp_path / "每人扣3分.yaml"
    text = DEFAULT_SCHEME.read_text(encoding="utf-8")
    assert text.count("points_above: -2") == 1
    edited.write_text(text.replace("points_above: -2", "points_above: -3"), encoding="utf-8")
    what_if = appraise(home, "--rules", str(edited))
    # Deaths above target: 白石镇 by 3 → −3 more, 东湖镇 by 1 → −1, 南山乡 by 2 → −2; 北河乡's section is held at 0.
    assert summary(what_if) == [
        ("990321001", "青山镇", 98, "优秀", 1, []),
        ("990321003", "东湖镇", 69, "合格", 2, []),
        ("990321002", "白石镇", 67, "合格", 3, []),
        ("990321004", "南山乡", 50.7, "不合格", 4, []),
        ("990321005", "西岭镇", 99, "不合格", 5, ["存在瞒报、谎报事故行为"]),
        ("990321006", "北河乡", 31.5, "不合格", 6, ["发生较大生产安全事故2起以上"]),
    ]
    assert what_if["rules"] == str(edited)
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before


def test_a_malformed_rules_file_is_one_line_naming_file_and_line(home, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        DEFAULT_SCHEME.read_text(encoding="utf-8").replace("kind: doubling", "kind: tripling"), encoding="utf-8"
    )
    line = next(i for i, text in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1) if "tripling" in text)
    done = run_emstat(home, "appraise", "--year", "2025", "--rules", str(broken))
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(f"emstat: {broken}:{line}: ")
    assert "tripling" in done.stderr


def test_a_year_without_a_scheme_is_refused_in_one_line(home):
    done = run_emstat(home, "appraise", "--year", "2019")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"emstat: need exactly one rules file for 2019 in {DEFAULT_SCHEME.parent}, found: none"
    ]


def test_the_workbook_ranks_the_townships(home, tmp_path):
    path = tmp_path / "考核.xlsx"
    done = run_emstat(home, "appraise", "--year", "2025", "--region", COUNTY, "--format", "xlsx", "--output", str(path))
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "排名"
    assert set(book.sheetnames[1:]) == {name for _, name, *_ in HAND_COMPUTED}


def test_the_published_tables_hold_the_same_scores(home):
    with duckdb.connect(str(home / "published" / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select region_code, region_name, total, grade, rank_among_siblings, vetoes, scheme "
            "from appraisal.fct_appraisal_scores where year = 2025 and parent_code = ? "
            "order by rank_among_siblings, region_code",
            [COUNTY],
        ).fetchall()
        lines = con.execute(
            "select region_code, sum(points) from appraisal.fct_appraisal_lines where year = 2025 group by 1"
        ).fetchall()
    assert [
        (code, name, float(total), grade, rank, list(vetoes)) for code, name, total, grade, rank, vetoes, _ in rows
    ] == HAND_COMPUTED
    assert {scheme for *_, scheme in rows} == {"default.yaml"}
    totals = {code: float(total) for code, _, total, *_ in rows}
    assert {code: float(points) for code, points in lines if code in totals} == totals
