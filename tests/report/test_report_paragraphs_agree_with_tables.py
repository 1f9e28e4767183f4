"""The paragraphs of a report say the figures its tables show: every number a paragraph states is a figure of its
table, and each headline figure stands where the register puts it. Read from one document, as a clerk would
compare the 通报 with its 附表."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from report.tables import Labels, Number, format_cell, standard_tables

pytestmark = pytest.mark.slow

LABELS = Labels.from_code_lists()
REPORTS = {
    "county": ("--region", "990221", "--from", "2025-01-01", "--to", "2025-05-31"),
    "prefecture": ("--region", "990200", "--from", "2025-01-01", "--to", "2025-05-31"),
}
TABLE_OF = {
    "accidents": "事故分行业统计表",
    "enforcement": "执法检查统计表",
    "relief": "救灾资金发放统计表",
    "disasters": "自然灾害灾情统计表",
}
NUMBER = re.compile(r"\d+(?:\.\d+)?")
OPENING = re.compile(r"^[^，]*，全(?:街道|县|区|市|镇|乡)")


@pytest.fixture(scope="module", params=REPORTS, ids=list(REPORTS))
def report(request, revised_home):
    return revised_home.report(*REPORTS[request.param], parse_float=Decimal)


def _cells(report) -> dict[str, dict[tuple[str, str], str]]:
    """table title -> (row label, column header) -> the cell as shown, sign dropped."""
    out: dict[str, dict[tuple[str, str], str]] = {}
    for table in standard_tables(report, LABELS):
        cells = out.setdefault(table.title, {})
        for block in table.blocks:
            for row in block.rows:
                label = row[0].removeprefix("其中：")
                for header, cell in zip(block.headers[1:], row[1:], strict=True):
                    if isinstance(cell, Number) and cell.value is not None:
                        cells[(label, header)] = format_cell(cell).lstrip("+-").removesuffix(cell.unit)
    return out


def _said(paragraph: str) -> str:
    """The paragraph without its opening (the period's days and 全县) or thousands separators (the tables have
    none)."""
    return OPENING.sub("", paragraph, count=1).replace(",", "")


def test_every_number_in_a_paragraph_is_a_figure_of_its_table(report):
    cells = _cells(report)
    for key, title in TABLE_OF.items():
        said = _said(report["paragraphs"][key])
        if key == "accidents":  # the deaths of each grade are in the JSON, not in a table
            grave = re.search(r"；发生(.*?)。", said)
            if grave:
                said = said.replace(grave.group(1), "")
        shown = set(cells[title].values())
        assert [n for n in NUMBER.findall(said) if n not in shown] == [], key


def test_headline_figures_stand_where_the_register_puts_them(report):
    cells = _cells(report)
    accidents, enforcement = cells["事故分行业统计表"], cells["执法检查统计表"]
    relief, disasters = cells["救灾资金发放统计表"], cells["自然灾害灾情统计表"]
    paragraphs = {key: _said(text) for key, text in report["paragraphs"].items()}

    def now(table, label, header="本期"):
        return table[(label, header)]

    assert paragraphs["accidents"].startswith(
        f"共发生各类事故{now(accidents, '合计', '事故起数 本期')}起、死亡{now(accidents, '合计', '死亡人数 本期')}人"
    )
    # Each industry, and the 工矿商贸 group the register brackets (the table shows 其他交通 as a group too).
    industries = {label for label, _ in accidents} & {*LABELS.industries.values(), "工矿商贸"}
    assert "道路交通" in industries
    for label in industries:
        assert f"{label}事故{now(accidents, label, '事故起数 本期')}起" in paragraphs["accidents"], label

    assert paragraphs["enforcement"].startswith(
        f"共执法检查生产经营单位{now(enforcement, '检查次数')}家次，排查隐患{now(enforcement, '发现隐患(项)')}项"
    )
    assert (
        f"已整改{now(enforcement, '已整改隐患(项)')}项，整改率{now(enforcement, '整改率(%)')}%"
        in paragraphs["enforcement"]
    )
    assert (
        f"；立案处罚{now(enforcement, '立案数')}起，罚款{now(enforcement, '罚款金额(万元)')}万元，"
        in paragraphs["enforcement"]
    )

    assert paragraphs["relief"].startswith(
        f"共发放救灾资金{now(relief, '合计', '金额(万元) 本期')}万元，救助受灾群众{now(relief, '合计', '人数 本期')}人次"
    )
    programs = [label.removeprefix("救助类别：") for label, _ in relief if label.startswith("救助类别：")]
    assert programs
    for program in programs:
        assert f"{program}资金{now(relief, '救助类别：' + program, '金额(万元) 本期')}万元" in paragraphs["relief"]

    assert paragraphs["disasters"].startswith(
        f"共发生自然灾害{now(disasters, '灾害事件(次)')}次，受灾人口{now(disasters, '受灾人口(人次)')}人次"
    )
    assert f"直接经济损失{now(disasters, '直接经济损失(万元)')}万元" in paragraphs["disasters"]
    hazards = {label for label, header in disasters if header == "灾害事件(次) 本期"}
    assert hazards
    for hazard in hazards:
        assert f"{hazard}{now(disasters, hazard, '灾害事件(次) 本期')}次" in paragraphs["disasters"], hazard


def test_the_grade_clause_states_the_graded_figures(report):
    graded = [
        (word, report["by_grade"][code]["value"], report["by_grade_deaths"][code]["value"])
        for code, word in (("especially_major", "特别重大"), ("major", "重大"), ("larger", "较大"))
    ]
    said = [f"{word}事故{count}起、死亡{deaths}人" for word, count, deaths in graded if count]
    expected = "发生" + "，".join(said) if said else "未发生较大及以上生产安全事故"
    assert f"；{expected}。" in report["paragraphs"]["accidents"]
