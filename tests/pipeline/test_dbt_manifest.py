"""The dbt manifest of a fresh clone, parsed by whichever process imports the project first: two processes
starting together (the two test workers, a command beside the daemon) take turns, so the second reads a whole
manifest and does not parse again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from core.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow

LOAD = """
import json, sys
from pathlib import Path
from dagster_dbt import DbtProject
from dagster_project.warehouse.project import ensure_manifest
project = DbtProject(project_dir=sys.argv[1], profiles_dir=sys.argv[1])
print(len(json.loads(Path(ensure_manifest(project)).read_text(encoding="utf-8"))["nodes"]))
"""


def test_two_processes_on_a_fresh_clone_parse_once_and_both_read_a_whole_manifest(tmp_path):
    project = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    env = {**os.environ, "EMSTAT_HOME": str(tmp_path / "home")}
    both = [
        subprocess.Popen(
            [sys.executable, "-c", LOAD, str(project)],
            env=env,
            cwd=project,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    done = [process.communicate(timeout=300) for process in both]

    assert [process.returncode for process in both] == [0, 0], [err for _, err in done]
    nodes = {int(out) for out, _ in done}
    assert len(nodes) == 1 and nodes.pop() > 50
    manifest = json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metadata"]["project_name"] == "emstat"
    # dbt logs each invocation it starts in the project's logs/dbt.log: one parse, not two.
    assert (project / "logs" / "dbt.log").read_text(encoding="utf-8").count("Running with dbt=") == 1
