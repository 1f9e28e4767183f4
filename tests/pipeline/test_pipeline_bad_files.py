"""One `emstat ingest` over a landing folder where good files sit beside an empty one, a corrupt workbook, a
workbook without the sheet, a file of another source and one of no source: each bad file is rejected with its
reason, the good ones load, the command exits 1, and `emstat status` tells which is which."""

from __future__ import annotations

import json
import shutil

import duckdb
import polars as pl
import pytest

from tests.pipeline.conftest import FIXTURES
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

EMPTY = "文件是空的 / the file is empty"
NOT_ACCIDENTS = (
    "缺少必填列“事故编号”、“发生时间”、“行业领域”、“死亡人数” / "
    "required columns 'accident_id', 'occurred_at', 'industry', 'deaths' are missing"
)
NO_COLUMNS = (
    "缺少必填列“事故编号”、“发生时间”、“行政区划代码”、“行业领域”、“死亡人数” / "
    "required columns 'accident_id', 'occurred_at', 'region_code', 'industry', 'deaths' are missing"
)
NO_SOURCE = "无法从文件名或表头判断数据类别 / cannot tell the source from the file name or the header row"
REJECTED = {
    "accidents_2025_07.csv": EMPTY,
    # The township sent its fines register under an accidents name.
    "accidents_2025_08.csv": NOT_ACCIDENTS,
    # The workbook holds only the instructions sheet: its first sheet is read, and it has no accident columns.
    "accidents_2025_09.xlsx": NO_COLUMNS,
    "notes.csv": NO_SOURCE,
}


@pytest.fixture
def landing(tmp_path):
    folder = tmp_path / "landing"
    folder.mkdir()
    for good in ("regions.csv", "accidents_2024.csv"):
        shutil.copy(FIXTURES / "landing" / good, folder / good)
    (folder / "accidents_2025_07.csv").write_bytes(b"")
    (folder / "accidents_2025_08.csv").write_text(
        "penalty_id,decided_at,region_code,amount\nP1,2025-08-01,990121100,5000\n", encoding="utf-8"
    )
    pl.DataFrame({"填报说明": ["请在“事故”工作表填写"]}).write_excel(
        folder / "accidents_2025_09.xlsx", worksheet="说明"
    )
    (folder / "accidents_2025_10.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook at all")
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return folder


def test_bad_files_are_rejected_one_by_one_and_the_good_ones_load(landing, tmp_path):
    home = tmp_path / "home"
    run = run_emstat(home, "ingest", str(landing))
    # Exit 1 so that a scheduler notices; the good files are loaded all the same.
    assert (run.returncode, run.stderr) == (1, "emstat: 5 of 7 files not loaded (see above)\n")
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert "regions.csv [regions]: 7 rows: 7 new, 0 revised, 0 unchanged, 0 quarantined" in lines
    assert "accidents_2024.csv [accidents]: 7 rows: 7 new, 0 revised, 0 unchanged, 0 quarantined" in lines
    for name, reason in REJECTED.items():
        assert f"{name}: rejected: {reason}" in lines

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.accidents").fetchone()[0] == 7
        files = dict(con.execute("select file_name, status from raw.files").fetchall())
        quarantined = dict(
            con.execute("select file_name, reason from raw.quarantine where row_number is null").fetchall()
        )
    corrupt = quarantined.pop("accidents_2025_10.xlsx")
    assert corrupt.startswith("文件无法读取(格式损坏或不是表格) / the file cannot be read as a table: ")
    assert quarantined == REJECTED
    assert files == {
        "regions.csv": "loaded",
        "accidents_2024.csv": "loaded",
        **{name: "rejected" for name in [*REJECTED, "accidents_2025_10.xlsx"]},
    }

    shown = run_emstat(home, "status", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    (ingest,) = json.loads(shown.stdout)["runs"]
    assert (ingest["status"], ingest["rows_loaded"], ingest["rows_quarantined"]) == ("loaded", 14, 0)
    assert {f["file"]: (f["status"], f["reason"]) for f in ingest["files"]} == {
        "regions.csv": ("loaded", None),
        "accidents_2024.csv": ("loaded", None),
        "accidents_2025_10.xlsx": ("rejected", corrupt),
        **{name: ("rejected", reason) for name, reason in REJECTED.items()},
    }
