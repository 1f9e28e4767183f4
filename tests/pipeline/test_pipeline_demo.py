"""`emstat demo` from an empty EMSTAT_HOME: every source through the whole pipeline, the YoY table and the
bulletin sentence."""

from __future__ import annotations

import json
from datetime import date, timedelta

import duckdb
import pytest

from emstat.demo_data import write_demo_files
from tests.runner import run_emstat

pytestmark = pytest.mark.slow


def test_demo_runs_the_pipeline_and_prints_the_latest_year_to_date(shelf, tmp_path):
    # The session's `emstat demo --on DAY` from an empty home; both runs make the records of that one day,
    # which a run near midnight (Beijing time) would not by itself.
    demo = shelf.get("demo")
    today, printed = demo.day, demo.outputs[0]
    emstat_home = demo.copy_to(tmp_path / "home")

    end = today.replace(day=1) - timedelta(days=1)
    city = run_emstat(emstat_home, "report", "--region", "990100", "--from", f"{end.year}-01-01",
                      "--to", end.isoformat(), "--format", "json")
    figures = json.loads(city.stdout)
    # What the demo printed is the published prefecture report for 1 January to the end of the last month.
    assert figures["text"] in printed
    assert figures["text"].startswith(f"截至{end.month}月{end.day}日，全市共发生各类事故{figures['totals']['accidents']['value']}起")
    # The 合计 row of 事故分行业统计表: 事故起数 本期, 去年同期, 增减 come first.
    row = next(line for line in printed.splitlines() if line.startswith("│ 合计 "))
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    accidents = figures["totals"]["accidents"]
    assert cells[1:3] == [str(accidents["value"]), str(accidents["previous"])]

    with duckdb.connect(str(emstat_home / "published" / "warehouse.duckdb"), read_only=True) as con:
        quarantined = con.execute("select file_name, record_id from raw.quarantine").fetchall()
        sources = dict(con.execute("select source, count(*) from raw.files group by source").fetchall())
        revised = con.execute("select count(*) from marts.fct_accidents where revision_count = 2").fetchone()[0]
        years = con.execute("select min(year(occurred_on)), max(year(occurred_on)) from marts.fct_accidents").fetchone()
    this_year = (today - timedelta(days=1)).year
    # Exactly the defects the generator planted are refused, and every source of the contract was loaded.
    planted = write_demo_files(emstat_home.parent / "again", today=today).planted_defects
    assert sorted(quarantined) == sorted(planted)
    assert set(sources) == {"regions", "denominators", "targets", "appraisal_manual", "accidents", "disasters",
                            "inspections", "penalties", "relief"}
    assert revised == 3  # the 补报 file revises three accidents
    assert years == (this_year - 2, this_year)

    again = run_emstat(emstat_home, "demo", "--on", today.isoformat())
    assert again.returncode == 0
    assert again.stdout.count("already loaded, nothing to do") == sum(sources.values())
    assert date.fromisoformat(figures["period"]["to"]) == end
