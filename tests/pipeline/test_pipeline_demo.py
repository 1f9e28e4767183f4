"""`emstat demo` from an empty EMSTAT_HOME: the whole pipeline, the YoY table and the bulletin sentence."""

from __future__ import annotations

import json
from datetime import date, timedelta

import duckdb
import pytest

from ingest.loader import local_now
from tests.conftest import run_emstat

pytestmark = pytest.mark.slow


def test_demo_runs_the_pipeline_and_prints_the_latest_year_to_date(emstat_home):
    done = run_emstat(emstat_home, "demo")
    assert done.returncode == 0, done.stdout + done.stderr

    end = local_now().date().replace(day=1) - timedelta(days=1)
    county = run_emstat(emstat_home, "report", "--region", "990121", "--from", f"{end.year}-01-01",
                        "--to", end.isoformat(), "--format", "json")
    figures = json.loads(county.stdout)
    # What the demo printed is the published county report for 1 January to the end of the last month.
    assert figures["text"] in done.stdout
    assert figures["text"].startswith(f"截至{end.month}月{end.day}日，全县共发生各类事故{figures['totals']['accidents']['value']}起")
    row = next(line for line in done.stdout.splitlines() if "事故起数(起)" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    accidents = figures["totals"]["accidents"]
    assert cells[1:3] == [str(accidents["value"]), str(accidents["previous"])]

    with duckdb.connect(str(emstat_home / "published" / "warehouse.duckdb"), read_only=True) as con:
        quarantined = con.execute("select record_id from raw.quarantine order by record_id").fetchall()
        revised = con.execute("select count(*) from marts.fct_accidents where revision_count = 2").fetchone()[0]
        years = con.execute("select min(year(occurred_on)), max(year(occurred_on)) from marts.fct_accidents").fetchone()
    this_year = (local_now().date() - timedelta(days=1)).year
    # The four defective rows the demo plants (negative deaths, unknown region, bad date, bad credit code).
    assert [r[0] for r in quarantined] == [f"QS{this_year}990{n}" for n in (1, 2, 3, 4)]
    assert revised == 3  # the 补报 file revises three accidents
    assert years == (this_year - 2, this_year)

    again = run_emstat(emstat_home, "demo")
    assert again.returncode == 0
    assert again.stdout.count("already loaded, nothing to do") == 5
    assert date.fromisoformat(figures["period"]["to"]) == end
