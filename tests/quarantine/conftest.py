"""Warehouses built by the real loader from tests/quarantine/fixtures, each under a throwaway EMSTAT_HOME.

landing/ holds the region reference, an English-headed and a Chinese-headed accidents file with defective rows
and an empty file; resend/ is the township's second accidents_2025.csv (same name, new content, a new defect).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest.loader import load_paths

FIXTURES = Path(__file__).parent / "fixtures"


def _load(home: Path, folder: str) -> None:
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        load_paths(con, [FIXTURES / folder], now=datetime(2026, 1, 1))


@pytest.fixture
def quarantine_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    _load(home, "landing")
    return home


@pytest.fixture
def resent_home(quarantine_home: Path) -> Path:
    _load(quarantine_home, "resend")
    return quarantine_home


@pytest.fixture
def warehouse(quarantine_home: Path):
    con = duckdb.connect(str(quarantine_home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture
def resent_warehouse(resent_home: Path):
    con = duckdb.connect(str(resent_home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()
