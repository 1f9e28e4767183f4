"""Load landing files into the raw schema: accepted rows with lineage, refused rows into the quarantine.

Each file is one transaction, so a crash never leaves half a file behind, and a file whose content was
loaded before (same sha256) is skipped, so loading a folder twice changes nothing. A file is read once: the
bytes hashed into the ledger are the bytes parsed, and a file that changes while it is read is left for the next
run rather than recorded half old, half new.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import groupby
from pathlib import Path

import duckdb
import fastexcel
import polars as pl

from core.clock import LOCAL_TZ, local_now
from ingest import progress
from ingest.contract import SOURCES, SOURCES_BY_NAME, Source
from ingest.progress import FileProgress
from ingest.reader import (
    BOOKKEEPING,
    READ_PROBLEM,
    READABLE_SUFFIXES,
    ROW_NUMBER,
    FileError,
    SourceTable,
    map_columns,
    read_source_table,
    sha256_of,
    source_by_name,
)
from ingest.validate import REASONS, WAITING_FOR, Lookups, RegionReference, raw_column, typed_rows
from ingest.warehouse import ensure_raw_schema


@dataclass(frozen=True)
class FileSummary:
    file: str
    source: str | None
    status: str  # loaded | unchanged | rejected | changed (while it was read: not recorded, read again next run)
    rows_total: int = 0
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    rows_quarantined: int = 0
    reason: str | None = None
    rows_resolved: int = 0  # rows of earlier loads that waited for the records this file brought, loaded now

    def line(self) -> str:
        resolved = (
            f"; {self.rows_resolved} waiting {'row' if self.rows_resolved == 1 else 'rows'} of earlier files loaded"
            if self.rows_resolved
            else ""
        )
        if self.status == "unchanged":
            return f"{self.file}: already loaded" + (resolved or ", nothing to do")
        if self.status == "rejected":
            return f"{self.file}: rejected: {self.reason}"
        if self.status == "changed":
            return f"{self.file}: not loaded: {self.reason}"
        return (
            f"{self.file} [{self.source}]: {self.rows_total} rows: {self.rows_new} new, {self.rows_revised} revised, "
            f"{self.rows_unchanged} unchanged, {self.rows_quarantined} quarantined{resolved}"
        )


def _load_rank(path: Path) -> int:
    """The position of the file's source in SOURCES (reference data, records, then records that link to
    records); a file whose name does not tell comes last."""
    source = source_by_name(path.stem)
    return len(SOURCES) if source is None else SOURCES.index(source)


def modified_on(path: Path) -> date:
    """The Beijing day a file was last saved: when an archived return reached the bureau."""
    return datetime.fromtimestamp(path.stat().st_mtime, LOCAL_TZ).date()


def discover(paths: Iterable[Path], by_modification: bool = False) -> list[Path]:
    """Files under the given paths, in the order that lets each be checked against what it refers to; within a
    source, by name, or `by_modification` time (the order returns arrived in, which decides which revision
    stands)."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"no such file or folder: {path}")
        candidates: Iterator[Path] = path.rglob("*") if path.is_dir() else iter([path])
        found += [
            p
            for p in candidates
            if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES and not p.name.startswith(("~$", "."))
        ]
    if by_modification:
        return sorted(set(found), key=lambda p: (_load_rank(p), p.stat().st_mtime, str(p)))
    return sorted(set(found), key=lambda p: (_load_rank(p), str(p)))


def loaded_before(con: duckdb.DuckDBPyConnection, sha: str) -> bool:
    """Whether a file of this content was loaded (or rejected) before: loading it again would change nothing."""
    return con.execute("select 1 from raw.files where file_sha256 = ?", [sha]).fetchone() is not None


def lookups_for(con: duckdb.DuckDBPyConnection, source: Source) -> Lookups:
    rows = con.execute(
        """
        select region_code, name from raw.regions
        qualify row_number() over (partition by region_code order by _load_id desc) = 1
        """
    ).fetchall()

    def known_ids(target_name: str, ids: pl.Series) -> frozenset[str]:
        if ids.is_empty():
            return frozenset()
        target = SOURCES_BY_NAME[target_name]
        con.register("referenced_ids", pl.DataFrame({"id": ids.cast(pl.String)}))
        try:
            found = con.execute(
                f"select distinct {target.key[0]} from {target.table} "
                f"where {target.key[0]} in (select id from referenced_ids)"
            ).fetchall()
        finally:
            con.unregister("referenced_ids")
        return frozenset(i for (i,) in found)

    return Lookups(RegionReference.from_rows(rows), known_ids)


def _hash_sql(source: Source) -> str:
    parts = ", ".join(f"coalesce(cast({f.name} as varchar), '\\N')" for f in source.stored_fields)
    return f"md5(concat_ws('\x1f', {parts}))"


