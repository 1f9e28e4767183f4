"""`emstat demo` from an empty EMSTAT_HOME: every source through the whole pipeline, the YoY table and the
bulletin sentence."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from devtools.demo_data import write_demo_files
from tests.homes import DEMO_DAY
from tests.runner import run_emstat

pytestmark = pytest.mark.slow


def test_demo_runs_the_pipeline_and_prints_the_year_so_far_cut_at_its_last_day(shelf, tmp_path):
    # The session's `emstat demo --on 2026-06-15` from an empty home: records through 14 June 2026.
    demo = shelf.get("demo")
    printed = demo.outputs[0]
    emstat_home = demo.copy_to(tmp_path / "home")
    through, last_year = date(2026, 6, 14), date(2025, 6, 14)

    city = run_emstat(
        emstat_home, "report", "--region", "990100", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"
    )
    figures = json.loads(city.stdout)
    # What the demo printed is the prefecture's year so far: 1 January to 14 June, against the same days of 2025.
    assert figures["text"] in printed
    paragraphs = figures["paragraphs"]
    assert figures["text"] == "\n".join(paragraphs.values())
    assert paragraphs["accidents"].startswith(
        f"截至6月14日，全市共发生各类事故{figures['totals']['accidents']['value']}起"
    )
    assert paragraphs["enforcement"].startswith(
        f"截至6月14日，全市共执法检查生产经营单位{figures['enforcement']['inspections']['value']:,}家次"
    )
    # 其中: every industry with records this year or last, each with its own comparison (or 去年同期N起)
    industries = paragraphs["accidents"].split("其中：", 1)[1]
    road = figures["by_industry"]["road_traffic"]["accidents"]
    assert industries.startswith(f"道路交通事故{road['value']}起")
    clauses = industries.replace("（", "；").replace("）", "").rstrip("。").split("；")
    assert len(clauses) == len(figures["by_industry"]) + ("industrial" in figures["by_industry_group"])
    assert all("去年同期" in clause or "同比增加" in clause for clause in clauses)
    assert figures["period"] == {"from": "2026-01-01", "to": "2026-06-14", "requested_to": "2026-12-31", "is_cut": True}
    assert figures["comparison_period"] == {"from": "2025-01-01", "to": "2025-06-14"}
    assert city.stderr == "figures run through 2026-06-14; last year's through 2025-06-14\n"
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
        counted = con.execute(
            "select count(*) filter (where occurred_on between date '2026-01-01' and ?), "
            "count(*) filter (where occurred_on between date '2025-01-01' and ?), "
            "count(*) filter (where occurred_on between date '2025-01-01' and date '2025-12-31') "
            "from marts.fct_accidents where not is_written_off and region_code like '9901%'",
            [through, last_year],
        ).fetchone()
    # The same days of both years, never the first half of June against the whole of 2025.
    assert (accidents["value"], accidents["previous"]) == counted[:2]
    assert counted[2] > counted[1]
    # Exactly the defects the generator planted are refused, and every source of the contract was loaded.
    planted = write_demo_files(emstat_home.parent / "again", today=DEMO_DAY).planted_defects
    assert sorted(quarantined) == sorted(planted)
    assert set(sources) == {
        "regions",
        "denominators",
        "targets",
        "appraisal_manual",
        "accidents",
        "disasters",
        "inspections",
        "penalties",
        "relief",
    }
    assert revised == 3  # the 补报 file revises three accidents
    assert years == (2024, 2026)

    again = run_emstat(emstat_home, "demo", "--on", DEMO_DAY.isoformat())
    assert again.returncode == 0
    assert again.stdout.count("already loaded, nothing to do") == sum(sources.values())
    assert again.stderr == "figures run through 2026-06-14; last year's through 2025-06-14\n"
