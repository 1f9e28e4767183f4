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
    FILE_INDEX,
    READ_PROBLEM,
    READABLE_SUFFIXES,
    ROW_NUMBER,
    FileError,
    SourceTable,
    map_columns,
    read_source_table,
    sha256_of,
    source_by_name,
    stacked,
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


HAS_PREVIOUS, IS_UNCHANGED = "_has_previous", "_is_unchanged"


def _insert_accepted(
    con: duckdb.DuckDBPyConnection, source: Source, accepted: pl.DataFrame
) -> dict[int, tuple[int, int, int]]:
    """Insert the rows that are new or differ from the revision before them; (new, revised, unchanged) by load.
    The revision before a row is the batch's previous row of the record (the files of a batch come in load
    order), else the record's current revision in the table; rows are compared value by value."""
    key = ", ".join(source.key)
    fields = [f.name for f in source.stored_fields]
    con.register("batch_keys", accepted.select(source.key))
    # Only the records the batch names: the window then sorts what the batch holds, not the table.
    current = con.execute(
        f"""
        select {", ".join(fields)} from {source.table} semi join batch_keys using ({key})
        qualify row_number() over (partition by {key} order by _load_id desc, _row_number desc) = 1
        """
    ).pl()
    con.unregister("batch_keys")
    staged = accepted.with_columns(_against_previous(accepted, current, source))
    counts = staged.group_by("_load_id").agg(
        (~pl.col(HAS_PREVIOUS)).sum().alias("new"),
        (pl.col(HAS_PREVIOUS) & ~pl.col(IS_UNCHANGED)).sum().alias("revised"),
        pl.col(IS_UNCHANGED).sum().alias("unchanged"),
    )
    con.register("inserted_rows", staged.filter(~pl.col(IS_UNCHANGED)).drop(HAS_PREVIOUS, IS_UNCHANGED))
    con.execute(f"insert into {source.table} by name select * from inserted_rows")
    con.unregister("inserted_rows")
    return {load_id: (new, revised, unchanged) for load_id, new, revised, unchanged in counts.iter_rows()}


def _against_previous(accepted: pl.DataFrame, current: pl.DataFrame, source: Source) -> list[pl.Series]:
    """For each accepted row, in order: whether its record has a revision before it, and whether that revision
    holds the same values. The current revisions and the batch are laid out by record, then in load order, so
    the revision before a row is the row above it."""
    fields = [f.name for f in source.stored_fields]
    order = "_order"
    past = current.cast({f: accepted.schema[f] for f in fields}).with_columns(pl.lit(-1, pl.Int64).alias(order))
    batch = accepted.select(fields).with_row_index(order).with_columns(pl.col(order).cast(pl.Int64))
    same_record = pl.all_horizontal(pl.col(k) == pl.col(k).shift(1) for k in source.key).fill_null(False)
    same_values = pl.all_horizontal(pl.col(f).eq_missing(pl.col(f).shift(1)) for f in fields if f not in source.key)
    flags = (
        pl.concat([past.select(order, *fields), batch.select(order, *fields)])
        .sort([*source.key, order])
        .select(
            order, same_record.alias(HAS_PREVIOUS), (same_record & same_values).fill_null(False).alias(IS_UNCHANGED)
        )
        .filter(pl.col(order) >= 0)
        .sort(order)
    )
    return [flags[HAS_PREVIOUS], flags[IS_UNCHANGED]]


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
        pl.col(FILE_INDEX),
        pl.col(ROW_NUMBER).alias("row_number"),
        record_id.alias("record_id"),
        pl.col(REASONS).list.join("；").alias("reason"),
        pl.struct([pl.col(raw_column(h)).alias(h) for h in headers]).struct.json_encode().alias("raw_values"),
        pl.col(WAITING_FOR).alias("waiting_for"),
    )


CHANGED_WHILE_READ = (
    "文件在读取时被修改(可能仍在复制或导出),下次运行时将重新读取 / the file changed while it was read "
    "(still being copied or exported?): it will be read again on the next run"
)
# Files of one source and layout are checked and inserted together up to this many rows: the fixed cost of a
# file (planning the checks, the lookups, the commit) is then paid once a batch, while a batch's frames stay
# a few hundred megabytes.
BATCH_ROWS = 300_000


@dataclass(frozen=True)
class _Read:
    """A landing file as read and hashed, before anything of it is written."""

    path: Path
    received_on: date
    sha: str | None  # None: it changed while it was read
    table: SourceTable | None = None  # its rows, when its content is new and reads as a table
    refusal: str | None = None  # why its new content cannot be read as a table

    @property
    def is_loaded_before(self) -> bool:
        return self.sha is not None and self.table is None and self.refusal is None


