"""Wall time and peak memory of a command run as a child process. Memory is the resident set of the whole
process tree (the pipeline starts dbt as its own process), sampled from /proc every 50 ms."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float


class CommandFailed(Exception):
    pass


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name may hold spaces and parentheses: the parent pid follows the last ')'.
            parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_rss_bytes(root: int) -> int:
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass  # it ended between the listing and the read
        todo += tree.get(pid, [])
    return total


def measure(command: Sequence[str], env: dict[str, str] | None = None, log: Path | None = None) -> Measured:
    """Run `command`: its wall time and the highest memory its process tree reached."""
    peak = 0
    with open(log or os.devnull, "a", encoding="utf-8") as out:
        started = time.monotonic()
        child = subprocess.Popen(list(command), env=env, stdout=out, stderr=subprocess.STDOUT)
        while child.poll() is None:
            peak = max(peak, tree_rss_bytes(child.pid))
            time.sleep(0.05)
        seconds = time.monotonic() - started
    if child.returncode != 0:
        where = f"; its output is in {log}" if log else ""
        raise CommandFailed(f"{' '.join(command[:3])} … exited with {child.returncode}{where}")
    return Measured(seconds, peak / 2**20)
