"""Shared fixtures: a throwaway EMSTAT_HOME, and the session's built homes (tests/homes.py)."""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

import pytest

from tests.homes import BuiltHome, Shelf, shelf_folder

SHARED_MEMORY = Path("/dev/shm")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """The session's homes in memory where a tmpfs is mounted: Dagster's event log commits every event (600 a
    build) and DuckDB checkpoints each file, which on disk waits for the device; a build takes a fifth less.
    One folder per user and checkout, emptied by the next run; `--basetemp` chooses another."""
    if config.option.basetemp is not None or "PYTEST_XDIST_WORKER" in os.environ or not SHARED_MEMORY.is_dir():
        return
    checkout = hashlib.sha256(str(config.rootpath).encode()).hexdigest()[:8]
    config.option.basetemp = str(SHARED_MEMORY / f"emstat-tests-{getpass.getuser()}-{checkout}")


def pytest_terminal_summary(terminalreporter) -> None:
    """The hostile suite's count of cases, as docs/operations.md "What happens when" quotes it."""
    outcomes: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        # Warnings sit in the same stats as test reports, with a node id but no phase.
        for report in reports:
            phase = getattr(report, "when", None)
            if "tests/hostile/" in getattr(report, "nodeid", "") and phase and (phase == "call" or report.skipped):
                outcomes[report.outcome] = outcomes.get(report.outcome, 0) + 1
    if outcomes:
        terminalreporter.write_line(
            "hostile cases: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        )


@pytest.fixture
def emstat_home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture(scope="session")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Shelf:
    return Shelf(shelf_folder(tmp_path_factory.getbasetemp()))


@pytest.fixture(scope="session")
def built_home(shelf: Shelf) -> BuiltHome:
    """tests/pipeline/fixtures/landing ingested and built; its `outputs[0]` is what the ingest printed."""
    return shelf.get("pipeline")
