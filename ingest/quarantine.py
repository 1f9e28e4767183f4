"""Rows the loader refused, read back so statisticians can return them to the township that filed them.

Pure functions over a DuckDB connection to the pipeline's own warehouse: the quarantine is wanted right after
ingest, before anything is built or published.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path

import duckdb

from core.workbook import Grid, Sheet, write_workbook

SHEET_NAME = "退回"
LEADING_HEADERS = ("行号", "原因", "编号")
REASON_COLUMN = LEADING_HEADERS.index("原因")
MAX_COLUMN_WIDTH = 50  # a long reason wraps instead of pushing the file's own columns off screen


class WarehouseBusy(Exception):
    """DuckDB lets no other process open the file, even read-only, while the pipeline writes to it."""


@dataclass(frozen=True)
class QuarantinedRow:
    load_id: int
    source: str | None  # None when the whole file was rejected before its source was known
    file_name: str
    file_sha256: str
    row_number: int | None  # as the clerk sees it in Excel (header = row 1); None for a whole-file rejection
    record_id: str | None
    reason: str
    raw_values: dict[str, str | None]  # the file's own headers in its column order; empty for a rejected file
    quarantined_at: datetime
    waiting_for: str | None = None  # the sources of the linked records it lacks, when that is all it lacks
    resolved_at: datetime | None = None  # when those records arrived and the row was loaded
    resolved_by: str | None = None  # the file that brought them

    @property
    def state(self) -> str:
        """What became of the row: resolved, waiting for its linked records, or the township's to fix."""
        if self.resolved_at is not None:
            return f"resolved {self.resolved_at:%Y-%m-%d %H:%M} by {self.resolved_by}"
        if self.waiting_for:
            return f"waiting for {self.waiting_for.replace(',', ' and ')}"
        return ""

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file_name,
            "source": self.source,
            "row_number": self.row_number,
            "record_id": self.record_id,
            "reason": self.reason,
            "raw_values": self.raw_values,
            "quarantined_at": self.quarantined_at.isoformat(),
            "waiting_for": self.waiting_for,
            "resolved_at": self.resolved_at and self.resolved_at.isoformat(),
            "resolved_by": self.resolved_by,
        }


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "Could not set lock" not in str(exc):
            raise
        raise WarehouseBusy(
            f"the warehouse {path} is in use by a running pipeline: try again when it has finished"
        ) from None


def is_loaded(con: duckdb.DuckDBPyConnection, file_name: str) -> bool:
    return con.execute("select 1 from raw.files where file_name = ? limit 1", [file_name]).fetchone() is not None


def quarantined_rows(
    con: duckdb.DuckDBPyConnection, *, file: str | None = None, source: str | None = None
) -> list[QuarantinedRow]:
    """Refused rows in the order they were loaded: by file load, then row (a whole-file rejection first)."""
    filters = {"file_name": file, "source": source}
    where = [f"{column} = ?" for column, value in filters.items() if value is not None]
    rows = con.execute(
        "select load_id, source, file_name, file_sha256, row_number, record_id, reason, raw_values, quarantined_at, "
        "waiting_for, resolved_at, resolved_by "
        "from raw.quarantine "
        + (f"where {' and '.join(where)} " if where else "")
        + "order by load_id, row_number nulls first",
        [value for value in filters.values() if value is not None],
    ).fetchall()
    return [QuarantinedRow(*row[:7], json.loads(row[7]) if row[7] else {}, *row[8:]) for row in rows]


def export_xlsx(
    con: duckdb.DuckDBPyConnection, folder: Path, *, file: str | None = None, source: str | None = None
) -> list[Path]:
    """One workbook per loaded file with refused rows, for the clerk to fix and send again; the paths written.
    Rows since resolved (their linked records arrived) are the clerk's no longer and are left out."""
    refused = [r for r in quarantined_rows(con, file=file, source=source) if r.resolved_at is None]
    loads = [list(rows) for _, rows in groupby(refused, lambda r: r.load_id)]
    names = _workbook_names([rows[0] for rows in loads])
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rows in loads:
        path = folder / names[rows[0].load_id]
        _write_workbook(path, rows)
        written.append(path)
    return written


def _workbook_names(firsts: list[QuarantinedRow]) -> dict[int, str]:
    """`<stem>_退回.xlsx`; townships often send files of the same name, so those loads carry their load id too.

    Stems are compared case-blind because the folder may well be on a Windows share.
    """
    stems = Counter(Path(r.file_name).stem.casefold() for r in firsts)
    names = {}
    for r in firsts:
        stem = Path(r.file_name).stem
        names[r.load_id] = f"{stem}_退回.xlsx" if stems[stem.casefold()] == 1 else f"{stem}_退回_{r.load_id}.xlsx"
    return names


def _write_workbook(path: Path, rows: list[QuarantinedRow]) -> None:
    file_headers = list(dict.fromkeys(header for r in rows for header in r.raw_values))
    grid = Grid(
        [*LEADING_HEADERS, *file_headers],
        [[r.row_number, r.reason, r.record_id, *(r.raw_values.get(h) for h in file_headers)] for r in rows],
    )
    # Codes such as 990121100 are kept as text on purpose; Excel's green "number stored as text" flags would
    # tempt the clerk to convert them.
    write_workbook(
        path,
        [
            Sheet(
                SHEET_NAME,
                [grid],
                max_width=MAX_COLUMN_WIDTH,
                freeze_columns=0,
                wrap_columns=(REASON_COLUMN,),
                codes_as_text=True,
            )
        ],
    )
