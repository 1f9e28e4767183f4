"""The report (its table macros, any date range) and the KPI marts (named periods) count every figure the same
way: for every region and every named period of the hand-counted dataset, each figure of each section is equal."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from report import DISASTER_FIGURES, ENFORCEMENT_FIGURES, GRADES, RATES, RELIEF_FIGURES, report_from

pytestmark = pytest.mark.slow

# kpi table, its row filter, and for each column the report's figure: (section, name)
SECTIONS = {
    "kpi.kpi_accident_yoy": (
        "industry_scope = 'all'",
        {
            "accidents": ("totals", "accidents"),
            "deaths": ("totals", "deaths"),
            "missing": ("totals", "missing"),
            "injuries": ("totals", "injuries"),
            "serious_injuries": ("totals", "serious_injuries"),
            "direct_loss_10k_yuan": ("totals", "direct_loss_10k_yuan"),
            **{f"{g}_accidents": ("by_grade", g) for g in GRADES},
        },
    ),
    "kpi.kpi_enforcement_yoy": ("true", {name: ("enforcement", name) for name in ENFORCEMENT_FIGURES}),
    "kpi.kpi_relief_yoy": ("relief_scope = 'all'", {name: ("relief", name) for name in RELIEF_FIGURES}),
    "kpi.kpi_disaster_yoy": ("hazard_scope = 'all'", {name: ("disasters", name) for name in DISASTER_FIGURES}),
    "kpi.kpi_rates": ("true", {name: ("rates", name) for name in RATES}),
}


def _same(mart_value, report_value) -> bool:
    if mart_value is None or report_value is None:
        return mart_value is None and report_value is None
    return Decimal(str(mart_value)) == Decimal(str(report_value))


def _mismatches(published, periods: str) -> tuple[list[tuple], int]:
    """Every figure of the KPI marts' rows whose period_key is in `periods` (a query) against the report for the
    same region and span; the mismatches and how many figures were compared."""
    compared = 0
    mismatches = []
    with duckdb.connect(str(published), read_only=True) as con:
        reports = {}
        for table, (where, columns) in SECTIONS.items():
            selected = ", ".join(f"{c}, {c}_previous" for c in columns)
            rows = con.execute(
                f"select region_code, period_key, period_start, period_end, {selected} from {table} where {where} "
                f"and period_key in ({periods})"
            ).fetchall()
            assert rows, table
            for region, period_key, start, end, *figures in rows:
                if (region, period_key) not in reports:
                    reports[(region, period_key)] = report_from(con, region, start, end)
                got = reports[(region, period_key)]
                for i, (column, (section, name)) in enumerate(columns.items()):
                    metric = getattr(got, section)[name]
                    for side, mart_value, report_value in (
                        ("value", figures[2 * i], metric.value),
                        ("previous", figures[2 * i + 1], metric.previous),
                    ):
                        compared += 1
                        if not _same(mart_value, report_value):
                            mismatches.append((table, region, period_key, column, side, mart_value, report_value))
    return mismatches, compared


def test_every_figure_of_every_named_period_agrees(revised_home):
    mismatches, compared = _mismatches(
        revised_home.root / "published" / "warehouse.duckdb", "select period_key from marts.dim_period"
    )
    assert mismatches == []
    assert compared > 10_000


def test_every_figure_of_every_period_in_progress_agrees(shelf):
    """The demo's records run through 14 June 2026: the year, its first half, second quarter, June and 1-6月
    are cut there, each span of buckets in the marts against the report's plain range of days."""
    published = shelf.get("demo").published
    with duckdb.connect(str(published), read_only=True) as con:
        in_progress = con.execute("select period_key from marts.dim_period where is_in_progress order by 1").fetchall()
    assert in_progress == [("2026",), ("2026-06",), ("2026-H1",), ("2026-Q2",), ("2026-YTD06",)]

    mismatches, compared = _mismatches(published, "select period_key from marts.dim_period where is_in_progress")
    assert mismatches == []
    assert compared > 1_000
