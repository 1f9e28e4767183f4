"""report.word: the 通报 written to disk and read back with python-docx."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from report.tables import Labels
from report.word import period_title, write_docx
from tests.report_formats.donghu import REPORT

LABELS = Labels.from_code_lists()
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return Document(str(write_docx(REPORT, LABELS, tmp_path_factory.mktemp("docx") / "东湖县_2025年1-5月.docx")))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def _east_asian(run) -> str:
    return run.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_title_the_four_paragraphs_under_their_headings_then_the_footnote(document):
    paragraphs = REPORT["paragraphs"]
    assert _texts(document)[:11] == [
        "东湖县2025年1—5月安全生产和自然灾害情况通报",
        "东湖县 2025年1月1日至5月31日，去年同期 2024年1月1日至5月31日，数据截至 2025-06-10",
        "一、生产安全事故情况",
        paragraphs["accidents"],
        "二、安全生产执法情况",
        paragraphs["enforcement"],
        "三、救灾资金发放情况",
        paragraphs["relief"],
        "四、自然灾害情况",
        paragraphs["disasters"],
        "注：本期与去年同期均按2025年6月10日的行政区划统计（可比口径），区划以2025年6月10日所知为准。"
        "石桥乡自2025年3月1日起由西山县划入东湖县，其本期与去年同期数据均计入东湖县。",
    ]
    assert _texts(document)[11:13] == ["附表", "事故分行业统计表"]


def test_fonts_仿宋_body_and_黑体_headings(document):
    by_text = {p.text: p for p in document.paragraphs}
    title, heading = by_text["东湖县2025年1—5月安全生产和自然灾害情况通报"], by_text["一、生产安全事故情况"]
    body = by_text[REPORT["paragraphs"]["accidents"]]
    assert [(_east_asian(p.runs[0]), p.runs[0].font.size.pt) for p in (title, heading, body)] == [
        ("黑体", 22),
        ("黑体", 16),
        ("仿宋", 16),
    ]
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert normal.paragraph_format.line_spacing.pt == 28


def test_a4_with_the_margins_of_gb_t_9704_and_the_tables_on_landscape_pages(document):
    text, annex = document.sections
    # Word keeps lengths in twips: 37 mm is stored as 2098 twips, so compare to the nearest twip.
    sides = ("top_margin", "bottom_margin", "left_margin", "right_margin")
    assert [getattr(text, side).twips for side in sides] == [round(mm * TWIPS_PER_MM) for mm in (37, 35, 28, 26)]
    assert (round(text.page_width.mm), round(text.page_height.mm), text.orientation) == (210, 297, WD_ORIENT.PORTRAIT)
    assert (round(annex.page_width.mm), round(annex.page_height.mm), annex.orientation) == (
        297,
        210,
        WD_ORIENT.LANDSCAPE,
    )


def test_tables_hold_the_document_figures(document):
    accidents, enforcement = document.tables[0], next(t for t in document.tables if t.cell(1, 0).text == "检查次数")
    header = [cell.text for cell in accidents.rows[0].cells]
    assert header[:5] == ["行业", "事故起数 本期", "事故起数 去年同期", "事故起数 增减", "事故起数 增减%"]
    total = [cell.text for cell in accidents.rows[1].cells]
    assert total[:5] == ["合计", "12", "15", "-3", "-20.00"]
    fines = next(row for row in enforcement.rows if row.cells[0].text == "罚款金额(万元)")
    assert [cell.text for cell in fines.cells] == ["罚款金额(万元)", "12.35", "8.60", "+3.75", "+43.60"]
    rate = next(row for row in enforcement.rows if row.cells[0].text == "整改率(%)")
    assert [cell.text for cell in rate.cells] == ["整改率(%)", "92.86", "80.00", "+12.86个百分点", ""]
    assert len(document.tables) == 9  # the blocks of the six standard tables
    # across the landscape page's 243 mm: the labels in 24 mm, the sixteen figures of 事故分行业 share the rest (219 mm)
    assert [round(column.width.mm, 1) for column in accidents.columns] == [24.0] + [13.7] * 16


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 1, 1), date(2024, 6, 30), "2024年1—6月"),
        (date(2024, 6, 1), date(2024, 6, 30), "2024年6月"),
        (date(2024, 3, 1), date(2024, 5, 31), "2024年3—5月"),
        (date(2024, 1, 1), date(2024, 2, 29), "2024年1—2月"),
        (date(2026, 1, 1), date(2026, 6, 14), "2026年1月1日至6月14日"),  # a year in progress, cut at the records
        (date(2024, 12, 1), date(2025, 2, 28), "2024年12月1日至2025年2月28日"),
    ],
)
def test_the_period_in_the_title(start, end, expected):
    assert period_title(start, end) == expected
