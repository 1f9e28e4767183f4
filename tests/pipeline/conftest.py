from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from core.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR

FIXTURES = Path(__file__).parent / "fixtures"


def run_dbt(home: Path, target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dbt itself on the home's warehouse, writing its artifacts to `target` and not to the project's."""
    return subprocess.run(
        [
            DBT_EXECUTABLE,
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
        ],
        env={**os.environ, "EMSTAT_HOME": str(home)},
        capture_output=True,
        text=True,
    )


def published_at_text(home: Path) -> str:
    """When the home's published copy was published, as the command line says it."""
    published_at = json.loads((home / "published" / "published.json").read_text())["published_at"]
    return published_at.replace("T", " ")
