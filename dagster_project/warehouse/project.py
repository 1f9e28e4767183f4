"""The dbt project object, built once and reused by the assets and the resource. Importing this module runs
nothing: the project is parsed when the definitions load (`dbt_manifest`), and only when its manifest is missing
or older than its sources."""

from __future__ import annotations

import fcntl
import subprocess
from pathlib import Path

from dagster_dbt import DbtProject

from core.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR

emstat_dbt = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_source_change(project_dir: Path) -> float:
    sources = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "tests"):
        sources += [p for p in (project_dir / folder).rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in sources if p.exists())


def ensure_manifest(project: DbtProject) -> Path:
    """Parse the dbt project when its manifest is missing or older than its sources (a fresh clone, an edit).
    Processes that start together on a fresh clone (the test workers, a command beside the daemon) take turns:
    otherwise one reads the manifest while another is still writing it."""
    manifest = Path(project.manifest_path)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with (manifest.parent / ".manifest.lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        if not manifest.exists() or manifest.stat().st_mtime < _newest_source_change(Path(project.project_dir)):
            subprocess.run(
                [
                    DBT_EXECUTABLE,
                    "parse",
                    "--quiet",
                    "--project-dir",
                    str(project.project_dir),
                    "--profiles-dir",
                    str(project.profiles_dir),
                ],
                check=True,
            )
    return manifest


def dbt_manifest() -> Path:
    return ensure_manifest(emstat_dbt)
