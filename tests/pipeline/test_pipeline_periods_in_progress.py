"""A period still in progress is compared day for day. The pipeline fixtures (tests/pipeline/fixtures/landing)
built with `emstat build --through 2025-06-01`: every figure below is counted by hand from those files.

Accidents that count (written-off B7 and the refused rows aside), with deaths and injuries:
  2024: B1 01-15 (1, 2)  B6 02-29 (1, 3)  B2 03-02 (0, 1)  B3 04-20 (0, 0)  B4 05-31 (2, 1)  B5 06-01 (1, 0)
  2025: C1 01-03 (0, 1)  C2 02-10 (1, 2)  C6 02-28 (0, 1)  C3 03-05 (0, 0)  D5 04-01 (0, 0)  C4 05-31 (0, 0)
        C5 06-02 (2, 0), after the day the figures run through.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.runner import run_emstat

pytestmark = pytest.mark.slow

PROVINCE = "990000"


@pytest.fixture(scope="module")
def home(shelf, tmp_path_factory):
    return shelf.get("pipeline_through").copy_to(tmp_path_factory.mktemp("through") / "home")


def _report(home, start: str, end: str):
    done = run_emstat(home, "report", "--region", PROVINCE, "--from", start, "--to", end, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def _figures(report: dict) -> dict[str, tuple]:
    return {
        m: (report["totals"][m]["value"], report["totals"][m]["previous"], report["totals"][m]["change_pct"])
        for m in ("accidents", "deaths", "injuries")
    }


@pytest.mark.parametrize(
    ("start", "end", "counted", "compared", "figures", "sentence"),
    [
        # The year in progress: 1 January-1 June against the same days of 2024 (C5 of 2 June is not counted yet;
        # the whole of 2025 against the whole of 2024 would be 7 against 6).
        (
            "2025-01-01",
            "2025-12-31",
            "2025-06-01",
            ("2024-01-01", "2024-06-01"),
            {"accidents": (6, 6, 0.0), "deaths": (1, 5, -80.0), "injuries": (4, 7, -42.86)},
            "截至6月1日，全省共发生各类事故6起、死亡1人、受伤4人，与去年同期相比，起数持平，死亡人数下降80.00%，受伤人数下降42.86%；未发生较大及以上生产安全事故。",
        ),
        # The second quarter in progress: D5, C4 against B3, B4, B5.
        (
            "2025-04-01",
            "2025-06-30",
            "2025-06-01",
            ("2024-04-01", "2024-06-01"),
            {"accidents": (2, 3, -33.33), "deaths": (0, 3, -100.0), "injuries": (0, 1, -100.0)},
            "4月1日至6月1日，全省共发生各类事故2起、死亡0人、受伤0人，与去年同期相比分别下降33.33%、100.00%、100.00%；未发生较大及以上生产安全事故。",
        ),
        # June in progress: its first day against 1 June 2024 (B5), not against the whole of June 2024.
        (
            "2025-06-01",
            "2025-06-30",
            "2025-06-01",
            ("2024-06-01", "2024-06-01"),
            {"accidents": (0, 1, -100.0), "deaths": (0, 1, -100.0), "injuries": (0, 0, None)},
            "6月1日，全省共发生各类事故0起、死亡0人、受伤0人，与去年同期相比，起数下降100.00%，死亡人数下降100.00%，受伤人数持平；未发生较大及以上生产安全事故。",
        ),
        # A February ending on the 29th, long over: all of it against all of February 2023, which has no records.
        (
            "2024-02-01",
            "2024-02-29",
            "2024-02-29",
            ("2023-02-01", "2023-02-28"),
            {"accidents": (1, 0, None), "deaths": (1, 0, None), "injuries": (3, 0, None)},
            "2月1日至2月29日，全省共发生各类事故1起、死亡1人、受伤3人，与去年同期相比，起数同比增加1起，死亡人数同比增加1人，受伤人数同比增加3人；未发生较大及以上生产安全事故。",
        ),
        # A range that ends before the data's last day is not cut: 1-2月 of 2025 against 1-2月 of 2024 (B1, B6).
        (
            "2025-01-01",
            "2025-02-28",
            "2025-02-28",
            ("2024-01-01", "2024-02-29"),
            {"accidents": (3, 2, 50.0), "deaths": (1, 2, -50.0), "injuries": (4, 5, -20.0)},
            "截至2月28日，全省共发生各类事故3起、死亡1人、受伤4人，与去年同期相比，起数上升50.00%，死亡人数下降50.00%，受伤人数下降20.00%；未发生较大及以上生产安全事故。",
        ),
    ],
    ids=[
        "year_in_progress",
        "quarter_in_progress",
        "month_in_progress",
        "ending_29_february",
        "ending_before_the_data",
    ],
)
def test_a_range_is_counted_through_the_last_day_of_the_records_on_both_sides(
    home, start, end, counted, compared, figures, sentence
):
    report, stderr = _report(home, start, end)

    cut = counted != end
    assert report["period"] == {"from": start, "to": counted, "requested_to": end, "is_cut": cut}
    assert report["comparison_period"] == {"from": compared[0], "to": compared[1]}
    assert report["data_through"] == "2025-06-01"
    assert _figures(report) == figures
    assert report["text"].startswith(sentence)
    # A cut is said once on stderr, apart from the figures; a range inside the records says nothing.
    assert stderr == (f"figures run through {counted}; last year's through {compared[1]}\n" if cut else "")


def test_the_cockpits_periods_in_progress_are_the_reports(home):
    with duckdb.connect(str(home / "published" / "warehouse.duckdb"), read_only=True) as con:
        marts = {
            key: rest
            for key, *rest in con.execute(
                "select period_key, period_label_zh, period_end, comparison_end, accidents, accidents_previous, "
                "deaths, deaths_previous, injuries, injuries_previous from kpi.kpi_accident_yoy "
                "where region_code = ? and industry_scope = 'all' and period_key in ('2025', '2025-Q2', '2025-06')",
                [PROVINCE],
            ).fetchall()
        }
        default = con.execute("select period_label_zh from kpi.kpi_dashboard_periods where is_default").fetchall()
        june = con.execute(
            "select month_label_zh, is_month_in_progress, accidents, accidents_previous "
            "from kpi.kpi_accident_trend where period_key = '2025' and region_code = ? "
            "and month_start = date '2025-06-01'",
            [PROVINCE],
        ).fetchall()
    assert {key: (label, str(through), str(compared)) for key, (label, through, compared, *_) in marts.items()} == {
        "2025": ("2025年（截至6月1日）", "2025-06-01", "2024-06-01"),
        "2025-Q2": ("2025年第2季度（截至6月1日）", "2025-06-01", "2024-06-01"),
        "2025-06": ("2025年6月（截至6月1日）", "2025-06-01", "2024-06-01"),
    }
    for key, start, end in (
        ("2025", "2025-01-01", "2025-12-31"),
        ("2025-Q2", "2025-04-01", "2025-06-30"),
        ("2025-06", "2025-06-01", "2025-06-30"),
    ):
        report, _ = _report(home, start, end)
        assert tuple(marts[key][3:]) == tuple(
            report["totals"][m][side] for m in ("accidents", "deaths", "injuries") for side in ("value", "previous")
        )
    # The cockpit opens on the year so far, labelled with the day it runs through; June's point of the trend is
    # its first day against 1 June 2024.
    assert default == [("2025年1-6月（截至6月1日）",)]
    assert june == [("2025年6月（截至6月1日）", True, 0, 1)]


def test_a_range_that_has_not_begun_is_refused_in_one_line(home):
    done = run_emstat(home, "report", "--region", PROVINCE, "--from", "2025-06-02", "--to", "2025-06-30")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "emstat: --from 2025-06-02 is after 2025-06-01, the last day the records cover\n"


def test_a_build_through_a_day_not_over_is_refused(home):
    done = run_emstat(home, "build", "--through", "2999-01-01")
    assert done.returncode == 1
    assert done.stderr.startswith("emstat: --through 2999-01-01 has not ended: the records run through ")
