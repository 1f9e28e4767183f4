"""Ingest + build + report through the real command on a small dataset whose figures were counted by hand.

Fixture landing folder (tests/pipeline/fixtures/landing):
- 2024 file (English headers, yuan, UTF-8): B1–B7; B5 is in June, B6 in 白水区/江北街道 on 29 February,
  B7 is written off.
- 2025 file (Chinese headers, 万元, GBK, C1 given by township name): C1–C6; C5 is in June, C6 in 江北街道.
- township returns: D1–D4 each carry one defect, D5 is good.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from report import report_from
from tests.pipeline.conftest import FIXTURES, published_at_text
from tests.runner import run_emstat

pytestmark = pytest.mark.slow


def metric(value, previous, change, change_pct):
    return {"value": value, "previous": previous, "change": change, "change_pct": change_pct}


ACCIDENT_KEYS = ("region", "period", "comparison_period", "totals", "by_industry")


# The fixture holds regions and accidents only: every other source is reported as never received.
RAW_QUALITY = [
    "quality checks: 10 suites, 133 expectations, 0 errors, 6 warnings",
    *[
        f"warning files: freshness({s}) observed=1 ids: {s}"
        for s in ("inspections", "penalties", "relief", "disasters", "denominators", "targets")
    ],
    "details: emstat quality",
]


def report_json(home, region, start, end):
    """The accident part of the report and its paragraph (other sections have their own hand-counted fixture in
    tests/report)."""
    done = run_emstat(home, "report", "--region", region, "--from", start, "--to", end, "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    return {key: document[key] for key in ACCIDENT_KEYS} | {"paragraph": document["paragraphs"]["accidents"]}


def test_ingest_says_what_each_file_did(built_home):
    lines = built_home.outputs[0].splitlines()
    assert lines == [
        "regions.csv [regions]: 7 rows: 7 new, 0 revised, 0 unchanged, 0 quarantined",
        "accidents_2024.csv [accidents]: 7 rows: 7 new, 0 revised, 0 unchanged, 0 quarantined",
        "accidents_2025_township_returns.csv [accidents]: 5 rows: 1 new, 0 revised, 0 unchanged, 4 quarantined",
        "事故_2025.csv [accidents]: 6 rows: 6 new, 0 revised, 0 unchanged, 0 quarantined",
        *RAW_QUALITY,
    ]


def test_county_report_matches_the_hand_count(built_home):
    # 2025-01..05 in 青山县: C1 C2 C3 C4 D5; 2024-01..05: B1 B2 B3 B4 (B7 written off, B5 June, B6 白水区).
    assert report_json(built_home.root, "990121", "2025-01-01", "2025-05-31") == {
        "region": {"code": "990121", "name": "青山县"},
        "period": {"from": "2025-01-01", "to": "2025-05-31", "requested_to": "2025-05-31", "is_cut": False},
        "comparison_period": {"from": "2024-01-01", "to": "2024-05-31"},
        "totals": {
            "accidents": metric(5, 4, 1, 25.0),
            "deaths": metric(1, 3, -2, -66.67),
            # nobody missing; D5 comes from the township returns, a file without a 失踪人数 column, which reports nobody
            "missing": metric(0, 0, 0, None),
            "injuries": metric(3, 4, -1, -25.0),
            "serious_injuries": metric(1, 1, 0, 0.0),
            # 5000 + 8000 yuan against 5000 + 12000 + 300000 yuan: -95.899… % → -95.90
            "direct_loss_10k_yuan": metric(1.3, 31.7, -30.4, -95.9),
        },
        "by_industry": {
            "road_traffic": {
                "accidents": metric(2, 2, 0, 0.0),
                "deaths": metric(1, 1, 0, 0.0),
                "missing": metric(0, 0, 0, None),
                "injuries": metric(3, 3, 0, 0.0),
            },
            "fire": {
                "accidents": metric(2, 1, 1, 100.0),
                "deaths": metric(0, 0, 0, None),
                "missing": metric(0, 0, 0, None),
                "injuries": metric(0, 0, 0, None),
            },
            "construction": {
                "accidents": metric(0, 1, -1, -100.0),
                "deaths": metric(0, 2, -2, -100.0),
                "missing": metric(0, 0, 0, None),
                "injuries": metric(0, 1, -1, -100.0),
            },
            "industry_trade": {
                "accidents": metric(1, 0, 1, None),
                "deaths": metric(0, 0, 0, None),
                "missing": metric(0, 0, 0, None),
                "injuries": metric(0, 0, 0, None),
            },
        },
        # Each industry with records in either year, with its own comparison: construction had B4 last year only.
        "paragraph": "截至5月31日，全县共发生各类事故5起、死亡1人、受伤3人，与去年同期相比，起数上升25.00%，"
        "死亡人数下降66.67%，受伤人数下降25.00%；未发生较大及以上生产安全事故。"
        "其中：道路交通事故2起、死亡1人、受伤3人，与去年同期持平；"
        "火灾事故2起，与去年同期相比上升100.00%，无人员伤亡；"
        "工矿商贸事故1起，与去年同期持平，无人员伤亡（建筑施工事故0起，去年同期1起；工贸事故1起，同比增加1起，"
        "无人员伤亡）。",
    }


def test_township_february_compares_with_the_leap_day(built_home):
    # 2025-01-01..02-28 ends on a month end, so it compares with all of February 2024, 29th included (B6).
    got = report_json(built_home.root, "990122001", "2025-01-01", "2025-02-28")
    assert got["comparison_period"] == {"from": "2024-01-01", "to": "2024-02-29"}
    assert got["totals"]["accidents"] == metric(1, 1, 0, 0.0)
    assert got["totals"]["deaths"] == metric(0, 1, -1, -100.0)
    assert got["totals"]["injuries"] == metric(1, 3, -2, -66.67)
    assert got["paragraph"] == (
        "截至2月28日，全街道共发生各类事故1起、死亡0人、受伤1人，与去年同期相比，起数持平，"
        "死亡人数下降100.00%，受伤人数下降66.67%；未发生较大及以上生产安全事故。"
        "其中：道路交通事故1起、受伤1人，与去年同期相比，起数持平，受伤人数下降66.67%，无人员死亡。"
    )


@pytest.mark.parametrize(("start", "compared_from"), [("2025-02-28", "2024-02-28"), ("2025-02-15", "2024-02-15")])
def test_a_part_of_february_ending_on_the_28th_compares_with_the_same_days(built_home, start, compared_from):
    # C6 on 2025-02-28; last year B6 fell on the 29th, which a span ending on the 28th does not reach: one
    # accident more, not 持平 (the whole month would compare with all of February 2024, as above).
    got = report_json(built_home.root, "990122001", start, "2025-02-28")
    assert got["comparison_period"] == {"from": compared_from, "to": "2024-02-28"}
    assert got["totals"]["accidents"] == metric(1, 0, 1, None)
    assert "起数同比增加1起" in got["paragraph"]


def test_townships_roll_up_into_county_and_city(built_home):
    district = report_json(built_home.root, "990122", "2025-01-01", "2025-05-31")
    assert district["paragraph"].startswith("截至5月31日，全区共发生各类事故1起")
    city = report_json(built_home.root, "990100", "2025-01-01", "2025-05-31")
    assert city["totals"]["accidents"] == metric(6, 5, 1, 20.0)
    assert city["totals"]["deaths"] == metric(1, 4, -3, -75.0)
    assert city["totals"]["injuries"] == metric(4, 7, -3, -42.86)
    assert city["paragraph"].startswith("截至5月31日，全市共发生各类事故6起")
    township = report_json(built_home.root, "990121100", "2025-01-01", "2025-05-31")  # 城关镇: C1 C3 C4
    assert township["totals"]["accidents"] == metric(3, 2, 1, 50.0)  # B1 B3


def test_bad_rows_are_quarantined_with_their_reasons(built_home):
    with duckdb.connect(str(built_home.root / "published" / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select file_name, row_number, record_id, reason from raw.quarantine order by row_number"
        ).fetchall()
        landed = {r[0] for r in con.execute("select accident_id from raw.accidents").fetchall()}
    file = "accidents_2025_township_returns.csv"
    assert rows == [
        (file, 2, "D1", "死亡人数“-1”不能为负数 / deaths '-1' must not be negative"),
        (file, 3, "D2", "行政区划代码“990121999”不在区划表中 / region_code '990121999' is not in the region reference"),
        (
            file,
            4,
            "D3",
            "发生时间“2025-02-30”不是可识别的日期时间 / occurred_at '2025-02-30' is not a recognisable date or time",
        ),
        (
            file,
            5,
            "D4",
            "统一社会信用代码“91350100M000100Y44”校验位不符 / credit_code '91350100M000100Y44' is not "
            "a valid unified social credit code (GB 32100)",
        ),
    ]
    assert landed == {"B1", "B2", "B3", "B4", "B5", "B6", "B7", "C1", "C2", "C3", "C4", "C5", "C6", "D5"}


def test_loading_the_same_folder_again_changes_nothing(built_home, tmp_path):
    home = built_home.copy_to(tmp_path / "home")
    warehouse = home / "warehouse.duckdb"
    runs = set((home / "logs").glob("ingest-*.log"))

    def counts():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return [
                con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                for t in ("accidents", "regions", "quarantine", "files")
            ]

    already = [
        f"{name}: already loaded, nothing to do"
        for name in ("regions.csv", "accidents_2024.csv", "accidents_2025_township_returns.csv", "事故_2025.csv")
    ]
    before = counts()
    # The published build is current: no run is started, and the clerk is told the figures stand.
    again = run_emstat(home, "ingest", str(FIXTURES / "landing"))
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout.splitlines() == [
        *already,
        f"nothing to ingest: every file was loaded before, and the figures published at {published_at_text(home)} "
        "are current",
    ]
    assert set((home / "logs").glob("ingest-*.log")) == runs
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_emstat(home, "ingest", str(empty)).stdout.splitlines() == [
        f"nothing to ingest: no CSV or XLSX file there, and the figures published at {published_at_text(home)} "
        "are current"
    ]

    # A raw row edited by hand since that build: the same folder goes through a run, whose checks run again.
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.accidents set injuries = injuries + 1 where accident_id = 'B1'")
    rerun = run_emstat(home, "ingest", str(FIXTURES / "landing"))
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.splitlines() == [*already, *RAW_QUALITY]
    assert len(set((home / "logs").glob("ingest-*.log")) - runs) == 1
    assert counts() == before == [14, 7, 4, 4]


def test_report_agrees_with_the_kpi_mart_for_every_named_period(built_home):
    """The report (Python) and kpi_accident_yoy (dbt SQL) apply the same period and rounding rules."""
    published = built_home.root / "published" / "warehouse.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        rows = con.execute(
            """
            select region_code, period_start, period_end, comparison_start, comparison_end,
                   accidents, accidents_previous, accidents_change_pct, deaths, deaths_previous, deaths_change_pct,
                   injuries, injuries_change_pct, serious_injuries_change_pct,
                   direct_loss_10k_yuan, direct_loss_10k_yuan_previous, direct_loss_10k_yuan_change_pct
            from kpi.kpi_accident_yoy where industry_scope = 'all'
            """
        ).fetchall()
        reports = [
            (report_from(con, region, start, end), cstart, cend, figures)
            for region, start, end, cstart, cend, *figures in rows
        ]
    # 7 regions × (31 periods of 2024 + 16 of 2025 up to June, the last month with records:
    # 6 months, 2 quarters, 1 half, the year, 6 year-to-date spans)
    assert len(rows) == 7 * (31 + 16)
    for got, cstart, cend, figures in reports:
        region, start, end = got.region_code, got.start, got.end
        t = got.totals
        assert (got.comparison_start, got.comparison_end) == (cstart, cend)
        assert [
            t["accidents"].value,
            t["accidents"].previous,
            t["accidents"].change_pct,
            t["deaths"].value,
            t["deaths"].previous,
            t["deaths"].change_pct,
            t["injuries"].value,
            t["injuries"].change_pct,
            t["serious_injuries"].change_pct,
            t["direct_loss_10k_yuan"].value,
            t["direct_loss_10k_yuan"].previous,
            t["direct_loss_10k_yuan"].change_pct,
        ] == figures, (region, start, end)


def test_a_range_longer_than_a_year_is_refused_in_one_line(built_home):
    done = run_emstat(built_home.root, "report", "--region", "990121", "--from", "2024-01-01", "--to", "2025-05-31")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "emstat: a report covers at most one year, so that it can be compared with the same period last year"
    ]
