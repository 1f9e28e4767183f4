"""The report (Python, any date range) and the KPI marts (dbt SQL, named periods) count every figure the same
way: for every region and every named period of the hand-counted dataset, each figure of each section is equal."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from emstat.report import report_from

pytestmark = pytest.mark.slow

# kpi table, its row filter, and for each column the report's figure: (section, name)
SECTIONS = {
    "kpi.kpi_accident_yoy": ("industry_scope = 'all'", {
        "accidents": ("totals", "accidents"), "deaths": ("totals", "deaths"), "injuries": ("totals", "injuries"),
        "serious_injuries": ("totals", "serious_injuries"), "direct_loss_10k_yuan": ("totals", "direct_loss_10k_yuan"),
        **{f"{g}_accidents": ("by_grade", g) for g in ("general", "larger", "major", "especially_major")},
    }),
    "kpi.kpi_enforcement_yoy": ("true", {name: ("enforcement", name) for name in (
        "inspections", "units_inspected", "hazards_found", "major_hazards_found", "hazards_rectified",
        "rectification_rate_pct", "overdue_hazards", "cases_filed", "penalty_decisions", "fines_10k_yuan",
        "double_penalty_cases", "inspections_without_penalty")}),
    "kpi.kpi_relief_yoy": ("relief_scope = 'all'", {name: ("relief", name) for name in (
        "amount_10k_yuan", "households", "persons", "amount_per_person_yuan", "days_to_first_disbursement")}),
    "kpi.kpi_disaster_yoy": ("hazard_scope = 'all'", {name: ("disasters", name) for name in (
        "events", "affected_people", "deaths", "missing", "relocated", "houses_collapsed", "houses_severe",
        "houses_damaged", "crop_affected_ha", "crop_failed_ha", "crop_lost_ha", "direct_loss_10k_yuan")}),
    "kpi.kpi_rates": ("true", {name: ("rates", name) for name in (
        "deaths_per_100m_gdp", "industrial_deaths_per_100k_workers", "road_deaths_per_10k_vehicles",
        "coal_deaths_per_mt", "disaster_deaths_per_million", "disaster_loss_pct_of_gdp",
        "forest_fire_damage_permille")}),
}


def _same(mart_value, report_value) -> bool:
    if mart_value is None or report_value is None:
        return mart_value is None and report_value is None
    return Decimal(str(mart_value)) == Decimal(str(report_value))


def test_every_figure_of_every_named_period_agrees(revised_home):
    published = revised_home.root / "published" / "warehouse.duckdb"
    compared = 0
    mismatches = []
    with duckdb.connect(str(published), read_only=True) as con:
        reports = {}
        for table, (where, columns) in SECTIONS.items():
            selected = ", ".join(f"{c}, {c}_previous" for c in columns)
            rows = con.execute(
                f"select region_code, period_key, period_start, period_end, {selected} from {table} where {where}"
            ).fetchall()
            assert rows, table
            for region, period_key, start, end, *figures in rows:
                if (region, period_key) not in reports:
                    reports[(region, period_key)] = report_from(con, region, start, end)
                got = reports[(region, period_key)]
                for i, (column, (section, name)) in enumerate(columns.items()):
                    metric = getattr(got, section)[name]
                    for side, mart_value, report_value in (("value", figures[2 * i], metric.value),
                                                           ("previous", figures[2 * i + 1], metric.previous)):
                        compared += 1
                        if not _same(mart_value, report_value):
                            mismatches.append((table, region, period_key, column, side, mart_value, report_value))
    assert mismatches == []
    assert compared > 10_000
