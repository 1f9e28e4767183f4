"""An appraisal result on the terminal: the ranking, then each region's score sheet, as in the workbook."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from appraisal.rules import Scheme
from appraisal.sheets import Figure, appraisal_tables, format_figure
from core.terminal import SafeConsole
from report.tables import Block


def print_appraisal(document: dict, scheme: Scheme, console: Console) -> None:
    for table in appraisal_tables(document, scheme):
        for index, block in enumerate(table.blocks):
            _print_block(block, f"{table.title}  {table.caption}" if index == 0 else None, console)


def _print_block(block: Block, title: str | None, console: Console) -> None:
    cells = [[format_figure(cell) for cell in row] for row in block.rows]
    # Never squeeze a score sheet into a narrow terminal: a cut explanation or evidence id misleads the team.
    # Each column takes its widest cell, a space either side and a rule.
    width = (
        sum(
            max(cell_len(text) for text in (header, *(row[i] for row in cells))) + 3
            for i, header in enumerate(block.headers)
        )
        + 1
    )
    shown = RichTable()
    for column, header in enumerate(block.headers):
        numeric = any(isinstance(row[column], Figure) for row in block.rows)
        shown.add_column(header, justify="right" if numeric else "left")
    for row in cells:
        shown.add_row(*(Text(text) for text in row))  # Text: a [bracket] in a name is not rich markup
    # The title on a line of its own: as a table title it would wrap at the table's width.
    wide = SafeConsole(
        file=console.file,
        width=max(console.width, width, cell_len(title or "")),
        highlight=False,
        no_color=console.no_color,
    )
    if title:
        wide.print(Text(title))
    wide.print(shown)
