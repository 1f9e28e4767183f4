"""A small dataset of every source, counted by hand (fixtures/HAND_COUNT.md), loaded the way a bureau would:
the month's returns received on 5 June 2025, a 补报 on 20 June."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.homes import Shelf
from tests.runner import run_emstat

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Home:
    root: Path
    day: date | None = None  # the day the session built it: its figures run through the day before

    def report(self, *args: str, parse_float=float) -> dict:
        """`parse_float=str` keeps each number's digits as written (12.50 is not 12.5)."""
        done = run_emstat(self.root, "report", *args, "--format", "json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout, parse_float=parse_float)

    def report_like(self, expected: dict, parse_float=float) -> dict:
        """The report asked with the region, period and as-of date an expected document names."""
        args = [
            "--region",
            expected["region"]["code"],
            "--from",
            expected["period"]["from"],
            "--to",
            expected["period"]["to"],
            "--decimals",
            str(expected["decimals"]),
        ]
        if expected["as_of"]:
            args += ["--as-of", expected["as_of"]]
        return self.report(*args, parse_float=parse_float)


@pytest.fixture(scope="session")
def first_home(shelf: Shelf) -> Home:
    """Only the returns received on 5 June."""
    home = shelf.get("report_first")
    assert ", 0 quarantined" in home.outputs[0], home.outputs[0]
    return Home(home.root, home.day)


@pytest.fixture(scope="session")
def revised_home(shelf: Shelf) -> Home:
    """The same warehouse after the 补报 of 20 June."""
    home = shelf.get("report_revised")
    assert ", 0 quarantined" in home.outputs[0], home.outputs[0]
    return Home(home.root, home.day)
