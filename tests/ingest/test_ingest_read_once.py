"""A landing file is read once: the ledger records the hash of the very bytes whose rows it loaded, and a file
that changes while it is read is left for the next run. Another program rewriting the file is played by
replacing it on disk right after emstat's first read of it. (Damaged rows: tests/hostile.)"""

from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest.loader import CHANGED_WHILE_READ, FileSummary, load_file, load_paths

REGIONS = Path(__file__).parent / "fixtures" / "clean" / "regions.csv"
NOW = datetime(2026, 1, 1)


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    load_paths(connection, [REGIONS], now=NOW)
    yield connection
    connection.close()


def _accidents(con) -> list[tuple]:
    return con.execute(
        "select accident_id, deaths, injuries, description from raw.accidents order by accident_id"
    ).fetchall()


HEADER = "事故编号,发生时间,行政区划代码,行业领域,死亡人数,受伤人数\n"
OLD = (HEADER + "K1,2025/3/1 8:00,990121100,道路交通,1,2\n").encode()
NEW = (HEADER + "K1,2025/3/1 8:00,990121100,道路交通,3,2\n").encode()  # the same size


def _rewritten_after_the_first_read(monkeypatch, path: Path, keep_mtime: bool) -> None:
    """Another program replaces the file just after emstat's first read of it (a township re-exporting into the
    landing folder); with `keep_mtime` it leaves the size and modification time as they were (a sync tool)."""
    real_open = Path.open
    first = [True]

    def open_and_replace(self, mode="r", *args, **kwargs):
        if self != path or "b" not in mode or not first[0]:
            return real_open(self, mode, *args, **kwargs)
        first[0] = False
        stat = path.stat()
        path.write_bytes(NEW)
        if keep_mtime:
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        return io.BytesIO(OLD)

    monkeypatch.setattr(Path, "open", open_and_replace)


def test_the_ledger_holds_the_hash_of_the_very_bytes_whose_rows_it_loaded(con, tmp_path, monkeypatch):
    path = tmp_path / "accidents_k.csv"
    path.write_bytes(OLD)
    _rewritten_after_the_first_read(monkeypatch, path, keep_mtime=True)
    load_file(con, path, NOW)
    assert con.execute("select file_sha256 from raw.files where file_name = 'accidents_k.csv'").fetchone() == (
        hashlib.sha256(OLD).hexdigest(),
    )
    assert _accidents(con) == [("K1", 1, 2, None)]
    # The new version is a file of its own, not "already loaded": its revision stands.
    assert load_file(con, path, NOW) == FileSummary(
        "accidents_k.csv", "accidents", "loaded", rows_total=1, rows_revised=1
    )
    assert con.execute("select deaths from raw.accidents order by _load_id desc limit 1").fetchone() == (3,)


def test_a_file_that_changes_while_it_is_read_is_left_for_the_next_run(con, tmp_path, monkeypatch):
    path = tmp_path / "accidents_k.csv"
    path.write_bytes(OLD)
    os.utime(path, ns=(0, 0))
    _rewritten_after_the_first_read(monkeypatch, path, keep_mtime=False)
    assert load_file(con, path, NOW) == FileSummary("accidents_k.csv", None, "changed", reason=CHANGED_WHILE_READ)
    assert con.execute("select count(*) from raw.files where file_name = 'accidents_k.csv'").fetchone() == (0,)
    assert _accidents(con) == []
    # The next run reads the file as it now stands.
    assert load_file(con, path, NOW) == FileSummary("accidents_k.csv", "accidents", "loaded", rows_total=1, rows_new=1)
    assert _accidents(con) == [("K1", 3, 2, None)]
