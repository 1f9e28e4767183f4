"""Files of one source and layout are checked and inserted together (ingest/loader.py, BATCH_ROWS); each still
has its own load, ledger line, quarantine rows and revisions, exactly as when it is loaded alone
(fixtures/batch: 01 and 02 share a layout, 03 lists its columns in another order).

By hand, in load order:
- 01: B1 and B2 are new; B3 has -1 deaths.
- 02: B2 with 2 injuries (revised against 01, in the same batch); B1 as in 01 (unchanged), on another row (a
  record in two files of a batch is no repeat); B4 new; B4 again on row 5 repeats row 4.
- 03: B2 as in 02 (unchanged: compared with 02's revision, not 01's); B1 with 2 deaths (revised).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest import loader
from ingest.loader import FileSummary, load_paths

BATCH = Path(__file__).parent / "fixtures" / "batch"
NOW = datetime(2026, 1, 1)


@pytest.fixture(params=["together", "alone"])
def con(request, tmp_path: Path, monkeypatch):
    if request.param == "alone":
        monkeypatch.setattr(loader, "BATCH_ROWS", 1)
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def test_each_file_of_a_batch_is_counted_as_if_loaded_alone(con):
    assert load_paths(con, [BATCH], now=NOW) == [
        FileSummary("regions.csv", "regions", "loaded", rows_total=5, rows_new=5),
        FileSummary("accidents_2025_01.csv", "accidents", "loaded", rows_total=3, rows_new=2, rows_quarantined=1),
        FileSummary(
            "accidents_2025_02.csv",
            "accidents",
            "loaded",
            rows_total=4,
            rows_new=1,
            rows_revised=1,
            rows_unchanged=1,
            rows_quarantined=1,
        ),
        FileSummary("accidents_2025_03.csv", "accidents", "loaded", rows_total=2, rows_revised=1, rows_unchanged=1),
    ]
    assert con.execute(
        "select file_name, load_id, rows_total, rows_new, rows_revised, rows_unchanged, rows_quarantined "
        "from raw.files order by load_id"
    ).fetchall() == [
        ("regions.csv", 1, 5, 5, 0, 0, 0),
        ("accidents_2025_01.csv", 2, 3, 2, 0, 0, 1),
        ("accidents_2025_02.csv", 3, 4, 1, 1, 1, 1),
        ("accidents_2025_03.csv", 4, 2, 0, 1, 1, 0),
    ]


def test_each_row_keeps_the_lineage_of_its_own_file(con):
    load_paths(con, [BATCH], now=NOW)
    assert con.execute(
        "select accident_id, _load_id, _file_name, _row_number, deaths, injuries from raw.accidents "
        "order by accident_id, _load_id"
    ).fetchall() == [
        ("B1", 2, "accidents_2025_01.csv", 2, 1, 0),
        ("B1", 4, "accidents_2025_03.csv", 3, 2, 0),
        ("B2", 2, "accidents_2025_01.csv", 3, 0, 0),
        ("B2", 3, "accidents_2025_02.csv", 2, 0, 2),
        ("B4", 3, "accidents_2025_02.csv", 4, 0, 1),
    ]
    assert con.execute(
        "select load_id, file_name, row_number, record_id, reason from raw.quarantine order by load_id, row_number"
    ).fetchall() == [
        (2, "accidents_2025_01.csv", 4, "B3", "死亡人数“-1”不能为负数 / deaths '-1' must not be negative"),
        (
            3,
            "accidents_2025_02.csv",
            5,
            "B4",
            "事故编号“B4”在本文件中重复(第4行已有) / accident_id 'B4' repeats row 4 of this file",
        ),
    ]


def test_the_same_id_in_two_files_of_a_batch_is_a_revision_not_a_repeat(con):
    load_paths(con, [BATCH / "regions.csv", BATCH / "accidents_2025_01.csv", BATCH / "accidents_2025_02.csv"], now=NOW)
    assert con.execute("select count(*) from raw.quarantine where reason like '%repeats%'").fetchone() == (1,)
    # Sent again as a whole, nothing is new: every file was loaded before.
    assert [s.status for s in load_paths(con, [BATCH], now=NOW)][:3] == ["unchanged"] * 3
