"""A small warehouse on which every expectation passes, built once by the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_emstat

LANDING = Path(__file__).parent / "fixtures" / "landing"


@pytest.fixture(scope="session")
def clean_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two townships and the county, January to June 2025, every source; `emstat build` finds nothing."""
    home = tmp_path_factory.mktemp("quality") / "home"
    ingested = run_emstat(home, "ingest", str(LANDING))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    built = run_emstat(home, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "0 errors, 0 warnings" in built.stdout, built.stdout
    return home
