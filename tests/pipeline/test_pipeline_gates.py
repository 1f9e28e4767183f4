"""What happens after the first build: a defect caught by the checks, a fix, and a late revision (补报)."""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.homes import published_figures
from tests.pipeline.test_pipeline_accidents import RAW_QUALITY
from tests.runner import run_emstat

pytestmark = pytest.mark.slow


def dbt_data_tests() -> int:
    """Every data test of the dbt project runs as a Dagster asset check in a build."""
    from dagster_project.warehouse.project import dbt_manifest

    manifest = json.loads(dbt_manifest().read_text(encoding="utf-8"))
    return sum(1 for node in manifest["nodes"].values() if node["resource_type"] == "test")


def test_a_failing_check_keeps_the_published_copy_and_a_fix_publishes(built_home, tmp_path):
    home = built_home.copy_to(tmp_path / "home")
    published = home / "published" / "warehouse.duckdb"
    manifest = home / "published" / "published.json"
    before = (published_figures(published), manifest.read_text())

    # A row that never went through the loader (a manual edit, a buggy import): negative deaths.
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("""
            insert into raw.accidents (accident_id, occurred_at, region_code, industry, deaths, _load_id, _file_name,
                                       _file_sha256, _row_number, _loaded_at)
            values ('X1', '2025-04-10 10:00', '990121100', 'fire', -5, 99, 'manual-edit', 'none', 2,
                    '2025-04-11 09:00')
        """)

    failed = run_emstat(home, "build")
    assert failed.returncode == 1
    assert (
        "error batch_accidents: expect_column_values_to_be_between(deaths) observed=1 ids: X1"
        in failed.stdout.splitlines()
    )
    assert failed.stderr.splitlines() == [
        f"emstat: not published: a check or step failed; the figures published at "
        f"{json.loads(before[1])['published_at'].replace('T', ' ')} are unchanged"
    ]
    assert (published_figures(published), manifest.read_text()) == before

    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("delete from raw.accidents where accident_id = 'X1'")
    fixed = run_emstat(home, "build")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    lines = fixed.stdout.splitlines()
    assert lines[0] == "quality checks: 19 suites, 215 expectations, 0 errors, 9 warnings"
    assert not [line for line in lines if line.startswith("error ")]
    assert lines[-2:] == [f"dbt tests passed: {dbt_data_tests()}", f"published {published}"]
    assert json.loads(manifest.read_text())["published_at"] >= json.loads(before[1])["published_at"]


def test_a_late_report_revises_the_accident_and_the_figures(shelf):
    # The session's pipeline home after `emstat ingest fixtures/revision` and `emstat build`.
    revised = shelf.get("pipeline_revised")
    home = revised.root
    assert revised.outputs[0].splitlines() == [
        "事故_2025_补报.csv [accidents]: 1 rows: 0 new, 1 revised, 0 unchanged, 0 quarantined",
        *RAW_QUALITY,
    ]

    report = run_emstat(
        home, "report", "--region", "990121", "--from", "2025-01-01", "--to", "2025-05-31", "--format", "json"
    )
    deaths = json.loads(report.stdout)["totals"]["deaths"]
    assert deaths == {"value": 2, "previous": 3, "change": -1, "change_pct": -33.33}

    with duckdb.connect(str(home / "published" / "warehouse.duckdb"), read_only=True) as con:
        history = con.execute(
            "select revision_number, deaths, is_current, file_name from marts.fct_accident_revisions "
            "where accident_id = 'C2' order by revision_number"
        ).fetchall()
        current = con.execute(
            "select deaths, revision_count, file_name from marts.fct_accidents where accident_id = 'C2'"
        ).fetchone()
    assert history == [(1, 1, False, "事故_2025.csv"), (2, 2, True, "事故_2025_补报.csv")]
    assert current == (2, 2, "事故_2025_补报.csv")
