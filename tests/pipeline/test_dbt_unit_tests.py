"""The dbt unit tests: fixed inputs and the rows each model must make of them. Their inputs never change, so
they run here, once per change of the code, and not in every build of the pipeline (which runs the data tests)."""

from __future__ import annotations

import json

import duckdb

from appraisal.rule_rows import write_rule_tables
from dagster_project.warehouse.project import dbt_manifest
from ingest.warehouse import ensure_raw_schema
from tests.pipeline.conftest import run_dbt


def test_every_dbt_unit_test_passes(tmp_path):
    home, target = tmp_path / "home", tmp_path / "target"
    home.mkdir()
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        ensure_raw_schema(con)
        write_rule_tables(con, [])
    # A unit test reads the columns of its model's inputs, and an incremental model's own table, from the
    # warehouse: every relation, with no rows.
    made = run_dbt(home, target, "run", "--empty", "--quiet")
    assert made.returncode == 0, made.stdout + made.stderr

    tested = run_dbt(home, target, "test", "--select", "test_type:unit")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    manifest = json.loads(dbt_manifest().read_text(encoding="utf-8"))
    assert sorted((r["unique_id"], r["status"]) for r in results) == sorted(
        (unique_id, "pass") for unique_id in manifest["unit_tests"]
    )
    assert len(results) == 48
