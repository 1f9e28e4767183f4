"""A small warehouse on which every expectation passes, built once by the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.homes import Shelf


@pytest.fixture(scope="session")
def clean_home(shelf: Shelf) -> Path:
    """Two townships and the county, January to June 2025, every source; `emstat build` finds nothing."""
    home = shelf.get("quality")
    assert "0 errors, 0 warnings" in home.outputs[-1], home.outputs[-1]
    return home.root
