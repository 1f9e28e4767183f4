"""report.xlsx: the workbook written to disk and read back with openpyxl."""

from __future__ import annotations

import openpyxl
import pytest

from report.tables import Labels
from report.xlsx import write_xlsx
from tests.report_formats.donghu import REPORT

LABELS = Labels.from_code_lists()
CAPTION = "东湖县 2025年1月1日至5月31日，去年同期 2024年1月1日至5月31日，数据截至 2025-06-10"

COMPARED = {"value": "本期", "previous": "去年同期", "change": "增减", "change_pct": "增减%"}
RATIO = {"value": "本期", "previous": "去年同期", "change": "增减"}


def grouped(first: str, *names: str) -> list[str]:
    return [first] + [f"{name} {column}" for name in names for column in COMPARED.values()]


INDICATORS = ["指标", "本期", "去年同期", "增减", "增减%"]
HEADERS = {
    "事故分行业统计表": [grouped("行业", "事故起数", "死亡人数", "失踪人数", "受伤人数"), INDICATORS],
    "事故分乡镇统计表": [grouped("乡镇", "事故起数", "死亡人数", "失踪人数", "受伤人数")],
    "执法检查统计表": [INDICATORS],
    "救灾资金发放统计表": [grouped("项目", "金额(万元)", "户数", "人数"), ["指标", "本期", "去年同期", "增减"]],
    "自然灾害灾情统计表": [
        INDICATORS,
        grouped("灾种", "灾害事件(次)", "受灾人口(人次)", "死亡人口(人)", "失踪人口(人)", "直接经济损失(万元)"),
    ],
    "主要指标": [["指标", "本期", "去年同期", "增减", "备注"]],
}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> openpyxl.Workbook:
    path = write_xlsx(REPORT, LABELS, tmp_path_factory.mktemp("xlsx") / "东湖县_2025年1-5月.xlsx")
    return openpyxl.load_workbook(path)


def blocks(sheet) -> list[list[tuple]]:
    """The stacked blocks below the title, the caption and a blank row: a header row and its rows each."""
    found: list[list[tuple]] = [[]]
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if any(v is not None for v in row):
            found[-1].append(row)
        elif found[-1]:
            found.append([])
    return [b for b in found if b]


def header(row: tuple) -> list[str]:
    return [v for v in row if v is not None]


def cells(sheet) -> dict[tuple[str, str], object]:
    """(row label, column header) -> cell value, over every block of the sheet."""
    out = {}
    for block in blocks(sheet):
        for row in block[1:]:
            for name, value in zip(header(block[0])[1:], row[1:]):
                out[(row[0], name)] = value
    return out


def test_sheets_headers_and_title_lines(workbook):
    assert workbook.sheetnames == ["说明", *HEADERS]
    for name, expected in HEADERS.items():
        sheet = workbook[name]
        assert (sheet["A1"].value, sheet["A2"].value) == (name, CAPTION)
        assert [header(b[0]) for b in blocks(sheet)] == expected
        header_row = next(sheet.iter_rows(min_row=4, max_row=4))
        assert all(c.font.b for c in header_row if c.value is not None)


def test_note_sheet_holds_the_bulletin_text_and_the_footnote(workbook):
    sheet = workbook["说明"]
    assert sheet["A1"].value == "东湖县应急管理统计报表"
    assert sheet["A2"].value == CAPTION
    assert sheet["A4"].value == REPORT["text"]
    assert sheet["A6"].value == (
        "注：本期与去年同期均按2025年6月10日的行政区划统计（可比口径），区划以2025年6月10日所知为准。"
        "石桥乡自2025年3月1日起由西山县划入东湖县，其本期与去年同期数据均计入东湖县。"
    )


