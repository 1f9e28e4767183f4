"""The one Excel writer: the report, the appraisal sheets and the quarantine export are laid out as sheets of
grids here and written the same way.

Numbers stay numbers, each with its Excel format, so a prefecture can sum and chart them as they come; text stays
text (write_string, never write: a township or a value written "=…" is never a formula); a Chinese character
counts two columns when a column is sized; and the file appears whole or not at all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from core.files import write_atomically

GRID_ROW_UNDER_TITLE = 3  # the first grid's header: below the title, the caption and a blank row


@dataclass(frozen=True)
class Number:
    """A number and the Excel format it is shown with; `shown` is how it reads, which sizes its column. A number
    that is missing (None) is written as `shown`, right-aligned in line with the numbers it stands for."""

    value: int | float | Decimal | None
    num_format: str
    shown: str


Cell = str | int | Number | None


@dataclass(frozen=True)
class Grid:
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class Sheet:
    """`grids` one under the other, a blank row between them, under the title and caption when there are any.
    `paragraphs` are long wrapped texts in the first column, `paragraph_width` wide, a blank row between them.
    `freeze_columns`: the panes freeze below the first grid's header and after that many columns (None: no
    freeze). `wrap` wraps every text cell, top-aligned; `wrap_columns` only those columns."""

    name: str
    grids: Sequence[Grid] = ()
    title: str | None = None
    caption: str | None = None
    paragraphs: Sequence[str] = ()
    paragraph_width: int = 100
    max_width: int = 40
    freeze_columns: int | None = None
    wrap: bool = False
    wrap_columns: Sequence[int] = ()
    codes_as_text: bool = False  # silence Excel's "number stored as text" flags: codes such as 990121100 are text


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    def write(temp: Path) -> None:
        workbook = xlsxwriter.Workbook(str(temp))
        formats = _Formats(workbook)
        for sheet in sheets:
            _write_sheet(workbook.add_worksheet(sheet.name), formats, sheet)
        workbook.close()

    return write_atomically(path, write)


def display_width(text: str) -> int:
    """The columns a text takes in a spreadsheet cell: Chinese characters two, the widest line counting."""
    lines = text.splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines)


class _Formats:
    """xlsxwriter wants one Format object per distinct look, made once per workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple, Format] = {}
        self.title = self.look(bold=True, font_size=14)
        self.header = self.look(bold=True)
        self.wrapped = self.look(text_wrap=True, valign="top")

    def look(self, **properties) -> Format:
        key = tuple(sorted(properties.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format(properties)
        return self._made[key]


def _write_sheet(ws: Worksheet, formats: _Formats, sheet: Sheet) -> None:
    row = 0
    if sheet.title is not None:
        ws.write_string(0, 0, sheet.title, formats.title)
        if sheet.caption is not None:
            ws.write_string(1, 0, sheet.caption)
        row = GRID_ROW_UNDER_TITLE
    for number, text in enumerate(sheet.paragraphs):
        ws.write_string(row + 2 * number, 0, text, formats.wrapped)
    if sheet.paragraphs:
        ws.set_column(0, 0, sheet.paragraph_width)
    header_row = row
    widths: dict[int, int] = {}
    for grid in sheet.grids:
        for col, header in enumerate(grid.headers):
            ws.write_string(row, col, header, formats.header)
        for cells in grid.rows:
            row += 1
            for col, cell in enumerate(cells):
                _write_cell(ws, formats, sheet.wrap, row, col, cell)
        for col, column in enumerate(zip(grid.headers, *grid.rows)):
            widths[col] = max(widths.get(col, 0), *(display_width(_shown(cell)) for cell in column))
        row += 2  # a blank row between grids
    for col, width in widths.items():
        wrapped = formats.wrapped if col in sheet.wrap_columns else None
        ws.set_column(col, col, min(width + 2, sheet.max_width), wrapped)
    if sheet.freeze_columns is not None and sheet.grids:
        ws.freeze_panes(header_row + 1, sheet.freeze_columns)
    if sheet.codes_as_text:
        ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})


def _write_cell(ws: Worksheet, formats: _Formats, wrap: bool, row: int, col: int, cell: Cell) -> None:
    top = {"valign": "top"} if wrap else {}
    if isinstance(cell, Number):
        if cell.value is None:
            ws.write_string(row, col, cell.shown, formats.look(align="right", **top))
        else:
            ws.write_number(row, col, float(cell.value), formats.look(num_format=cell.num_format, **top))
    elif isinstance(cell, int):
        ws.write_number(row, col, cell)
    elif cell:
        ws.write_string(row, col, cell, formats.wrapped if wrap else None)


def _shown(cell: Cell) -> str:
    if isinstance(cell, Number):
        return cell.shown
    return "" if cell is None else str(cell)
