"""The rows a raw suite judges: each record's current revision, by the day its file was received, then its load and
row (as dbt's revision_history dates them); a record with one revision is taken as it is, the others ranked."""

from __future__ import annotations

import duckdb
import pytest

from expectations.contract_suites import current_revisions
from ingest.contract import SOURCES_BY_NAME
from ingest.warehouse import ensure_raw_schema

ACCIDENTS = SOURCES_BY_NAME["accidents"]
# (load, received on): load 2 was received before load 1, as in a back-filled archive.
FILES = [(1, "2025-01-02"), (2, "2025-01-01"), (3, "2025-01-03")]
# (accident_id, load, row, deaths); load 9 is in no ledger (a row written around the loader).
ROWS = [
    ("A", 1, 2, 1),
    ("A", 2, 2, 2),
    ("A", 3, 5, 3),
    ("B", 1, 2, 4),
    (None, 1, 2, 5),
    (None, 2, 3, 6),
    ("C", 9, 2, 7),
    ("C", 1, 2, 8),
    ("D", 2, 2, 9),
    ("D", 1, 3, 10),
]


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    ensure_raw_schema(connection)
    for load, received_on in FILES:
        connection.execute(
            "insert into raw.files (load_id, file_name, file_path, file_sha256, loaded_at, received_on, status, "
            "rows_total, rows_new, rows_revised, rows_unchanged, rows_quarantined) "
            "values (?, 'f', 'f', ?, now(), ?, 'loaded', 0, 0, 0, 0, 0)",
            [load, str(load), received_on],
        )
    for accident_id, load, row, deaths in ROWS:
        connection.execute(
            "insert into raw.accidents (accident_id, occurred_at, region_code, industry, deaths, _load_id, "
            "_file_name, _file_sha256, _row_number, _loaded_at) "
            "values (?, '2025-01-01', '990121100', 'fire', ?, ?, 'f.csv', 's', ?, now())",
            [accident_id, deaths, load, row],
        )
    yield connection
    connection.close()


def _current(con, loaded_after: int | None = None) -> list[tuple]:
    return sorted(
        con.execute(
            f"select accident_id, deaths, _record_id from ({current_revisions(ACCIDENTS, loaded_after)})"
        ).fetchall(),
        key=str,
    )


def test_each_record_is_judged_by_its_current_revision(con):
    # A: load 3 was received last. C: load 9 has no file, so it ranks after every received one. D: load 1 was
    # received after load 2. The two rows without an id are one record to the ranking, named by file and row.
    assert _current(con) == [("A", 3, "A"), ("B", 4, "B"), ("C", 8, "C"), ("D", 10, "D"), (None, 5, "f.csv row 2")]


def test_after_a_load_only_the_current_revisions_later_loads_brought(con):
    # Later than load 1: A's current revision (load 3). C's and D's current revisions are load 1's.
    assert _current(con, loaded_after=1) == [("A", 3, "A")]
    assert _current(con, loaded_after=3) == []