def test_numbers_are_numbers_with_their_formats(workbook):
    enforcement = workbook["执法检查统计表"]
    row = next(r for r in enforcement.iter_rows(min_row=5) if r[0].value == "罚款金额(万元)")
    assert [c.value for c in row] == ["罚款金额(万元)", 12.35, 8.6, 3.75, 43.6]
    assert [c.number_format for c in row[1:]] == ["0.00", "0.00", "+0.00;-0.00;0.00", "+0.00;-0.00;0.00"]
    inspections = next(r for r in enforcement.iter_rows(min_row=5) if r[0].value == "检查次数")
    assert [c.number_format for c in inspections[1:]] == ["0", "0", "+0;-0;0", "+0.00;-0.00;0.00"]
    rate = next(r for r in enforcement.iter_rows(min_row=5) if r[0].value == "整改率(%)")
    assert [c.value for c in rate] == ["整改率(%)", 92.86, 80, 12.86, None]
    assert rate[3].number_format == '+0.00"个百分点";-0.00"个百分点";0.00"个百分点"'
    rates = cells(workbook["主要指标"])
    assert (rates[("亿元GDP生产安全事故死亡率", "本期")], rates[("亿元GDP生产安全事故死亡率", "备注")]) == (
        "—",
        "本期基数缺失",
    )
    shown = next(r for r in workbook["主要指标"].iter_rows(min_row=5) if r[0].value == "道路交通万车死亡率")
    assert [c.number_format for c in shown[1:4]] == ["0.0000", "0.0000", "+0.0000;-0.0000;0.0000"]


def test_columns_are_wide_enough_for_chinese(workbook):
    sheet = workbook["事故分行业统计表"]
    assert sheet.column_dimensions["A"].width >= len("其中：建筑施工") * 2
    assert sheet.column_dimensions["C"].width >= len("事故起数 去年同期") * 2 - 1


def expected_cells(report: dict) -> list[tuple[tuple[str, ...], str, str, str]]:
    """(path in the document, sheet, row label, column header) for every figure, written out by hand."""
    out = []

    def place(path, sheet, row, prefix="", columns=COMPARED):
        out.extend(
            ((*path, key), sheet, row, f"{prefix} {column}" if prefix else column) for key, column in columns.items()
        )

    accidents = {"accidents": "事故起数", "deaths": "死亡人数", "missing": "失踪人数", "injuries": "受伤人数"}
    for key, prefix in accidents.items():
        place(("totals", key), "事故分行业统计表", "合计", prefix)
        place(("totals", key), "事故分乡镇统计表", "合计", prefix)
    place(("totals", "serious_injuries"), "事故分行业统计表", "重伤人数")
    place(("totals", "direct_loss_10k_yuan"), "事故分行业统计表", "直接经济损失(万元)")
    industries = {
        "road_traffic": "道路交通",
        "construction": "其中：建筑施工",
        "industry_trade": "其中：工贸",
        "water_transport": "其中：水上交通",
        "other": "其中：其他",
    }
    groups = {"road": "道路交通", "industrial": "工矿商贸", "transport": "其他交通", "other": "其他"}
    for section, rows in (("by_industry", industries), ("by_industry_group", groups)):
        for code, row in rows.items():
            for key, prefix in accidents.items():
                place((section, code, key), "事故分行业统计表", row, prefix)
    for code, row in {
        "general": "一般事故起数",
        "larger": "较大事故起数",
        "major": "重大事故起数",
        "especially_major": "特别重大事故起数",
    }.items():
        place(("by_grade", code), "事故分行业统计表", row)
    for code, region in report["by_subregion"].items():
        for key, prefix in accidents.items():
            place(("by_subregion", code, key), "事故分乡镇统计表", region["name"], prefix)

    enforcement = {
        "inspections": "检查次数",
        "units_inspected": "检查单位数",
        "hazards_found": "发现隐患(项)",
        "major_hazards_found": "其中重大事故隐患(项)",
        "hazards_rectified": "已整改隐患(项)",
        "overdue_hazards": "逾期未整改隐患(项)",
        "cases_filed": "立案数",
        "penalty_decisions": "处罚决定数",
        "fines_10k_yuan": "罚款金额(万元)",
        "double_penalty_cases": "一案双罚案件数",
        "inspections_without_penalty": "发现隐患未处罚检查数",
    }
    for key, row in enforcement.items():
        place(("enforcement", key), "执法检查统计表", row)
    place(("enforcement", "rectification_rate_pct"), "执法检查统计表", "整改率(%)", columns=RATIO)

    relief = {"amount_10k_yuan": "金额(万元)", "households": "户数", "persons": "人数"}
    for key, prefix in relief.items():
        place(("relief", key), "救灾资金发放统计表", "合计", prefix)
        for code, row in {"emergency": "救助类别：应急救助", "transitional": "救助类别：过渡期生活救助"}.items():
            place(("relief", "by_program", code, key), "救灾资金发放统计表", row, prefix)
        for code, row in {"central": "资金来源：中央", "county": "资金来源：县级"}.items():
            place(("relief", "by_source", code, key), "救灾资金发放统计表", row, prefix)
    place(("relief", "amount_per_person_yuan"), "救灾资金发放统计表", "人均救助金额(元)", columns=RATIO)
    place(("relief", "days_to_first_disbursement"), "救灾资金发放统计表", "灾后首次发放平均天数", columns=RATIO)

    disasters = {
        "events": "灾害事件(次)",
        "affected_people": "受灾人口(人次)",
        "deaths": "死亡人口(人)",
        "missing": "失踪人口(人)",
        "relocated": "紧急转移安置人口(人次)",
        "houses_collapsed": "倒塌房屋(间)",
        "houses_severe": "严重损坏房屋(间)",
        "houses_damaged": "一般损坏房屋(间)",
        "crop_affected_ha": "农作物受灾面积(公顷)",
        "crop_failed_ha": "农作物成灾面积(公顷)",
        "crop_lost_ha": "农作物绝收面积(公顷)",
        "direct_loss_10k_yuan": "直接经济损失(万元)",
    }
    for key, row in disasters.items():
        place(("disasters", key), "自然灾害灾情统计表", row)
    for code, row in {"flood": "洪涝", "geological": "地质灾害"}.items():
        for key in ("events", "affected_people", "deaths", "missing", "direct_loss_10k_yuan"):
            place(("disasters", "by_hazard", code, key), "自然灾害灾情统计表", row, disasters[key])

    rates = {
        "deaths_per_100m_gdp": "亿元GDP生产安全事故死亡率",
        "industrial_deaths_per_100k_workers": "工矿商贸就业人员十万人生产安全事故死亡率",
        "road_deaths_per_10k_vehicles": "道路交通万车死亡率",
        "coal_deaths_per_mt": "煤矿百万吨死亡率",
        "disaster_deaths_per_million": "每百万人口因灾死亡率",
        "disaster_loss_pct_of_gdp": "因灾直接经济损失占GDP比例(%)",
        "forest_fire_damage_permille": "森林火灾受害率(‰)",
    }
    for key, row in rates.items():
        place(("rates", key), "主要指标", row, columns=RATIO)
    return out


