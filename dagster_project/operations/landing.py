"""Which landing files are new: pure functions of the folder listing and the sensor's cursor.

A file is known by its path, size and modification time. A file is offered once; it is offered again only
when it changes (a township re-sends a corrected file under the same name). A file modified within the
settle time may still be being copied in, so it waits for the next tick.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".csv", ".xlsx", ".xls")


@dataclass(frozen=True)
class Arrival:
    paths: list[str]  # new or changed files, in name order
    cursor: str  # what the sensor remembers after offering them


def signature(path: Path) -> tuple[str, int]:
    """What a file is known by, and when it was last modified (ns)."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}", stat.st_mtime_ns


def landing_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
    )


def arrivals(folder: Path, cursor: str | None, now_ns: int, settle_s: float) -> Arrival:
    seen: dict[str, str] = json.loads(cursor) if cursor else {}
    fresh: list[str] = []
    for path in landing_files(folder):
        key = str(path)
        mark, modified_ns = signature(path)
        if seen.get(key) == mark:
            continue
        if now_ns - modified_ns < settle_s * 1e9:
            continue  # still arriving
        seen[key] = mark
        fresh.append(key)
    return Arrival(fresh, json.dumps(seen, sort_keys=True))
