"""An appraisal result as an Excel workbook: sheet 排名, then one score sheet per region (sheets.py lays them out),
written by the one Excel writer (core/workbook.py).

Points are written as numbers formatted 0.0 (finer only where the scores are), so the team can sum, sort and
chart them as they come.
"""

from __future__ import annotations

from pathlib import Path

from appraisal.rules import Scheme
from appraisal.sheets import AppraisalCell, Figure, appraisal_tables, format_figure
from core.workbook import Grid, Number, Sheet, write_workbook

MAX_COLUMN_WIDTH = 60  # 说明 runs to 100 characters and more: wrapped beyond this


def write_appraisal_xlsx(document: dict, scheme: Scheme, path: Path) -> Path:
    sheets = [
        Sheet(
            table.title,
            [Grid(block.headers, [[_cell(cell) for cell in cells] for cells in block.rows]) for block in table.blocks],
            title=table.title,
            caption=table.caption,
            max_width=MAX_COLUMN_WIDTH,
            freeze_columns=0,
            # top-aligned, so a short cell stays level with the first line of a wrapped 说明 beside it
            wrap=True,
        )
        for table in appraisal_tables(document, scheme)
    ]
    return write_workbook(path, sheets)


def _cell(cell: AppraisalCell) -> str | Number:
    if isinstance(cell, Figure):
        return Number(cell.value, "0." + "0" * cell.decimals if cell.decimals else "0", format_figure(cell))
    return cell
