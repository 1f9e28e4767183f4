"""The layers contract (pyproject.toml, docs/architecture.md) holds on the project and fails on an upward import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from core.settings import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
    "root_packages"
]


def _python_only(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if not name.endswith(".py") and not (Path(folder) / name).is_dir()]


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS)], cwd=tree, env=env, capture_output=True, text=True, timeout=120)


def test_an_upward_import_breaks_the_layers_and_says_where(tmp_path: Path):
    for package in PACKAGES:
        shutil.copytree(REPO_ROOT / package, tmp_path / package, ignore=_python_only)
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path)
    kept = _lint(tmp_path)
    assert kept.returncode == 0, kept.stdout
    # The report reaching up into the Dagster layer for the publication time: the kind of shortcut that made
    # the old circles.
    (tmp_path / "report" / "shortcut.py").write_text(
        "from dagster_project.publish.publication import last_publication\n", encoding="utf-8"
    )
    broken = _lint(tmp_path)
    assert broken.returncode == 1
    assert "Layers: the CLI on top, then Dagster, the dashboards, appraisal, the report, the" in broken.stdout
    assert "report.shortcut -> dagster_project.publish.publication (l.1)" in broken.stdout
    assert "Contracts: 2 kept, 1 broken." in broken.stdout
