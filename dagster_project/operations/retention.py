"""What a home keeps of what each run leaves behind, and for how long.

Every run writes its log (`logs/<job>-<time>.log`), and Great Expectations a result file and a data-docs page
per suite. They are kept for EMSTAT_KEEP_DAYS days (90 by default), and the newest of each suite always, so the
data docs never lose a suite. The checks' results stay in the warehouse (`quality.*`) whatever their age.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from core.settings import Home, SettingError

DEFAULT_KEEP_DAYS = 90
RUN_LOG = re.compile(r"^(ingest|build|pipeline)-[0-9]{8}-[0-9]{6}\.log$")  # not the error log nor Superset's


def keep_days() -> int:
    value = os.environ.get("EMSTAT_KEEP_DAYS", "").strip()
    if not value:
        return DEFAULT_KEEP_DAYS
    if not value.isdigit() or int(value) < 1:
        raise SettingError(f"EMSTAT_KEEP_DAYS must be a whole number of days, at least 1, not {value!r}")
    return int(value)


def prune(home: Home, now: float | None = None) -> int:
    """Remove what is older than the retention; how many files went."""
    cutoff = (time.time() if now is None else now) - keep_days() * 86_400
    uncommitted = home.gx / "gx" / "uncommitted"
    removed = sum(
        _prune_suites(folder, suffix, cutoff)
        for folder, suffix in (
            (uncommitted / "validations", ".json"),
            (uncommitted / "data_docs" / "local_site" / "validations", ".html"),
        )
    )
    if home.logs.is_dir():
        for log in home.logs.iterdir():
            if RUN_LOG.match(log.name) and log.stat().st_mtime < cutoff:
                log.unlink()
                removed += 1
    return removed


def _prune_suites(folder: Path, suffix: str, cutoff: float) -> int:
    removed = 0
    if not folder.is_dir():
        return removed
    for suite in (p for p in folder.iterdir() if p.is_dir()):
        files = sorted(suite.rglob(f"*{suffix}"), key=lambda p: p.stat().st_mtime)
        for old in files[:-1]:  # the newest stays, however old
            if old.stat().st_mtime < cutoff:
                old.unlink()
                removed += 1
        for empty in sorted((d for d in suite.rglob("*") if d.is_dir()), key=lambda d: len(d.parts), reverse=True):
            if not any(empty.iterdir()):
                empty.rmdir()
    return removed
