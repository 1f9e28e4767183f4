"""A row refused only because the record it links to has not arrived (a penalty filed before its inspection)
waits for it, and loads when it comes; the quarantine says which rows were resolved, when and by which file
(fixtures/waiting)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from ingest.loader import FileSummary, load_paths
from ingest.quarantine import export_xlsx, quarantined_rows

WAITING = Path(__file__).parent / "fixtures" / "waiting"
FIRST, LATER = datetime(2025, 3, 15, 9, 0), datetime(2025, 3, 20, 9, 0)
MISSING_010 = (
    "关联检查编号“J2025-010”找不到对应的执法检查与隐患排查记录 / inspection_id 'J2025-010' matches no "
    "inspections record"
)


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    load_paths(connection, [WAITING / "regions.csv"], now=FIRST)
    assert load_paths(connection, [WAITING / "penalties_2025.csv"], now=FIRST) == [
        FileSummary("penalties_2025.csv", "penalties", "loaded", rows_total=3, rows_quarantined=3)
    ]
    yield connection
    connection.close()


def _quarantine(con) -> list[tuple]:
    return con.execute(
        "select row_number, waiting_for, resolved_at, resolved_by from raw.quarantine "
        "where file_name = 'penalties_2025.csv' order by row_number"
    ).fetchall()


def test_a_penalty_waits_for_its_inspection_and_loads_when_it_arrives(con, tmp_path):
    # Rows 2 and 3 lack only their inspections; row 4 also names a region that does not exist, so it is the
    # township's to fix, not a matter of waiting.
    assert _quarantine(con) == [(2, "inspections", None, None), (3, "inspections", None, None), (4, None, None, None)]
    assert con.execute("select count(*) from raw.penalties").fetchone() == (0,)

    (inspections,) = load_paths(con, [WAITING / "inspections_2025.csv"], now=LATER)
    assert inspections.line() == (
        "inspections_2025.csv [inspections]: 1 rows: 1 new, 0 revised, 0 unchanged, "
        "0 quarantined; 1 waiting row of earlier files loaded"
    )
    # Loaded as part of the file it came in, with its row number and load: its lineage is the penalty file's.
    assert con.execute(
        "select penalty_id, inspection_id, _file_name, _row_number, _load_id from raw.penalties"
    ).fetchall() == [("青应急罚〔2025〕1号", "J2025-010", "penalties_2025.csv", 2, 2)]
    assert _quarantine(con) == [
        (2, "inspections", LATER, "inspections_2025.csv"),
        (3, "inspections", None, None),
        (4, None, None, None),
    ]

    # What `emstat quarantine` shows of each, and what goes back to the township: only the rows still theirs.
    assert [r.state for r in quarantined_rows(con, file="penalties_2025.csv")] == [
        "resolved 2025-03-20 09:00 by inspections_2025.csv",
        "waiting for inspections",
        "",
    ]
    (workbook,) = export_xlsx(con, tmp_path)
    assert [row[0] for row in openpyxl.load_workbook(workbook).active.iter_rows(min_row=2, values_only=True)] == [3, 4]

    # Sent again, the penalty file changes nothing: the resolved row is not loaded twice, J2025-011 still waits.
    (again,) = load_paths(con, [WAITING / "penalties_2025.csv"], now=LATER)
    assert again.line() == "penalties_2025.csv: already loaded, nothing to do"
    assert con.execute("select count(*) from raw.penalties").fetchone() == (1,)


def test_rows_quarantined_before_rows_could_wait_are_found_by_their_reason(con):
    # A warehouse made before the quarantine kept what a row waits for: its reason says it.
    for column in ("waiting_for", "resolved_at", "resolved_by"):
        con.execute(f"alter table raw.quarantine drop column {column}")
    assert con.execute("select reason from raw.quarantine where row_number = 2").fetchone() == (MISSING_010,)
    (inspections,) = load_paths(con, [WAITING / "inspections_2025.csv"], now=LATER)
    assert inspections.rows_resolved == 1
    assert _quarantine(con) == [
        (2, "inspections", LATER, "inspections_2025.csv"),
        (3, "inspections", None, None),
        (4, None, None, None),
    ]
