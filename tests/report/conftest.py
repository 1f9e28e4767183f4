"""A small dataset of every source, counted by hand (fixtures/HAND_COUNT.md), loaded the way a bureau would:
the month's returns received on 5 June 2025, a 补报 on 20 June."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_emstat

FIXTURES = Path(__file__).parent / "fixtures"
FIRST_RECEIVED = "2025-06-05"
REVISIONS_RECEIVED = "2025-06-20"


@dataclass(frozen=True)
class Home:
    root: Path

    def report(self, *args: str) -> dict:
        done = run_emstat(self.root, "report", *args, "--format", "json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def report_like(self, expected: dict) -> dict:
        """The report asked with the region, period and as-of date an expected document names."""
        args = ["--region", expected["region"]["code"], "--from", expected["period"]["from"],
                "--to", expected["period"]["to"]]
        if expected["as_of"]:
            args += ["--as-of", expected["as_of"]]
        return self.report(*args)


def _ingest_and_build(home: Path, folder: Path, received_on: str) -> None:
    ingested = run_emstat(home, "ingest", str(folder), "--received-on", received_on)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert "quarantined" in ingested.stdout and ", 0 quarantined" in ingested.stdout, ingested.stdout
    built = run_emstat(home, "build")
    assert built.returncode == 0, built.stdout + built.stderr


@pytest.fixture(scope="session")
def first_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """Only the returns received on 5 June."""
    home = tmp_path_factory.mktemp("first") / "home"
    _ingest_and_build(home, FIXTURES / "landing", FIRST_RECEIVED)
    return Home(home)


@pytest.fixture(scope="session")
def revised_home(first_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    """The same warehouse after the 补报 of 20 June."""
    home = tmp_path_factory.mktemp("revised") / "home"
    shutil.copytree(first_home.root, home)
    _ingest_and_build(home, FIXTURES / "revisions", REVISIONS_RECEIVED)
    return Home(home)
