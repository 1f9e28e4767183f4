"""Shared helpers: run the real `emstat` command of this venv against a throwaway EMSTAT_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EMSTAT = Path(sys.executable).with_name("emstat")


def run_emstat(home: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EMSTAT_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run([str(EMSTAT), *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def emstat_home(tmp_path: Path) -> Path:
    return tmp_path / "home"
