"""Kill `emstat build` for real in dbt, in the checks and in publish: readers keep the last published figures,
whole, and the re-run leaves the warehouse and the published copy an uninterrupted build leaves."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.homes import published_figures
from tests.runner import EMSTAT, run_emstat

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

# One more month of returns, so that the build has new figures to make and publish.
JUNE = """accident_id,occurred_at,region_code,industry,deaths,injuries
J1,2025-06-03 09:10,990121100,road_traffic,1,2
J2,2025-06-18,990121101,fire,0,3
"""
# What the run log shows as each step gets going; the kill lands right after.
KILL_POINTS = {
    "dbt": "START sql table model kpi.kpi_accident_yoy",
    "checks": 'Started execution of step "marts__fct_accidents_fct_accidents_expectations"',
    "publish": 'Started execution of step "published_warehouse"',
}


@pytest.fixture(scope="module")
def month_arrived(built_home, tmp_path_factory) -> Path:
    """A built and published home into which June's file has been loaded but not yet built."""
    home = built_home.copy_to(tmp_path_factory.mktemp("arrived") / "home")
    landing = home.parent / "landing"
    landing.mkdir()
    (landing / "accidents_2025_06.csv").write_text(JUNE, encoding="utf-8")
    loaded = run_emstat(home, "ingest", str(landing))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "accidents_2025_06.csv [accidents]: 2 rows: 2 new" in loaded.stdout
    return home


@pytest.fixture(scope="module")
def uninterrupted(month_arrived, tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("uninterrupted") / "home"
    shutil.copytree(month_arrived, home)
    built = run_emstat(home, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    return home


def kill_build_at(home: Path, marker: str) -> None:
    env = {**os.environ, "EMSTAT_HOME": str(home)}
    earlier = set((home / "logs").glob("build-*.log"))
    run = subprocess.Popen(
        [str(EMSTAT), "build"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        logs = set((home / "logs").glob("build-*.log")) - earlier
        if logs and marker in logs.pop().read_text(encoding="utf-8", errors="replace"):
            break
        time.sleep(0.02)
    else:
        pytest.fail(f"the build never reached {marker!r}")
    # The whole process group: dbt runs as a child of the command.
    os.killpg(run.pid, signal.SIGKILL)
    assert run.wait(timeout=60) == -signal.SIGKILL


@pytest.mark.parametrize("step", list(KILL_POINTS))
def test_a_build_killed_mid_step_publishes_nothing_partial_and_the_rerun_equals_an_uninterrupted_one(
    step, month_arrived, uninterrupted, tmp_path
):
    home = tmp_path / "home"
    shutil.copytree(month_arrived, home)
    before = published_figures(home / "published" / "warehouse.duckdb")
    after = published_figures(uninterrupted / "published" / "warehouse.duckdb")
    assert before != after  # June's figures are new: a partial publication would show

    kill_build_at(home, KILL_POINTS[step])
    # Readers see whole figures: the last published ones, or (killed after the rename) this build's own.
    seen = published_figures(home / "published" / "warehouse.duckdb")
    assert seen == before if step != "publish" else seen in (before, after)

    rerun = run_emstat(home, "build")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "released abandoned run" in sorted((home / "logs").glob("build-*.log"))[-1].read_text(encoding="utf-8")
    killed = json.loads(run_emstat(home, "status", "--format", "json").stdout)["runs"][1]
    assert (killed["status"], killed["published_at"]) == ("failed", None)
    assert killed["failure"] == "abandoned: the emstat command running it ended before it finished"
    assert published_figures(home / "published" / "warehouse.duckdb") == after
    assert published_figures(home / "warehouse.duckdb") == published_figures(uninterrupted / "warehouse.duckdb")
    assert not list((home / "published").glob(".*.tmp"))
