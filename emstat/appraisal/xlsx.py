"""An appraisal result as an Excel workbook: sheet 排名, then one score sheet per region (sheets.py lays them out).

Points are written as numbers formatted 0.0 (finer only where the scores are), so the team can sum, sort and
chart them as they come.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import xlsxwriter
from rich.cells import cell_len
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from emstat.appraisal.rules import Scheme
from emstat.appraisal.sheets import AppraisalCell, Figure, appraisal_tables, format_figure
from emstat.report.tables import Table

FIRST_HEADER_ROW = 3  # below the title, the caption and a blank row, as in the report's workbook
MAX_COLUMN_WIDTH = 60  # 说明 runs to 100 characters and more: wrapped beyond this


def write_appraisal_xlsx(document: dict, scheme: Scheme, path: Path) -> Path:
    """Write the workbook to `path` at once: a reader never sees it half written, nor a broken earlier copy."""
    tables = appraisal_tables(document, scheme)
    # Beside the target so os.replace stays on one file system; not mkstemp, whose 0600 would lock the
    # colleagues out of a shared folder.
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        workbook = xlsxwriter.Workbook(str(temp))
        formats = _Formats(workbook)
        for table in tables:
            _write_table(workbook.add_worksheet(table.title), formats, table)
        workbook.close()
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


class _Formats:
    """xlsxwriter wants one Format object per distinct look, made once per workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._figures: dict[int, Format] = {}
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.header = workbook.add_format({"bold": True})
        # top-aligned, so a short cell stays level with the first line of a wrapped 说明 beside it
        self.text = workbook.add_format({"text_wrap": True, "valign": "top"})

    def figure(self, decimals: int) -> Format:
        if decimals not in self._figures:
            num_format = "0." + "0" * decimals if decimals else "0"
            self._figures[decimals] = self._workbook.add_format({"num_format": num_format, "valign": "top"})
        return self._figures[decimals]


def _write_table(sheet: Worksheet, formats: _Formats, table: Table) -> None:
    sheet.write_string(0, 0, table.title, formats.title)
    sheet.write_string(1, 0, table.caption)
    widths: dict[int, int] = {}
    row = FIRST_HEADER_ROW
    for block in table.blocks:
        for col, header in enumerate(block.headers):
            sheet.write_string(row, col, header, formats.header)
        for cells in block.rows:
            row += 1
            for col, cell in enumerate(cells):
                _write_cell(sheet, formats, row, col, cell)
        for col, column in enumerate(zip(block.headers, *block.rows)):
            widths[col] = max(widths.get(col, 0), *(cell_len(format_figure(cell)) for cell in column))
        row += 2  # a blank row between blocks
    for col, width in widths.items():
        sheet.set_column(col, col, min(width + 2, MAX_COLUMN_WIDTH))
    sheet.freeze_panes(FIRST_HEADER_ROW + 1, 0)


def _write_cell(sheet: Worksheet, formats: _Formats, row: int, col: int, cell: AppraisalCell) -> None:
    if isinstance(cell, Figure):
        sheet.write_number(row, col, cell.value, formats.figure(cell.decimals))
    elif cell:
        # write_string, never write: an explanation or a name starting with "=" must stay text.
        sheet.write_string(row, col, cell, formats.text)
