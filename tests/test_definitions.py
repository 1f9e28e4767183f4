"""The Dagster code location loads and wires ingest → checks → dbt → checks → publish."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster import AssetKey

from dagster_project.definitions import defs


def test_jobs_and_wiring():
    graph = defs.resolve_asset_graph()
    assert {j.name for j in defs.resolve_all_job_defs()} >= {"ingest", "build", "pipeline"}
    # dbt sources are the ingest asset's outputs, so ingest → dbt is one graph.
    assert AssetKey(["raw", "accidents"]) in graph.get(AssetKey(["staging", "stg_raw__accident_revisions"])).parent_keys
    assert AssetKey(["kpi", "kpi_accident_yoy"]) in graph.get(AssetKey(["published_warehouse"])).parent_keys
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    # Each GX check sits on a real asset of the graph (a wrong key would make a phantom, never-run asset).
    assert {
        ("raw/accidents", "batch_accidents_expectations"),
        ("raw/files", "files_expectations"),
        ("marts/fct_accidents", "fct_accidents_expectations"),
        ("kpi/kpi_accident_yoy", "kpi_accident_yoy_expectations"),
    } <= checks
    assert all(key.asset_key in graph.get_all_asset_keys() for key in graph.asset_check_keys)
    assert AssetKey(["kpi_accident_yoy"]) not in graph.get_all_asset_keys()


def test_gx_checks_are_blocking():
    blocking = {spec.name: spec.blocking for checks_def in defs.asset_checks or [] for spec in checks_def.check_specs}
    # One per suite: 9 raw sources, the file ledger, 5 record marts, the regions, 4 KPI models.
    assert len(blocking) == 20
    assert all(blocking.values())


def test_dagster_loads_the_code_location_as_dagster_dev_does(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "EMSTAT_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("dagster")),
            "definitions",
            "validate",
            "-m",
            "dagster_project.definitions",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "All code locations passed validation" in done.stderr + done.stdout
