"""The appraisal of the six townships (townships_2025.md) as a workbook read back with openpyxl, and as text."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from appraisal.rules import load_scheme
from appraisal.sheets import appraisal_tables, sheet_names
from appraisal.text import print_appraisal
from appraisal.xlsx import write_appraisal_xlsx

DEFAULT_SCHEME = Path(__file__).parents[2] / "appraisal" / "schemes" / "default.yaml"
GOLDEN = Path(__file__).parent / "fixtures" / "golden"
SCHEME = load_scheme(DEFAULT_SCHEME)
SECTIONS = ["事故控制", "隐患治理", "执法检查", "信息报送", "工作目标"]
RANKING_HEAD = ["排名", "区划代码", "名称", "总分", "等级", *SECTIONS, "否决事项"]
SHEET_HEAD = ["考核项目", "评分细则", "得分", "说明", "依据记录"]
# townships_2025.md: rank, code, name, total, grade, section subtotals, vetoes
RANKING = [
    (1, "990321001", "青山镇", 98, "优秀", 50, 18, 10, 10, 10, None),
    (2, "990321002", "白石镇", 70, "合格", 34, 10, 10, 9, 7, None),
    (2, "990321003", "东湖镇", 70, "合格", 48, 4.7, 3, 9, 5.3, None),
    (4, "990321004", "南山乡", 52.7, "不合格", 26, 20, 6.7, 0, 0, None),
    (5, "990321005", "西岭镇", 99, "不合格", 50, 20, 10, 9, 10, "存在瞒报、谎报事故行为"),
    (6, "990321006", "北河乡", 31.5, "不合格", 0, 20, 0, 10, 1.5, "发生较大生产安全事故2起以上"),
]
HEADER_ROW = 4  # below the title, the caption and a blank row


def scored() -> dict:
    """The six townships as `emstat appraise --format json` printed them (the golden file the SQL scoring is held
    to), read back as JSON: the sheets only lay out what the scoring wrote."""
    document = json.loads((GOLDEN / "fixture_2025_county.json").read_text(encoding="utf-8"))
    return document | {"rules": str(DEFAULT_SCHEME)}


DOCUMENT = scored()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> openpyxl.Workbook:
    path = write_appraisal_xlsx(DOCUMENT, SCHEME, tmp_path_factory.mktemp("appraisal") / "考核结果_2025.xlsx")
    return openpyxl.load_workbook(path)


def rows(sheet, min_row: int = HEADER_ROW + 1) -> list[tuple]:
    """The rows of the first block, up to the blank row that ends it."""
    found = []
    for row in sheet.iter_rows(min_row=min_row, values_only=True):
        if all(v is None for v in row):
            break
        found.append(row)
    return found


def line_rows(sheet) -> list[tuple]:
    return [r for r in rows(sheet) if r[1] != "小计" and r[0] != "合计"]


def header(sheet, row: int = HEADER_ROW) -> list:
    return [c.value for c in sheet[row] if c.value is not None]


def test_sheet_names_and_header_rows(workbook):
    assert workbook.sheetnames == ["排名", "青山镇", "白石镇", "东湖镇", "南山乡", "西岭镇", "北河乡"]
    ranking = workbook["排名"]
    assert ranking["A1"].value == "排名"
    assert ranking["A2"].value == f"2025年度考核结果，考核办法：默认考核办法 (emstat default)（{DEFAULT_SCHEME}）"
    assert header(ranking) == RANKING_HEAD
    assert all(c.font.b for c in ranking[HEADER_ROW] if c.value is not None)
    for name in workbook.sheetnames[1:]:
        assert header(workbook[name]) == SHEET_HEAD, name
    assert workbook["南山乡"]["A2"].value == "990321004 2025年度 总分 52.7 等级 不合格 排名 4"


def test_ranking_rows_follow_the_hand_computation(workbook):
    ranking = workbook["排名"]
    assert rows(ranking) == RANKING  # vetoed 西岭镇 (99) and 北河乡 after every other; 白石镇 and 东湖镇 tied
    assert {
        c.number_format
        for row in ranking.iter_rows(min_row=HEADER_ROW + 1, min_col=4, max_col=10)
        for c in row
        if isinstance(c.value, int | float)
    } == {"0.0"}
    assert {ranking.cell(row, 1).number_format for row in range(HEADER_ROW + 1, HEADER_ROW + 7)} == {"0"}
    assert ranking["B5"].data_type == "s"  # the region code stays text: 990321001, never 9.9E+8


def test_each_region_sheet_adds_up_to_its_total(workbook):
    for region, sheet_name in zip(DOCUMENT["regions"], workbook.sheetnames[1:]):
        sheet = workbook[sheet_name]
        found = rows(sheet)
        assert found[-1][0] == "合计" and found[-1][2] == region["total"], sheet_name
        lines = line_rows(sheet)
        assert len(lines) == len(region["lines"])
        assert sum(Decimal(str(r[2])) for r in lines) == Decimal(str(region["total"])), sheet_name
        subtotals = [(r[0], r[2]) for r in found if r[1] == "小计"]
        assert subtotals == list(zip(SECTIONS, region["sections"].values())), sheet_name
        for name in SECTIONS:  # each 小计 is its section's lines added up
            section = [Decimal(str(r[2])) for r in lines if r[0] == name]
            assert sum(section) == Decimal(str(dict(subtotals)[name])), (sheet_name, name)
        assert {c.number_format for c in sheet["C"][HEADER_ROW : HEADER_ROW + len(found)]} == {"0.0"}


def test_a_score_sheet_line_by_line(workbook):
    assert line_rows(workbook["南山乡"]) == [
        ("事故控制", "基本分", 50, "事故控制 基本分50分，按规则扣减", None),
        (
            "事故控制",
            "死亡人数控制指标",
            -4,
            "死亡(含失踪)7人(含直接经济损失1245万元折算2人)，死亡控制指标5人，超2人×-2",
            "NS-A01、NS-A02、NS-A03",
        ),
        ("事故控制", "一般事故死亡2人以上", -5, "一般事故死亡2人以上1起×-5", "NS-A02"),
        ("事故控制", "较大事故", -15, "较大事故1起×-15", "NS-A01"),
        ("隐患治理", "隐患整改率", 20, "发现隐患0项，按20分计", None),
        ("隐患治理", "重大事故隐患年末未整改", 0, "年末未整改重大事故隐患0项×-2", None),
        ("执法检查", "执法检查完成情况", 6.7, "检查2次，执法检查目标3次，10×2/3=6.7", "NS-J01、NS-J02"),
        ("执法检查", "发现隐患未立案处罚", 0, "发现隐患未立案处罚：无可计次数，不计分", None),
        ("信息报送", "基本分", 10, "信息报送 基本分10分，按规则扣减", None),
        (
            "信息报送",
            "事故迟报",
            -10,
            "事故迟报4起：-1-2-4-8=-15，超过上限10分，按-10计",
            "NS-A01、NS-A03、NS-A04、NS-A05",
        ),
        ("工作目标", "工作目标完成情况", 0, "未报送：安全生产会议、应急预案修订、应急演练、宣传培训，计0分", None),
    ]
    assert [r for r in rows(workbook["南山乡"]) if r[1] == "小计"][0] == ("事故控制", "小计", 26, "满分50分", None)


def test_vetoes_are_listed_below_the_score_sheet(workbook):
    def vetoes(sheet) -> list:
        below = HEADER_ROW + len(rows(sheet)) + 2  # after the blank row ending the score sheet
        return [r[0] for r in rows(sheet, below)]

    assert {name: vetoes(workbook[name]) for name in workbook.sheetnames[1:]} == {
        "青山镇": [],
        "白石镇": [],
        "东湖镇": [],
        "南山乡": [],
        "西岭镇": ["否决事项", "存在瞒报、谎报事故行为"],
        "北河乡": ["否决事项", "发生较大生产安全事故2起以上"],
    }


def test_points_rounded_finer_keep_their_decimals(tmp_path: Path):
    finer = tmp_path / "finer.yaml"
    finer.write_text(
        DEFAULT_SCHEME.read_text(encoding="utf-8").replace("round_to: 0.1", "round_to: 0.01"), encoding="utf-8"
    )
    scheme = load_scheme(finer)
    # 南山乡's inspections against a target of 3: 10 × 2/3 is 6.67 at this step, and its total 52.67.
    document = scored()
    nanshan = next(r for r in document["regions"] if r["name"] == "南山乡")
    nanshan |= {"total": 52.67, "sections": nanshan["sections"] | {"enforcement": 6.67}}
    for line in nanshan["lines"]:
        if line["rule"] == "inspections_against_target":
            line["points"] = 6.67
    book = openpyxl.load_workbook(write_appraisal_xlsx(document, scheme, tmp_path / "finer.xlsx"))
    nanshan = next(r for r in rows(book["排名"]) if r[2] == "南山乡")
    assert (nanshan[3], nanshan[7]) == (52.67, 6.67)
    assert book["排名"]["D8"].number_format == "0.00"
    assert book["排名"]["D5"].number_format == "0.0"  # 青山镇's 98 keeps the usual one decimal


def test_sheet_names_fit_excel():
    regions = [
        {"code": "990321001", "name": "城关镇"},
        {"code": "990125001", "name": "城关镇"},  # same name, another county
        {"code": "990126001", "name": "排名"},  # would clash with the ranking sheet
        {"code": "990127001", "name": "新区/开发区[筹]"},  # characters Excel refuses
        {"code": "990128001", "name": "很" * 40},
        {"code": "990129001", "name": "'"},
    ]
    assert sheet_names(regions) == [
        "城关镇",
        "城关镇_990125001",
        "排名_990126001",
        "新区_开发区_筹_",
        "很" * 31,
        "990129001",
    ]


def test_the_write_is_atomic(tmp_path: Path, monkeypatch):
    target = tmp_path / "考核结果.xlsx"
    target.write_bytes(b"an earlier copy")

    def interrupted(*_):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr("core.files.os.replace", interrupted)
        with pytest.raises(OSError, match="disk full"):
            write_appraisal_xlsx(DOCUMENT, SCHEME, target)
    assert target.read_bytes() == b"an earlier copy"
    assert [p.name for p in tmp_path.iterdir()] == ["考核结果.xlsx"]  # no temporary file left beside it
    write_appraisal_xlsx(DOCUMENT, SCHEME, target)
    assert openpyxl.load_workbook(target).sheetnames[0] == "排名"
    assert [p.name for p in tmp_path.iterdir()] == ["考核结果.xlsx"]


def test_a_scheme_the_scores_did_not_come_from_is_refused(tmp_path: Path):
    other = tmp_path / "other.yaml"
    other.write_text(
        DEFAULT_SCHEME.read_text(encoding="utf-8").replace("key: late_reports", "key: late"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="other.yaml does not fit the scores of .*: late_reports; render with"):
        appraisal_tables(DOCUMENT, load_scheme(other))


def test_text_shows_every_region_in_full_on_a_narrow_terminal():
    console = Console(file=io.StringIO(), width=60, highlight=False, no_color=True)
    print_appraisal(DOCUMENT, SCHEME, console)
    text = console.file.getvalue()
    assert "…" not in text
    for region in DOCUMENT["regions"]:
        assert f"{region['name']}  {region['code']} 2025年度 总分 {region['total']:.1f}" in text
        for line in region["lines"]:  # every explanation on one line, uncut
            assert line["explanation"] in text
    ranking = next(line for line in text.splitlines() if "南山乡" in line)
    assert [cell.strip() for cell in ranking.split("│")[1:-1]] == [
        "4",
        "990321004",
        "南山乡",
        "52.7",
        "不合格",
        "26.0",
        "20.0",
        "6.7",
        "0.0",
        "0.0",
        "",
    ]
    assert "│ 合计     │                        │  52.7 │" in text
