"""Shared fixtures: a throwaway EMSTAT_HOME, and the session's built homes (tests/homes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.homes import BuiltHome, Shelf, shelf_folder


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