def figures(document: object, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    """Every value/previous/change/change_pct of the document by its path."""
    if not isinstance(document, dict):
        return {}
    if "change_pct" in document:
        return {(*path, key): document[key] for key in COMPARED}
    return {p: v for key, value in document.items() for p, v in figures(value, (*path, key)).items()}


def test_every_number_of_the_document_is_in_its_cell(workbook):
    sheets = {name: cells(workbook[name]) for name in HEADERS}
    document = figures(REPORT)
    placed = expected_cells(REPORT)
    for path, sheet, row, column in placed:
        value, cell = document[path], sheets[sheet][(row, column)]
        if value is None:
            assert cell == "—", (path, sheet, row, column)
        else:
            assert type(cell) in (int, float) and cell == float(value), (path, sheet, row, column, cell)
    # Ratios are compared by difference only: their change_pct is always null and has no column.
    unplaced = document.keys() - {p for p, *_ in placed}
    ratios = {
        ("enforcement", "rectification_rate_pct"),
        ("relief", "amount_per_person_yuan"),
        ("relief", "days_to_first_disbursement"),
        *(("rates", key) for key in REPORT["rates"]),
    }
    assert {p[:-1] for p in unplaced} == ratios
    assert {p[-1] for p in unplaced} == {"change_pct"} and all(document[p] is None for p in unplaced)


def test_written_at_once_with_no_temporary_file_left(tmp_path):
    target = tmp_path / "报表.xlsx"
    target.write_bytes(b"an older copy")
    assert write_xlsx(REPORT, LABELS, target) == target
    assert [p.name for p in tmp_path.iterdir()] == ["报表.xlsx"]
    assert openpyxl.load_workbook(target).sheetnames[0] == "说明"


def test_a_failed_write_leaves_no_temporary_file(tmp_path):
    in_the_way = tmp_path / "报表.xlsx"
    in_the_way.mkdir()  # os.replace cannot put a file over a directory
    with pytest.raises(OSError):
        write_xlsx(REPORT, LABELS, in_the_way)
    assert [p.name for p in tmp_path.iterdir()] == ["报表.xlsx"] and in_the_way.is_dir()
