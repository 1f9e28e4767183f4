"""Publish: an atomic, read-only copy of the warehouse for dashboards and reports.

Readers never open the pipeline's own file (DuckDB allows one writer or many readers, never both), and
never see a half-written copy: the copy is written beside the served file and moved onto it in one rename.
The copy records when it was published (`ops.publication`) before that rename, so the figures and their time
change together; `published.json` beside it repeats the time for readers that do not open DuckDB.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

MANIFEST_NAME = "published.json"
PUBLICATION_TABLE = "ops.publication"  # when the copy holding it was published
# What the pipeline records about itself and what reached it: the runs, the checks, the file ledger and the
# quarantine. A run that does not publish still refreshes these in the published copy, so the quality dashboard
# shows why the figures did not change, and what was refused, while the figures stay those of the last good run.
OPERATIONAL_TABLES = (
    "ops.runs",
    "ops.run_files",
    "quality.validation_runs",
    "quality.validation_results",
    "raw.files",
    "raw.quarantine",
)


@dataclass(frozen=True)
class Publication:
    path: Path
    published_at: datetime
    size_bytes: int


def publish(warehouse: Path, target: Path, published_at: datetime) -> Publication:
    target.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("checkpoint")  # fold the write-ahead log into the file before copying it
    with _staged(target) as staging:
        shutil.copyfile(warehouse, staging)
        with duckdb.connect(str(staging)) as con:
            con.execute("create schema if not exists ops")
            con.execute(
                f"create or replace table {PUBLICATION_TABLE} as select ?::timestamp as published_at", [published_at]
            )
            con.execute("checkpoint")
    _write_manifest(target, published_at)
    return Publication(target, published_at, target.stat().st_size)


def _write_manifest(target: Path, published_at: datetime) -> None:
    manifest = {"published_at": published_at.isoformat(timespec="seconds"), "size_bytes": target.stat().st_size}
    manifest_tmp = target.with_name(f".{MANIFEST_NAME}.tmp")
    manifest_tmp.write_text(json.dumps(manifest), encoding="utf-8")
    os.replace(manifest_tmp, target.with_name(MANIFEST_NAME))


@contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """A file beside the target that replaces it in one rename once the body has written it."""
    # Left by a writer killed mid-copy; only one writer runs at a time, so none of these is in use.
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        stale.unlink()
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield staging
        with staging.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


def refresh_operational_tables(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Replace the run history and check results in the published copy with the warehouse's (`con`)."""
    with _staged(target) as staging:
        shutil.copyfile(target, staging)
        con.execute(f"attach '{staging}' as staged")
        try:
            for table in OPERATIONAL_TABLES:
                schema = table.split(".")[0]
                con.execute(f"create schema if not exists staged.{schema}")
                con.execute(f"create or replace table staged.{table} as select * from {table}")
        finally:
            con.execute("detach staged")


def last_publication(target: Path) -> Publication | None:
    """When the served copy was published, as the copy itself records it (or, for a copy published before copies
    recorded it, as published.json says)."""
    if not target.exists():
        return None
    with duckdb.connect(str(target), read_only=True) as con:
        recorded = con.execute(
            "select 1 from duckdb_tables() where schema_name = ? and table_name = ?", PUBLICATION_TABLE.split(".")
        ).fetchone()
        stamped = con.execute(f"select published_at from {PUBLICATION_TABLE}").fetchone() if recorded else None
    if stamped is not None:
        return Publication(target, stamped[0], target.stat().st_size)
    manifest = target.with_name(MANIFEST_NAME)
    if not manifest.exists():
        return None
    return Publication(
        target,
        datetime.fromisoformat(json.loads(manifest.read_text(encoding="utf-8"))["published_at"]),
        target.stat().st_size,
    )