def _insert_accepted(con: duckdb.DuckDBPyConnection, source: Source, accepted: pl.DataFrame) -> tuple[int, int, int]:
    """Insert rows that are new or differ from the current revision; (new, revised, unchanged)."""
    con.register("accepted_rows", accepted)
    con.execute(f"create or replace temp table staged as select *, {_hash_sql(source)} as _row_hash from accepted_rows")
    con.unregister("accepted_rows")
    key = ", ".join(source.key)
    con.execute(
        f"""
        create or replace temp table staged_vs_current as
        select s.*, c._row_hash as _current_hash
        from staged s
        left join (
            -- Only the records this file names: the window then sorts what the file holds, not the table.
            select {key}, _row_hash from {source.table} semi join staged using ({key})
            qualify row_number() over (partition by {key} order by _load_id desc, _row_number desc) = 1
        ) c using ({key})
        """
    )
    new, revised, unchanged = con.execute(
        """
        select count(*) filter (where _current_hash is null),
               count(*) filter (where _current_hash <> _row_hash),
               count(*) filter (where _current_hash = _row_hash)
        from staged_vs_current
        """
    ).fetchone()
    con.execute(
        f"insert into {source.table} by name "
        f"select * exclude (_current_hash) from staged_vs_current where _current_hash is distinct from _row_hash"
    )
    con.execute("drop table staged; drop table staged_vs_current")
    return new, revised, unchanged


def _quarantine_rows(rows: pl.DataFrame, headers: list[str], key_headers: list[str]) -> pl.DataFrame:
    """The rows as the clerk wrote them; the record id as written too (a refused id may not even parse)."""
    parts = [pl.col(raw_column(h)).str.strip_chars() for h in key_headers]
    record_id = (
        pl.when(pl.any_horizontal([p.is_not_null() & (p != "") for p in parts])).then(
            pl.concat_str(parts, separator="/", ignore_nulls=True)
        )
        if parts
        else pl.lit(None, pl.String)
    )
    return rows.select(
        pl.col(ROW_NUMBER).alias("row_number"),
        record_id.alias("record_id"),
        pl.col(REASONS).list.join("；").alias("reason"),
        pl.struct([pl.col(raw_column(h)).alias(h) for h in headers]).struct.json_encode().alias("raw_values"),
        pl.col(WAITING_FOR).alias("waiting_for"),
    )


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, now: datetime | None = None, received_on: date | None = None
) -> FileSummary:
    """`received_on` dates the file for as-of reports (a back-filled return keeps the day it arrived);
    today by default."""
    now = now or local_now()
    received_on = received_on or now.date()
    data = _read_settled(path)
    if data is None:
        return FileSummary(path.name, None, "changed", reason=CHANGED_WHILE_READ)
    sha = sha256_of(data)
    con.execute("begin transaction")
    try:
        if loaded_before(con, sha):
            summary = FileSummary(path.name, None, "unchanged")
        else:
            load_id = con.execute("select nextval('raw.load_ids')").fetchone()[0]
            summary = _load_new_file(con, path, data, sha, load_id, now, received_on)
        summary = replace(summary, rows_resolved=_retry_waiting(con, path.name, sha, summary.source, now))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return summary


CHANGED_WHILE_READ = (
    "文件在读取时被修改(可能仍在复制或导出),下次运行时将重新读取 / the file changed while it was read "
    "(still being copied or exported?): it will be read again on the next run"
)


def _read_settled(path: Path) -> bytes | None:
    """The file's bytes, or None when its size or modification time moved while they were read."""
    before = path.stat()
    data = path.read_bytes()
    after = path.stat()
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size:
        return None
    return data


def _record_file(con, load_id, path, sha, now, received_on, summary: FileSummary, encoding: str | None) -> None:
    con.execute(
        "insert into raw.files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            path.name,
            str(path.resolve()),
            sha,
            summary.source,
            encoding,
            now,
            received_on,
            summary.status,
            summary.reason,
            summary.rows_total,
            summary.rows_new,
            summary.rows_revised,
            summary.rows_unchanged,
            summary.rows_quarantined,
        ],
    )


def _load_new_file(
    con, path: Path, data: bytes, sha: str, load_id: int, now: datetime, received_on: date
) -> FileSummary:
    try:
        table = read_source_table(path, data)
    except FileError as exc:
        return _reject(con, path, sha, load_id, now, received_on, str(exc))
    except (pl.exceptions.PolarsError, fastexcel.FastExcelError, OSError, ValueError) as exc:
        reason = f"文件无法读取(格式损坏或不是表格) / the file cannot be read as a table: {exc}".splitlines()[0]
        return _reject(con, path, sha, load_id, now, received_on, reason)

    source = table.source
    headers = [h for h in table.frame.columns if h not in BOOKKEEPING]
    by_field = {c.field.name: c.header for c in table.columns}
    key_headers = [by_field[k] for k in source.key if k in by_field]
    rows = typed_rows(table, lookups_for(con, source), now)
    refused = rows.filter(pl.col(REASONS).list.len() > 0)
    accepted = rows.filter(pl.col(REASONS).list.len() == 0)

    quarantined = _quarantine_rows(refused, headers, key_headers)
    con.register("quarantined_rows", quarantined)
    con.execute(
        "insert into raw.quarantine by name select ? as load_id, ? as source, ? as file_name, ? as file_sha256, "
        "row_number, record_id, reason, raw_values, ? as quarantined_at, waiting_for from quarantined_rows",
        [load_id, source.name, path.name, sha, now],
    )
    con.unregister("quarantined_rows")

    new, revised, unchanged = _insert_accepted(con, source, _stored(accepted, source, load_id, path.name, sha, now))
    summary = FileSummary(path.name, source.name, "loaded", rows.height, new, revised, unchanged, refused.height)
    _record_file(con, load_id, path, sha, now, received_on, summary, table.encoding)
    return summary


