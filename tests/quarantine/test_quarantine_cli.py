"""`emstat quarantine` through the real command, against warehouses the real loader built."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import openpyxl
from quarantine_expected import LANDING_ROWS, raw_values

from ingest.contract import SOURCES
from tests.runner import run_emstat, run_emstat_process


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_emstat(home, "quarantine", *args)


def table_rows(stdout: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("│┃").split(line[0])]
        for line in stdout.splitlines()
        if line[:1] in ("│", "┃")
    ]


def test_text(quarantine_home):
    done = run(quarantine_home)
    assert (done.returncode, done.stderr) == (0, "")
    # accidents link to no other record: none of them waits (tests/ingest/test_ingest_waiting_links.py)
    assert table_rows(done.stdout) == [["file", "row", "id", "reason", "state"]] + [
        [file_name, "" if row_number is None else str(row_number), record_id or "", reason, ""]
        for _, _, file_name, row_number, record_id, reason, _ in LANDING_ROWS
    ]
    assert done.stdout.splitlines()[-1] == "7 rows quarantined in 3 files"


def test_text_one_file_and_singulars(resent_home):
    done = run(resent_home, "--file", "accidents_empty.csv")
    assert table_rows(done.stdout)[1:] == [["accidents_empty.csv", "", "", "文件是空的 / the file is empty", ""]]
    assert done.stdout.splitlines()[-1] == "1 row quarantined in 1 file"
    # Two loads of files with the same name are two files.
    assert run(resent_home, "--file", "accidents_2025.csv").stdout.splitlines()[-1] == "4 rows quarantined in 2 files"


def test_text_nothing_quarantined(quarantine_home):
    done = run(quarantine_home, "--file", "regions.csv")
    assert (done.returncode, done.stdout) == (0, "0 rows quarantined in 0 files\n")


NOT_WAITING = {"waiting_for": None, "resolved_at": None, "resolved_by": None}


def test_json(quarantine_home):
    done = run(quarantine_home, "--source", "accidents", "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout) == {
        "rows": [
            {
                "file": file_name,
                "source": source,
                "row_number": row_number,
                "record_id": record_id,
                "reason": reason,
                "raw_values": raw_values(file_name, cells),
                "quarantined_at": "2026-01-01T00:00:00",
                **NOT_WAITING,
            }
            for _, source, file_name, row_number, record_id, reason, cells in LANDING_ROWS
            if source == "accidents"
        ]
    }


def test_json_whole_file_rejection(quarantine_home):
    done = run(quarantine_home, "--file", "accidents_empty.csv", "--format", "json")
    assert json.loads(done.stdout) == {
        "rows": [
            {
                "file": "accidents_empty.csv",
                "source": None,
                "row_number": None,
                "record_id": None,
                "reason": "文件是空的 / the file is empty",
                "raw_values": {},
                "quarantined_at": "2026-01-01T00:00:00",
                **NOT_WAITING,
            },
        ]
    }


def test_export(quarantine_home, tmp_path):
    folder = tmp_path / "to send back"
    done = run(quarantine_home, "--export", str(folder))
    assert (done.returncode, done.stderr) == (0, "")
    names = ["accidents_2025_退回.xlsx", "accidents_empty_退回.xlsx", "事故_2025_退回.xlsx"]
    assert done.stdout.splitlines() == [f"written {folder / name}" for name in names]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    sheet = openpyxl.load_workbook(folder / "accidents_empty_退回.xlsx")["退回"]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["行号", "原因", "编号"],
        [None, "文件是空的 / the file is empty", None],
    ]


def test_export_one_file(quarantine_home, tmp_path):
    done = run(quarantine_home, "--export", str(tmp_path), "--file", "事故_2025.csv")
    assert done.stdout.splitlines() == [f"written {tmp_path / '事故_2025_退回.xlsx'}"]


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    return line


def test_no_warehouse_yet(tmp_path):
    home = tmp_path / "home"
    assert one_line_error(run(home)) == f"emstat: no warehouse under {home}: run `emstat ingest PATH…` first"


def test_warehouse_locked_by_a_running_pipeline(quarantine_home):
    warehouse = (quarantine_home / "warehouse.duckdb").resolve()
    # The pipeline, another process, holds DuckDB's write lock for as long as it writes.
    with duckdb.connect(str(warehouse)):
        line = one_line_error(run_emstat_process(quarantine_home, "quarantine"))
    assert line == f"emstat: the warehouse {warehouse} is in use by a running pipeline: try again when it has finished"


def test_mistyped_options(quarantine_home, tmp_path):
    assert (
        one_line_error(run(quarantine_home, "--file", "事故2025.csv"))
        == "emstat: no file named '事故2025.csv' has been loaded"
    )
    assert (
        one_line_error(run(quarantine_home, "--source", "accident"))
        == f"emstat: --source must be one of {', '.join(s.name for s in SOURCES)}, not 'accident'"
    )
    (tmp_path / "a file").touch()
    assert (
        one_line_error(run(quarantine_home, "--export", str(tmp_path / "a file")))
        == f"emstat: --export must be a folder, not the file {tmp_path / 'a file'}"
    )
