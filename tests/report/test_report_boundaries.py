"""A township moved to another county mid-year (区划调整): the report counts both years by the boundaries in force
now (可比口径) and says so; `--as-of` a day before the change was known gives back, byte for byte, the report
made then. The change: fixtures/boundary_change, received 25 June 2025, moves 城关镇 (990221001) from 东湖县
(990221) to 西城区 (990222) on 1 July 2025. Figures of fixtures/HAND_COUNT.md, 1–5月 2025 against 1–5月 2024."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tests.report.conftest import Home
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

YTD = ("--from", "2025-01-01", "--to", "2025-05-31")
MOVE = {
    "region_code": "990221001",
    "region_name": "城关镇",
    "valid_from": "2025-07-01",
    "from_code": "990221",
    "from_name": "东湖县",
    "to_code": "990222",
    "to_name": "西城区",
}


@pytest.fixture(scope="module")
def moved_home(shelf) -> Home:
    home = shelf.get("report_moved")
    return Home(home.root, home.day)


def figures(report: dict) -> dict[str, tuple[int, int]]:
    return {
        name: (report["totals"][name]["value"], report["totals"][name]["previous"])
        for name in ("accidents", "deaths", "missing", "injuries")
    }


def test_the_moved_township_counts_under_its_new_county_in_both_years(moved_home):
    district = moved_home.report("--region", "990222", *YTD)
    # 西城区 6/2/2/7 against 3/1/1/2, and 城关镇 (C01 C03 C06 C11; B01 B03 B05) 4/3/0/5 against 3/0/0/6
    assert figures(district) == {"accidents": (10, 6), "deaths": (5, 1), "missing": (2, 1), "injuries": (12, 8)}
    assert list(district["by_subregion"]) == ["990221001", "990222001", "990222002"]
    assert district["boundaries"] == {
        "basis": "comparable",
        "valid_on": district["data_through"],
        "known_on": None,
        "changes": [MOVE],
    }
    county = moved_home.report("--region", "990221", *YTD)
    # 东湖县 8/6/0/35 against 9/6/0/32, less 城关镇
    assert figures(county) == {"accidents": (4, 6), "deaths": (3, 6), "missing": (0, 0), "injuries": (30, 26)}
    assert list(county["by_subregion"]) == ["990221002", "990221003"]
    assert county["boundaries"]["changes"] == [MOVE]  # it left the county: still said
    prefecture = moved_home.report("--region", "990200", *YTD)
    # The total above both counties stays; its rows by county change, so the change is stated there too.
    assert figures(prefecture)["accidents"] == (14, 12)
    assert prefecture["by_subregion"]["990222"]["accidents"]["value"] == 10
    assert prefecture["boundaries"]["changes"] == [MOVE]
    township = moved_home.report("--region", "990221001", *YTD)
    assert township["boundaries"]["changes"] == []  # its own figures do not depend on its county


def test_the_footnote_states_the_basis_and_the_change(moved_home):
    through = date.fromisoformat(moved_home.report("--region", "990222", *YTD)["data_through"])
    done = run_emstat(moved_home.root, "report", "--region", "990222", *YTD, "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(
        f"\n\n注：本期与去年同期均按{through.year}年{through.month}月{through.day}日的行政区划统计（可比口径）。"
        "城关镇自2025年7月1日起由东湖县划入西城区，其本期与去年同期数据均计入西城区。\n"
    )


@pytest.mark.parametrize("region", ["990222", "990221"])
def test_as_of_before_the_change_was_known_gives_back_the_report_made_then(revised_home, moved_home, region):
    args = ("report", "--region", region, *YTD, "--as-of", "2025-06-24", "--format", "json")
    made_then, rebuilt = run_emstat(revised_home.root, *args), run_emstat(moved_home.root, *args)
    assert made_then.returncode == rebuilt.returncode == 0
    assert rebuilt.stdout == made_then.stdout


def test_a_change_known_but_not_yet_in_force_leaves_the_tree_as_it_was(moved_home):
    district = moved_home.report("--region", "990222", *YTD, "--as-of", "2025-06-30")
    assert figures(district) == {"accidents": (6, 3), "deaths": (2, 1), "missing": (2, 1), "injuries": (7, 2)}
    assert district["boundaries"] == {
        "basis": "comparable",
        "valid_on": "2025-06-30",
        "known_on": "2025-06-30",
        "changes": [],
    }


def test_the_marts_and_dashboards_count_by_the_same_tree(moved_home):
    with duckdb.connect(str(moved_home.root / "published" / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select region_code, accidents, accidents_previous from kpi.kpi_accident_yoy "
            "where period_key = '2025-YTD05' and industry_scope = 'all' and region_code in ('990221', '990222') "
            "order by 1"
        ).fetchall()
        parent = con.execute("select parent_code from marts.dim_region where region_code = '990221001'").fetchone()
    assert rows == [("990221", 4, 6), ("990222", 10, 6)]
    assert parent == ("990222",)


def test_before_the_first_regions_file_its_regions_stand_for_what_was_known(moved_home):
    # The regions came on 5 June 2025 with the month's returns; as known on 1 June no record had come yet, but the
    # report still finds 西城区 and its two 街道 rather than refusing a region it did not know.
    district = moved_home.report("--region", "990222", *YTD, "--as-of", "2025-06-01")
    assert list(district["by_subregion"]) == ["990222001", "990222002"]
    assert figures(district) == {"accidents": (0, 0), "deaths": (0, 0), "missing": (0, 0), "injuries": (0, 0)}
