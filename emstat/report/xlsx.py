"""The report as an Excel workbook: a 说明 sheet with the bulletin text and the footnote, then one sheet per
standard table.

Numbers are written as numbers with a number format, so the prefecture can sum and chart them as they come.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from emstat.report.files import write_atomically
from emstat.report.tables import (
    MISSING, Labels, Number, Table, caption, decimals, footnote, format_cell, report_title, standard_tables,
)

NOTE_SHEET = "说明"
NOTE_WIDTH = 100  # the bulletin text wraps at about 50 Chinese characters
MAX_COLUMN_WIDTH = 40
FIRST_HEADER_ROW = 3  # below the title, the caption and a blank row


def write_xlsx(report: dict, labels: Labels, path: Path) -> Path:
    tables = standard_tables(report, labels)

    def write(temp: Path) -> None:
        workbook = xlsxwriter.Workbook(str(temp))
        formats = _Formats(workbook)
        _write_note(workbook.add_worksheet(NOTE_SHEET), formats, report)
        for table in tables:
            _write_table(workbook.add_worksheet(table.title), formats, table)
        workbook.close()

    return write_atomically(path, write)


class _Formats:
    """xlsxwriter wants one Format object per distinct look, made once per workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._numbers: dict[str, Format] = {}
        self.bold = workbook.add_format({"bold": True})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.missing = workbook.add_format({"align": "right"})  # in line with the numbers it stands for

    def number(self, cell: Number) -> Format:
        num_format = _num_format(cell)
        if num_format not in self._numbers:
            self._numbers[num_format] = self._workbook.add_format({"num_format": num_format})
        return self._numbers[num_format]


def _num_format(cell: Number) -> str:
    """The Excel twin of format_cell: the same decimals, sign and unit, while the cell stays a number."""
    places = decimals(cell)
    body = ("0." + "0" * places if places else "0") + (f'"{cell.unit}"' if cell.unit else "")
    return f"+{body};-{body};{body}" if cell.signed else body


def _write_note(sheet: Worksheet, formats: _Formats, report: dict) -> None:
    sheet.write_string(0, 0, report_title(report), formats.title)
    sheet.write_string(1, 0, caption(report))
    sheet.write_string(3, 0, report["text"], formats.wrapped)
    sheet.write_string(5, 0, footnote(report), formats.wrapped)
    sheet.set_column(0, 0, NOTE_WIDTH)


def _write_table(sheet: Worksheet, formats: _Formats, table: Table) -> None:
    sheet.write_string(0, 0, table.title, formats.title)
    sheet.write_string(1, 0, table.caption)
    widths: dict[int, int] = {}
    row = FIRST_HEADER_ROW
    for block in table.blocks:
        for col, header in enumerate(block.headers):
            sheet.write_string(row, col, header, formats.bold)
        for cells in block.rows:
            row += 1
            for col, cell in enumerate(cells):
                _write_cell(sheet, formats, row, col, cell)
        for col, column in enumerate(zip(block.headers, *block.rows)):
            widths[col] = max(widths.get(col, 0), *(_display_width(format_cell(cell)) for cell in column))
        row += 2  # a blank row between blocks
    for col, width in widths.items():
        sheet.set_column(col, col, min(width + 2, MAX_COLUMN_WIDTH))
    if len(table.blocks) == 1:
        sheet.freeze_panes(FIRST_HEADER_ROW + 1, 1)


def _write_cell(sheet: Worksheet, formats: _Formats, row: int, col: int, cell: str | Number) -> None:
    if isinstance(cell, str):
        if cell:
            # write_string, never write: a township named "=…" must stay text.
            sheet.write_string(row, col, cell)
    elif cell.value is None:
        sheet.write_string(row, col, MISSING, formats.missing)
    else:
        sheet.write_number(row, col, float(cell.value), formats.number(cell))


def _display_width(text: str) -> int:
    """Chinese characters take two columns of a spreadsheet cell."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
