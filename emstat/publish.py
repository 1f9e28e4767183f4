"""Publish: an atomic, read-only copy of the warehouse for dashboards and reports.

Readers never open the pipeline's own file (DuckDB allows one writer or many readers, never both), and
never see a half-written copy: the copy is written beside the served file and moved onto it in one rename.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

MANIFEST_NAME = "published.json"


@dataclass(frozen=True)
class Publication:
    path: Path
    published_at: datetime
    size_bytes: int


def publish(warehouse: Path, target: Path, published_at: datetime) -> Publication:
    target.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("checkpoint")  # fold the write-ahead log into the file before copying it
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(warehouse, staging)
        with staging.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    manifest = {"published_at": published_at.isoformat(timespec="seconds"), "size_bytes": target.stat().st_size}
    manifest_tmp = target.with_name(f".{MANIFEST_NAME}.tmp")
    manifest_tmp.write_text(json.dumps(manifest), encoding="utf-8")
    os.replace(manifest_tmp, target.with_name(MANIFEST_NAME))
    return Publication(target, published_at, manifest["size_bytes"])


def last_publication(target: Path) -> Publication | None:
    manifest = target.with_name(MANIFEST_NAME)
    if not target.exists() or not manifest.exists():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return Publication(target, datetime.fromisoformat(data["published_at"]), data["size_bytes"])
