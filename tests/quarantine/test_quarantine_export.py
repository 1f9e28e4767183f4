"""export_xlsx: one workbook per file with refused rows, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from quarantine_expected import LANDING_ROWS, RESEND_ROWS, headers_of

from ingest.quarantine import export_xlsx

HEADER = ["行号", "原因", "编号"]


def sheet_rows(rows) -> list[list]:
    """The header row and the data rows a workbook of these quarantined rows must hold."""
    file_name = rows[0][2]
    headers = [] if rows[0][6] is None else headers_of(file_name)
    return [HEADER + headers] + [
        [row_number, reason, record_id, *(cells or [])] for _, _, _, row_number, record_id, reason, cells in rows
    ]


def read(path: Path) -> tuple[list[str], list[list]]:
    workbook = openpyxl.load_workbook(path)
    return workbook.sheetnames, [list(r) for r in workbook.active.iter_rows(values_only=True)]


def test_one_workbook_per_file_with_refused_rows(warehouse, tmp_path):
    folder = tmp_path / "退回"
    written = export_xlsx(warehouse, folder)
    assert written == [
        folder / "accidents_2025_退回.xlsx",
        folder / "accidents_empty_退回.xlsx",
        folder / "事故_2025_退回.xlsx",
    ]
    assert sorted(folder.iterdir()) == sorted(written)  # nothing for regions.csv, which had no refused row


@pytest.mark.parametrize(
    ("workbook", "rows"),
    [
        ("accidents_2025_退回.xlsx", LANDING_ROWS[:3]),
        # A whole-file rejection: one row, 行号 and 编号 empty, no columns of the file.
        ("accidents_empty_退回.xlsx", LANDING_ROWS[3:4]),
        ("事故_2025_退回.xlsx", LANDING_ROWS[4:]),
    ],
)
def test_cells_exactly_as_written(warehouse, tmp_path, workbook, rows):
    export_xlsx(warehouse, tmp_path)
    assert read(tmp_path / workbook) == (["退回"], sheet_rows(rows))


def test_chinese_headers_and_values_stay_text(warehouse, tmp_path):
    export_xlsx(warehouse, tmp_path)
    assert read(tmp_path / "事故_2025_退回.xlsx")[1][:2] == [
        [
            "行号",
            "原因",
            "编号",
            "事故编号",
            "发生时间",
            "行政区划代码",
            "行业领域",
            "死亡人数",
            "受伤人数",
            "直接经济损失(万元)",
            "备注",
        ],
        [3, LANDING_ROWS[4][5], "Z2", " Z2 ", "2025年2月30日", "990121100", "火灾", "0", "0", None, "补报"],
    ]


def test_layout_for_the_clerk(warehouse, tmp_path):
    export_xlsx(warehouse, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "事故_2025_退回.xlsx")["退回"]
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A2"
    widths = {cell.column_letter: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    # 直接经济损失(万元) is 18 columns wide as displayed (Chinese characters count twice); the long reasons wrap.
    assert widths["J"] >= 18
    assert widths["B"] <= 51
    assert sheet["B2"].alignment.wrap_text


def test_same_file_name_twice_keeps_both(resent_warehouse, tmp_path):
    written = export_xlsx(resent_warehouse, tmp_path, file="accidents_2025.csv")
    assert written == [tmp_path / "accidents_2025_退回_2.xlsx", tmp_path / "accidents_2025_退回_5.xlsx"]
    assert read(written[0])[1] == sheet_rows(LANDING_ROWS[:3])
    assert read(written[1])[1] == sheet_rows(RESEND_ROWS)


def test_filters_and_nothing_to_export(warehouse, tmp_path):
    assert export_xlsx(warehouse, tmp_path / "a", source="accidents") == [
        tmp_path / "a" / "accidents_2025_退回.xlsx",
        tmp_path / "a" / "事故_2025_退回.xlsx",
    ]
    assert export_xlsx(warehouse, tmp_path / "b", file="regions.csv") == []
