from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from dagster_project.warehouse.project import DBT_EXECUTABLE
from emstat.settings import DBT_PROJECT_DIR
from ingest.loader import local_now
from tests.conftest import run_emstat

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class BuiltHome:
    root: Path
    ingest_stdout: str

    def copy_to(self, target: Path) -> Path:
        """A copy that is current today: should midnight (Beijing time) have passed since the session's build,
        the copy is built again, as the first build of a new day would, or tests that expect nothing to build
        would find the day changed."""
        shutil.copytree(self.root, target)
        with duckdb.connect(str(target / "warehouse.duckdb"), read_only=True) as con:
            (started_at,) = con.execute("select started_at from ops.build_inputs").fetchone()
        if started_at.date() != local_now().date():
            built = run_emstat(target, "build")
            assert built.returncode == 0, built.stdout + built.stderr
        return target


def run_dbt(home: Path, target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dbt itself on the home's warehouse, writing its artifacts to `target` and not to the project's."""
    return subprocess.run(
        [DBT_EXECUTABLE, *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(target)],
        env={**os.environ, "EMSTAT_HOME": str(home)}, capture_output=True, text=True)


def published_at_text(home: Path) -> str:
    """When the home's published copy was published, as the command line says it."""
    published_at = json.loads((home / "published" / "published.json").read_text())["published_at"]
    return published_at.replace("T", " ")


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> BuiltHome:
    """The fixture landing folder ingested and built once; tests that change it work on a copy."""
    home = tmp_path_factory.mktemp("built") / "home"
    ingested = run_emstat(home, "ingest", str(FIXTURES / "landing"))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    built = run_emstat(home, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    return BuiltHome(home, ingested.stdout)
