"""The report as the 通报 bureaus publish: a Word document with the title, the four paragraphs under their
headings, the footnote, then the standard tables as 附表.

Laid out as GB/T 9704 lays out official documents: A4, margins of 37 mm (top), 35 mm (bottom), 28 mm (left) and
26 mm (right), the body in 仿宋 三号 on a fixed 28-point line with a two-character indent, headings in 黑体. The
tables are those of the workbook and the Markdown (report.tables), on landscape pages, where their columns fit.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

from core.files import write_atomically
from report.tables import Labels, Number, Table, caption, footnote, format_cell, standard_tables

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(8)  # seventeen columns of figures across a landscape page
LABEL_COLUMN = Mm(24)  # 其中：危险化学品 on one line
CELL_PADDING_TWIPS = 20  # of either side of a cell (Word's own is 108): a figure then fits its column
LINE = Pt(28)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
A4 = (Mm(210), Mm(297))

HEADINGS = (
    ("accidents", "一、生产安全事故情况"),
    ("enforcement", "二、安全生产执法情况"),
    ("relief", "三、救灾资金发放情况"),
    ("disasters", "四、自然灾害情况"),
)
ANNEX = "附表"


def document_title(report: dict) -> str:
    """示范市2024年1—6月安全生产和自然灾害情况通报."""
    start, end = (date.fromisoformat(report["period"][side]) for side in ("from", "to"))
    return f"{report['region']['name']}{period_title(start, end)}安全生产和自然灾害情况通报"


def period_title(start: date, end: date) -> str:
    """Whole months as 2024年1—6月 (or 2024年6月); any other span by its days."""
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1 and start.year == end.year
    if whole_months:
        return (
            f"{start.year}年{start.month}月"
            if start.month == end.month
            else f"{start.year}年{start.month}—{end.month}月"
        )
    if start.year == end.year:
        return f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def write_docx(report: dict, labels: Labels, path: Path) -> Path:
    def write(temp: Path) -> None:
        document = Document()
        _page(document.sections[0], landscape=False)
        _body_style(document)
        _title(document, document_title(report))
        _centred(document, caption(report), Pt(14))
        for key, heading in HEADINGS:
            _heading(document, heading)
            _paragraph(document, report["paragraphs"][key])
        _paragraph(document, footnote(report))
        _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        _heading(document, ANNEX)
        for table in standard_tables(report, labels):
            _table(document, table)
        document.save(str(temp))

    return write_atomically(path, write)


def _page(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for name, value in MARGINS.items():
        setattr(section, name, value)


def _east_asian(font_owner, name: str) -> None:
    """python-docx names the Latin font only; Word takes Chinese text from the eastAsia font."""
    font_owner.font.name = name
    font_owner.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _body_style(document: WordDocument) -> None:
    normal = document.styles["Normal"]
    _east_asian(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    spacing = normal.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacing.line_spacing = LINE
    spacing.space_before = spacing.space_after = Pt(0)


def _run(paragraph, text: str, font: str, size: Pt, bold: bool = False) -> Run:
    run = paragraph.add_run(text)
    _east_asian(run, font)
    run.font.size, run.font.bold = size, bold
    return run


def _title(document: WordDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(36)
    paragraph.paragraph_format.space_after = LINE
    _run(paragraph, text, HEADING_FONT, TITLE_SIZE)


def _centred(document: WordDocument, text: str, size: Pt) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, BODY_FONT, size)


def _heading(document: WordDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
    _run(paragraph, text, HEADING_FONT, BODY_SIZE)


def _paragraph(document: WordDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
    _run(paragraph, text, BODY_FONT, BODY_SIZE)


def _table(document: WordDocument, table: Table) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, table.title, HEADING_FONT, BODY_SIZE)
    _centred(document, table.caption, TABLE_SIZE)
    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    for block in table.blocks:
        grid = document.add_table(rows=1 + len(block.rows), cols=len(block.headers))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        _narrow_padding(grid)
        grid.autofit = False
        figure_column = (width - LABEL_COLUMN) // (len(block.headers) - 1)
        for col, column in enumerate(grid.columns):
            column.width = LABEL_COLUMN if col == 0 else figure_column  # the grid, which LibreOffice and WPS read
            for cell in column.cells:  # and each cell, which Word reads
                cell.width = column.width
        for col, header in enumerate(block.headers):
            _cell(grid.cell(0, col), header, HEADING_FONT, WD_ALIGN_PARAGRAPH.CENTER)
        for row, cells in enumerate(block.rows, start=1):
            for col, cell in enumerate(cells):
                right = isinstance(cell, Number)
                _cell(
                    grid.cell(row, col),
                    format_cell(cell),
                    BODY_FONT,
                    WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT,
                )
        document.add_paragraph()


def _narrow_padding(grid) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_PADDING_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.append(margins)


def _cell(cell, text: str, font: str, alignment) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _run(paragraph, text, font, TABLE_SIZE)