def _stored(
    accepted: pl.DataFrame, source: Source, load_id: int, file_name: str, sha: str, now: datetime
) -> pl.DataFrame:
    """Accepted rows as the source's table holds them, with the lineage of the file they came in."""
    return accepted.select(
        *[f.name for f in source.stored_fields],
        pl.lit(load_id, pl.Int64).alias("_load_id"),
        pl.lit(file_name).alias("_file_name"),
        pl.lit(sha).alias("_file_sha256"),
        pl.col(ROW_NUMBER).alias("_row_number"),
        pl.lit(now, pl.Datetime("us")).alias("_loaded_at"),
    )


def _retry_waiting(con, file_name: str, sha: str, source_name: str | None, now: datetime) -> int:
    """Rows refused only because a record they link to was not loaded yet, tried again when a file of that
    record's source loads, or when their own file is sent again. A row that passes now is loaded as part of the
    file it came in (its load, name and row), and the quarantine marks it resolved: when, and by which file."""
    waiting = con.execute(
        "select load_id, source, file_name, file_sha256, row_number, raw_values from raw.quarantine "
        "where resolved_at is null and (list_contains(string_split(waiting_for, ','), ?) "
        "or (waiting_for is not null and file_sha256 = ?)) order by load_id, row_number",
        [source_name, sha],
    ).fetchall()
    resolved = 0
    for (origin, name, origin_file, origin_sha), group in groupby(waiting, key=lambda row: row[:4]):
        rows = list(group)
        values = [json.loads(row[5]) for row in rows]
        headers = list(values[0])
        source = SOURCES_BY_NAME[name]
        frame = pl.DataFrame({h: [v.get(h) for v in values] for h in headers}, schema=dict.fromkeys(headers, pl.String))
        frame = frame.with_columns(
            pl.Series(ROW_NUMBER, [row[4] for row in rows], pl.Int64), pl.lit(None, pl.String).alias(READ_PROBLEM)
        )
        table = SourceTable(source, frame, map_columns(source, headers), encoding="")
        accepted = typed_rows(table, lookups_for(con, source), now).filter(pl.col(REASONS).list.len() == 0)
        if accepted.is_empty():
            continue
        _insert_accepted(con, source, _stored(accepted, source, origin, origin_file, origin_sha, now))
        con.execute(
            "update raw.quarantine set resolved_at = ?, resolved_by = ? "
            "where load_id = ? and list_contains(?, row_number)",
            [now, file_name, origin, accepted[ROW_NUMBER].to_list()],
        )
        resolved += accepted.height
    return resolved


def _reject(con, path: Path, sha: str, load_id: int, now: datetime, received_on: date, reason: str) -> FileSummary:
    """A file that cannot be read as a whole: one quarantine entry naming the file, no rows."""
    summary = FileSummary(path.name, None, "rejected", reason=reason)
    con.execute(
        "insert into raw.quarantine (load_id, file_name, file_sha256, reason, quarantined_at) values (?, ?, ?, ?, ?)",
        [load_id, path.name, sha, reason, now],
    )
    _record_file(con, load_id, path, sha, now, received_on, summary, None)
    return summary


def load_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    now: datetime | None = None,
    on_file: Callable[[FileSummary], None] | None = None,
    received_on: date | None = None,
    dated_by_file: bool = False,
) -> list[FileSummary]:
    """Load every file under `paths`; `on_file` hears of each file as soon as it is committed. `dated_by_file`
    backfills an archive: each file is received on the day it was last saved, and files load in that order."""
    ensure_raw_schema(con)
    files = discover(paths, by_modification=dated_by_file)
    summaries = []
    for index, path in enumerate(files, start=1):
        started = time.monotonic()
        progress.publish(FileProgress(path.name, index, len(files), 0, 0.0, done=False))
        summary = load_file(con, path, now, modified_on(path) if dated_by_file else received_on)
        progress.publish(
            FileProgress(path.name, index, len(files), summary.rows_total, time.monotonic() - started, done=True)
        )
        if on_file is not None:
            on_file(summary)
        summaries.append(summary)
    return summaries
