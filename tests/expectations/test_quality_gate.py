"""The gate end to end, through the real command line, Dagster, dbt and GX: an error keeps the last good
published copy; a corrected file publishes; a warning publishes and is listed by `emstat quality`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.homes import published_figures
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"
RELIEF_HINT = (
    "该地区本年度救灾资金发放总额超过了下达额:请核对发放金额或控制指标中的下达额 / more relief was disbursed "
    "in this region and year than was approved: check the amounts or the approved figure"
)


def published_relief(home: Path) -> int:
    with duckdb.connect(str(home / "published" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select sum(amount_yuan) from marts.fct_relief_disbursements").fetchone()[0]


def quality_json(home: Path) -> dict:
    shown = run_emstat(home, "quality", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def test_an_error_keeps_the_last_good_copy_and_the_corrected_file_publishes(clean_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(clean_home, home)
    published = home / "published" / "warehouse.duckdb"
    before = published_figures(published)
    assert published_relief(home) == 247_800

    # 100,000 more yuan in June: 347,800 disbursed in the county against 300,000 approved.
    assert run_emstat(home, "ingest", str(FIXTURES / "over_approved")).returncode == 0
    blocked = run_emstat(home, "build")
    assert blocked.returncode == 1
    assert (
        "error fct_relief_disbursements: relief_over_approved(relief) observed=1 ids: 990121 2025"
        in blocked.stdout.splitlines()
    )
    assert blocked.stderr.startswith("emstat: not published: a check or step failed; the figures published at ")
    assert published_figures(published) == before
    assert published_relief(home) == 247_800
    # The quality dashboard reads the published copy: it shows the blocked run's failure and the file it read.
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute(
            "select expectation from quality.validation_results where not is_success and run_id = "
            "(select run_id from quality.validation_runs order by started_at desc limit 1)"
        ).fetchall() == [("relief_over_approved(relief)",)]
        assert con.execute("select status from raw.files where file_name = 'relief_2025_06_late.csv'").fetchall() == [
            ("loaded",)
        ]

    found = quality_json(home)
    assert found["published"] is False
    failed = [r for r in found["results"] if not r["success"]]
    assert failed == [
        {
            "suite": "fct_relief_disbursements",
            "expectation": "relief_over_approved(relief)",
            "severity": "error",
            "success": False,
            "observed": 1,
            "failing_ids": ["990121 2025"],
        }
    ]
    text = run_emstat(home, "quality").stdout.splitlines()
    assert text[1:6] == [
        f"19 suites, {len(found['results'])} expectations: 1 errors, 0 warnings",
        "",
        "ERROR fct_relief_disbursements: relief_over_approved(relief), observed 1",
        "  rows: 990121 2025",
        f"  what to do: {RELIEF_HINT}",
    ]
    assert text[0].startswith(f"run {found['run_id']} of ") and text[0].endswith(": not published")

    # The township re-files the batch with the right amount: a revision of R13.
    assert run_emstat(home, "ingest", str(FIXTURES / "corrected")).returncode == 0
    fixed = run_emstat(home, "build")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "quality checks: 19 suites, 215 expectations, 0 errors, 0 warnings" in fixed.stdout.splitlines()
    assert published_figures(published) != before
    assert published_relief(home) == 257_800
    found = quality_json(home)
    assert found["published"] is True
    assert all(r["success"] for r in found["results"])
    with duckdb.connect(str(published), read_only=True) as con:
        kept = con.execute(
            "select count(distinct run_id), count(*) filter (where not is_success) from quality.validation_results"
        ).fetchone()
        published_runs = con.execute(
            "select count(*) from quality.validation_runs where published_at is not null"
        ).fetchone()[0]
    # Six runs validated: the clean ingest and build, the bad file's, the corrected file's; one finding in all.
    assert kept == (6, 1)
    assert published_runs == 2


def test_a_warning_publishes_and_is_listed(clean_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(clean_home, home)
    assert run_emstat(home, "ingest", str(FIXTURES / "grade_mismatch")).returncode == 0
    built = run_emstat(home, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    lines = built.stdout.splitlines()
    assert "quality checks: 19 suites, 215 expectations, 0 errors, 1 warnings" in lines
    assert "warning fct_accidents: grade_mismatch(accidents) observed=1 ids: A20" in lines
    found = quality_json(home)
    assert found["published"] is True
    assert [r for r in found["results"] if not r["success"]] == [
        {
            "suite": "fct_accidents",
            "expectation": "grade_mismatch(accidents)",
            "severity": "warning",
            "success": False,
            "observed": 1,
            "failing_ids": ["A20"],
        }
    ]
    # The data docs render this run's failed validation of fct_accidents.
    site = home / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site"
    assert "fct_accidents" in (site / "index.html").read_text(encoding="utf-8")
    newest = sorted((site / "validations" / "fct_accidents").glob("*/*/*.html"))[-1].read_text(encoding="utf-8")
    assert "Failed" in newest and "has_grade_mismatch" in newest
