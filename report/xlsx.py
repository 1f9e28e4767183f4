"""The report as an Excel workbook: a 说明 sheet with the bulletin text and the footnote, then one sheet per
standard table, written by the one Excel writer (core/workbook.py).

Numbers are written as numbers with a number format, so the prefecture can sum and chart them as they come.
"""

from __future__ import annotations

from pathlib import Path

from core.workbook import Grid, Number, Sheet, write_workbook
from report.tables import Cell, Labels, Table, caption, decimals, footnote, format_cell, report_title, standard_tables
from report.tables import Number as ReportNumber

NOTE_SHEET = "说明"
NOTE_WIDTH = 100  # the bulletin text wraps at about 50 Chinese characters


def write_xlsx(report: dict, labels: Labels, path: Path) -> Path:
    note = Sheet(
        NOTE_SHEET,
        title=report_title(report),
        caption=caption(report),
        paragraphs=(report["text"], footnote(report)),
        paragraph_width=NOTE_WIDTH,
    )
    return write_workbook(path, [note, *(_sheet(table) for table in standard_tables(report, labels))])


def _sheet(table: Table) -> Sheet:
    grids = [Grid(block.headers, [[_cell(cell) for cell in cells] for cells in block.rows]) for block in table.blocks]
    return Sheet(
        table.title,
        grids,
        title=table.title,
        caption=table.caption,
        freeze_columns=1 if len(table.blocks) == 1 else None,
    )


def _cell(cell: Cell) -> str | Number:
    if isinstance(cell, str):
        return cell
    return Number(cell.value, _num_format(cell) if cell.value is not None else "", format_cell(cell))


def _num_format(cell: ReportNumber) -> str:
    """The Excel twin of format_cell: the same decimals, sign and unit, while the cell stays a number."""
    places = decimals(cell)
    body = ("0." + "0" * places if places else "0") + (f'"{cell.unit}"' if cell.unit else "")
    return f"+{body};-{body};{body}" if cell.signed else body