@dataclass(frozen=True)
class _Lineage:
    """Where each file of a batch is recorded, by its position in the batch."""

    load_ids: list[int]
    file_names: list[str]
    shas: list[str]

    def columns(self, load_id: str, file_name: str, file_sha256: str) -> list[pl.Expr]:
        """Each row's load id, file name and file hash, under the given names."""
        return [
            pl.col(FILE_INDEX).replace_strict(dict(enumerate(values)), return_dtype=dtype).alias(name)
            for values, name, dtype in (
                (self.load_ids, load_id, pl.Int64),
                (self.file_names, file_name, pl.String),
                (self.shas, file_sha256, pl.String),
            )
        ]


def _read(con: duckdb.DuckDBPyConnection, path: Path, received_on: date, batch_shas: set[str]) -> _Read:
    data = _read_settled(path)
    if data is None:
        return _Read(path, received_on, None)
    sha = sha256_of(data)
    if sha in batch_shas or loaded_before(con, sha):
        return _Read(path, received_on, sha)
    try:
        return _Read(path, received_on, sha, table=read_source_table(path, data))
    except FileError as exc:
        return _Read(path, received_on, sha, refusal=str(exc))
    except (pl.exceptions.PolarsError, fastexcel.FastExcelError, OSError, ValueError) as exc:
        reason = f"文件无法读取(格式损坏或不是表格) / the file cannot be read as a table: {exc}".splitlines()[0]
        return _Read(path, received_on, sha, refusal=reason)


def _read_settled(path: Path) -> bytes | None:
    """The file's bytes, or None when its size or modification time moved while they were read."""
    before = path.stat()
    data = path.read_bytes()
    after = path.stat()
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or len(data) != after.st_size:
        return None
    return data


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, now: datetime | None = None, received_on: date | None = None
) -> FileSummary:
    """One file in a transaction of its own. `received_on` dates the file for as-of reports (a back-filled
    return keeps the day it arrived); today by default."""
    now = now or local_now()
    (summary,) = _commit(con, [_read(con, path, received_on or now.date(), set())], now)
    return summary


def _commit(
    con: duckdb.DuckDBPyConnection, batch: list[_Read], now: datetime, waited_for: set[str] | None = None
) -> list[FileSummary]:
    """A batch in one transaction: a kill leaves none of its files, each file whole or not at all. Rows wait
    for the sources in `waited_for` (every source when None), or for a file sent again."""
    if batch[0].sha is None:
        return [FileSummary(batch[0].path.name, None, "changed", reason=CHANGED_WHILE_READ)]
    con.execute("begin transaction")
    try:
        if batch[0].table is not None:
            summaries = _load_tables(con, batch, now)
        elif batch[0].refusal is not None:
            summaries = [_reject(con, batch[0], now)]
        else:
            summaries = [FileSummary(batch[0].path.name, None, "unchanged")]
        summaries = [
            replace(summary, rows_resolved=_retry_waiting(con, read.path.name, read.sha, summary.source, now))
            if read.is_loaded_before or waited_for is None or summary.source in waited_for
            else summary
            for read, summary in zip(batch, summaries, strict=True)
        ]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return summaries


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select nextval('raw.load_ids')").fetchone()[0]


def _record_file(con, load_id, read: _Read, now, summary: FileSummary, encoding: str | None) -> None:
    con.execute(
        "insert into raw.files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            read.path.name,
            str(read.path.resolve()),
            read.sha,
            summary.source,
            encoding,
            now,
            read.received_on,
            summary.status,
            summary.reason,
            summary.rows_total,
            summary.rows_new,
            summary.rows_revised,
            summary.rows_unchanged,
            summary.rows_quarantined,
        ],
    )


def _load_tables(con: duckdb.DuckDBPyConnection, batch: list[_Read], now: datetime) -> list[FileSummary]:
    """Files of one layout checked as one table and inserted in one statement, each under its own load."""
    tables = [read.table for read in batch]
    lineage = _Lineage([_next_load_id(con) for _ in batch], [r.path.name for r in batch], [r.sha for r in batch])
    table = stacked(tables)
    source = table.source
    headers = [h for h in table.frame.columns if h not in BOOKKEEPING]
    by_field = {c.field.name: c.header for c in table.columns}
    key_headers = [by_field[k] for k in source.key if k in by_field]
    rows = typed_rows(table, lookups_for(con, source), now)
    is_refused = pl.col(REASONS).list.len() > 0
    refused = rows.filter(is_refused)
    per_file = {
        index: (total, quarantined)
        for index, total, quarantined in rows.group_by(FILE_INDEX).agg(pl.len(), is_refused.sum()).iter_rows()
    }

    quarantined = _quarantine_rows(refused, headers, key_headers).with_columns(
        lineage.columns("load_id", "file_name", "file_sha256")
    )
    con.register("quarantined_rows", quarantined)
    con.execute(
        "insert into raw.quarantine by name select load_id, ? as source, file_name, file_sha256, "
        "row_number, record_id, reason, raw_values, ? as quarantined_at, waiting_for from quarantined_rows "
        "order by load_id, row_number",
        [source.name, now],
    )
    con.unregister("quarantined_rows")

    counts = _insert_accepted(con, source, _stored(rows.filter(~is_refused), source, lineage, now))
    summaries = []
    for index, (read, load_id) in enumerate(zip(batch, lineage.load_ids, strict=True)):
        total, quarantined = per_file.get(index, (0, 0))
        new, revised, unchanged = counts.get(load_id, (0, 0, 0))
        summary = FileSummary(read.path.name, source.name, "loaded", total, new, revised, unchanged, quarantined)
        _record_file(con, load_id, read, now, summary, tables[index].encoding)
        summaries.append(summary)
    return summaries


def _stored(accepted: pl.DataFrame, source: Source, lineage: _Lineage, now: datetime) -> pl.DataFrame:
    """Accepted rows as the source's table holds them, with the lineage of the file each came in."""
    return accepted.select(
        *[f.name for f in source.stored_fields],
        *lineage.columns("_load_id", "_file_name", "_file_sha256"),
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
            pl.Series(ROW_NUMBER, [row[4] for row in rows], pl.Int64),
            pl.lit(None, pl.String).alias(READ_PROBLEM),
            pl.lit(0, pl.Int32).alias(FILE_INDEX),
        )
        table = SourceTable(source, frame, map_columns(source, headers), encoding="")
        accepted = typed_rows(table, lookups_for(con, source), now).filter(pl.col(REASONS).list.len() == 0)
        if accepted.is_empty():
            continue
        _insert_accepted(con, source, _stored(accepted, source, _Lineage([origin], [origin_file], [origin_sha]), now))
        con.execute(
            "update raw.quarantine set resolved_at = ?, resolved_by = ? "
            "where load_id = ? and list_contains(?, row_number)",
            [now, file_name, origin, accepted[ROW_NUMBER].to_list()],
        )
        resolved += accepted.height
    return resolved


def _reject(con, read: _Read, now: datetime) -> FileSummary:
    """A file that cannot be read as a whole: one quarantine entry naming the file, no rows."""
    load_id = _next_load_id(con)
    summary = FileSummary(read.path.name, None, "rejected", reason=read.refusal)
    con.execute(
        "insert into raw.quarantine (load_id, file_name, file_sha256, reason, quarantined_at) values (?, ?, ?, ?, ?)",
        [load_id, read.path.name, read.sha, read.refusal, now],
    )
    _record_file(con, load_id, read, now, summary, None)
    return summary


def _waited_for(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The sources whose records quarantined rows wait for."""
    rows = con.execute(
        "select distinct unnest(string_split(waiting_for, ',')) from raw.quarantine "
        "where resolved_at is null and waiting_for is not null"
    ).fetchall()
    return {name for (name,) in rows}


def _joins(batch: list[_Read], read: _Read, waited_for: set[str]) -> bool:
    """Whether `read` is checked and inserted with the files before it. A file that rows wait for goes alone,
    so that the quarantine names the very file that brought what they waited for."""
    if not batch or read.table is None or batch[0].table is None:
        return False
    return (
        read.table.layout == batch[0].table.layout
        and read.table.source.name not in waited_for
        and sum(r.table.frame.height for r in batch) + read.table.frame.height <= BATCH_ROWS
    )


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
    now = now or local_now()
    ensure_raw_schema(con)
    files = discover(paths, by_modification=dated_by_file)
    summaries: list[FileSummary] = []
    batch: list[_Read] = []
    started: dict[Path, float] = {}
    waited_for = _waited_for(con)

    def commit() -> None:
        nonlocal waited_for
        if not batch:
            return
        for read, summary in zip(batch, _commit(con, batch, now, waited_for), strict=True):
            index = len(summaries) + 1
            seconds = time.monotonic() - started[read.path]
            progress.publish(FileProgress(read.path.name, index, len(files), summary.rows_total, seconds, done=True))
            if on_file is not None:
                on_file(summary)
            summaries.append(summary)
        batch.clear()
        waited_for = _waited_for(con)

    for index, path in enumerate(files, start=1):
        started[path] = time.monotonic()
        progress.publish(FileProgress(path.name, index, len(files), 0, 0.0, done=False))
        read = _read(
            con, path, modified_on(path) if dated_by_file else (received_on or now.date()), {r.sha for r in batch}
        )
        if not _joins(batch, read, waited_for):
            commit()
        batch.append(read)
    commit()
    return summaries
