"""`emstat report`: every figure of a region and date range against the same period last year.

Reads only the published copy, so a report never sees data that has not passed the checks. With `as_of`
it is rebuilt from the revisions known at the end of that day (kpi-rules.md). A range that runs past the last
day the records cover is cut there, and its 去年同期 with it, by the warehouse's own rule (report_span).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from core.clock import local_now
from core.periods import default_data_through
from report import spans
from report.bulletin import (
    DisasterLine,
    Enforcement,
    Figure,
    GradeLine,
    IndustryLine,
    Paragraphs,
    ReliefLine,
    bulletin_sentence,
    disasters_paragraph,
    enforcement_paragraph,
    relief_paragraph,
)
from report.figures import Metric
from report.spans import Boundaries, Comparison
from report.tables import Labels

__all__ = ["Metric", "Report", "ReportError", "build_report", "report_from"]

# The figures each section shows, in the order of docs/report-json.md, as the report macros name their columns.
TOTAL_METRICS = ("accidents", "deaths", "missing", "injuries", "serious_injuries")
INDUSTRY_METRICS = ("accidents", "deaths", "missing", "injuries")
GRADES = ("general", "larger", "major", "especially_major")
INDUSTRIAL = "industrial"  # the 工矿商贸 group, worded with its industries in brackets
ENFORCEMENT_FIGURES = (
    "inspections",
    "units_inspected",
    "hazards_found",
    "major_hazards_found",
    "hazards_rectified",
    "rectification_rate_pct",
    "overdue_hazards",
    "cases_filed",
    "penalty_decisions",
    "fines_10k_yuan",
    "double_penalty_cases",
    "inspections_without_penalty",
)
RELIEF_BY_FIGURES = ("amount_10k_yuan", "households", "persons")
RELIEF_FIGURES = (*RELIEF_BY_FIGURES, "amount_per_person_yuan", "days_to_first_disbursement")
HAZARD_FIGURES = ("events", "affected_people", "deaths", "missing", "direct_loss_10k_yuan")
DISASTER_FIGURES = (
    "events",
    "affected_people",
    "deaths",
    "missing",
    "relocated",
    "houses_collapsed",
    "houses_severe",
    "houses_damaged",
    "crop_affected_ha",
    "crop_failed_ha",
    "crop_lost_ha",
    "direct_loss_10k_yuan",
)
RATES = (
    "deaths_per_100m_gdp",
    "industrial_deaths_per_100k_workers",
    "road_deaths_per_10k_vehicles",
    "coal_deaths_per_mt",
    "disaster_deaths_per_million",
    "disaster_loss_pct_of_gdp",
    "forest_fire_damage_permille",
)


class ReportError(Exception):
    """A report that cannot be made, said in one line."""


@dataclass(frozen=True)
class Report:
    region_code: str
    region_name: str
    start: date
    end: date  # the last day counted: the requested end, or data_through when the range runs past it
    requested_end: date
    data_through: date  # the last day the records cover
    comparison_start: date
    comparison_end: date
    as_of: date | None
    comparison_as_of: date | None
    decimals: int  # of every percentage and 万元 figure
    boundaries: Boundaries
    boundary_changes: list[dict[str, object]]
    totals: dict[str, Metric]
    by_industry: dict[str, dict[str, Metric]]
    by_industry_group: dict[str, dict[str, Metric]]
    by_grade: dict[str, Metric]
    by_grade_deaths: dict[str, Metric]  # deaths in the accidents of each grade
    by_subregion: dict[str, tuple[str, dict[str, Metric]]]
    enforcement: dict[str, Metric]
    relief: dict[str, Metric]
    relief_by_program: dict[str, dict[str, Metric]]
    relief_by_source: dict[str, dict[str, Metric]]
    disasters: dict[str, Metric]
    disasters_by_hazard: dict[str, dict[str, Metric]]
    rates: dict[str, Metric]
    labels: Labels
    paragraphs: Paragraphs

    @property
    def text(self) -> str:
        return self.paragraphs.text

    @property
    def is_cut(self) -> bool:
        return self.end < self.requested_end

    @property
    def industry_labels(self) -> dict[str, str]:
        return self.labels.industries

    def as_json(self) -> dict[str, object]:
        def section(metrics: dict[str, Metric]) -> dict[str, object]:
            return {name: m.as_json() for name, m in metrics.items()}

        def nested(groups: dict[str, dict[str, Metric]]) -> dict[str, object]:
            return {code: section(metrics) for code, metrics in groups.items()}

        return {
            "region": {"code": self.region_code, "name": self.region_name},
            "period": {
                "from": self.start.isoformat(),
                "to": self.end.isoformat(),
                "requested_to": self.requested_end.isoformat(),
                "is_cut": self.is_cut,
            },
            "comparison_period": {"from": self.comparison_start.isoformat(), "to": self.comparison_end.isoformat()},
            "data_through": self.data_through.isoformat(),
            "as_of": self.as_of and self.as_of.isoformat(),
            "comparison_as_of": self.comparison_as_of and self.comparison_as_of.isoformat(),
            "decimals": self.decimals,
            "boundaries": {
                "basis": "comparable",
                "valid_on": self.boundaries.valid_on.isoformat(),
                "known_on": self.boundaries.known_on and self.boundaries.known_on.isoformat(),
                "changes": [
                    change | {"valid_from": change["valid_from"] and change["valid_from"].isoformat()}
                    for change in self.boundary_changes
                ],
            },
            "totals": section(self.totals),
            "by_industry": nested(self.by_industry),
            "by_industry_group": nested(self.by_industry_group),
            "by_grade": section(self.by_grade),
            "by_grade_deaths": section(self.by_grade_deaths),
            "by_subregion": {
                code: {"name": name} | section(metrics) for code, (name, metrics) in self.by_subregion.items()
            },
            "enforcement": section(self.enforcement),
            "relief": section(self.relief)
            | {"by_program": nested(self.relief_by_program), "by_source": nested(self.relief_by_source)},
            "disasters": section(self.disasters) | {"by_hazard": nested(self.disasters_by_hazard)},
            "rates": section(self.rates),
            "text": self.text,
            "paragraphs": self.paragraphs.as_json(),
        }


def build_report(
    published: Path,
    region_code: str,
    start: date,
    end: date,
    as_of: date | None = None,
    as_reported: bool = False,
    today: date | None = None,
    decimals: int = 2,
) -> Report:
    if not published.exists():
        raise ReportError(f"nothing is published yet under {published.parent.parent}: run `emstat build` first")
    with duckdb.connect(str(published), read_only=True) as con:
        return report_from(con, region_code, start, end, as_of, as_reported, today, decimals)


def report_from(
    con: duckdb.DuckDBPyConnection,
    region_code: str,
    start: date,
    end: date,
    as_of: date | None = None,
    as_reported: bool = False,
    today: date | None = None,
    decimals: int = 2,
) -> Report:
    """`as_reported`: 去年同期 as it was known one year before `as_of` (or `today`), what was reported then.
    `decimals`: of every percentage and 万元 figure, each rounded from the exact value."""
    if end < start:
        raise ReportError(f"--to {end} is before --from {start}")
    through = _data_through(con, as_of, today)
    if start > through:
        raise ReportError(f"--from {start} is after {through}, the last day the records cover")
    requested_end = end
    end, comparison_start, comparison_end = con.execute(
        "select counted_end, comparison_start, comparison_end from marts.report_span(?, ?, ?)",
        [start, requested_end, through],
    ).fetchone()
    if comparison_end >= start:
        raise ReportError("a report covers at most one year, so that it can be compared with the same period last year")
    # Both years read the tree in force on the last day the records cover, as known on as_of (or now): the
    # current boundaries (可比口径), as the marts and dashboards read them.
    boundaries = Boundaries(as_of, through)
    region = con.execute(
        f"select region_name, collective_name_zh from {boundaries.tree()} where region_code = ?", [region_code]
    ).fetchone()
    if region is None:
        raise ReportError(f"region {region_code} is not in the region reference")
    comparison_as_of = None
    if as_reported:
        # The same day a year earlier, as the build maps a day to its 去年同期 (29 February to 28 February).
        known_on = as_of or today or local_now().date()
        (comparison_as_of,) = con.execute(
            "select comparison_start from marts.report_span(?, ?, ?)", [known_on, known_on, known_on]
        ).fetchone()
    comparison = Comparison(
        region_code, start, end, comparison_start, comparison_end, as_of, comparison_as_of or as_of, boundaries
    )
    labels = Labels.from_code_lists()

    def section(name: str) -> list[dict[str, object]]:
        return comparison.rows(con, name, decimals)

    accidents = _keyed(section("accidents"))
    totals = {m: Metric.of(accidents["all", "all"], m) for m in (*TOTAL_METRICS, "direct_loss_10k_yuan")}
    by_industry = _by_key(accidents, "industry", labels.industries, INDUSTRY_METRICS)
    by_group = _by_key(accidents, "industry_group", labels.industry_groups, INDUSTRY_METRICS)
    by_grade = {g: Metric.of(accidents["grade", g], "accidents") for g in GRADES}
    by_grade_deaths = {g: Metric.of(accidents["grade", g], "deaths") for g in GRADES}
    (enforcement_row,) = section("enforcement")
    enforcement = {m: Metric.of(enforcement_row, m) for m in ENFORCEMENT_FIGURES}
    relief_rows = _keyed(section("relief"))
    relief = {m: Metric.of(relief_rows["all", "all"], m) for m in RELIEF_FIGURES}
    relief_by_program = _by_key(relief_rows, "program", labels.programs, RELIEF_BY_FIGURES)
    relief_by_source = _by_key(relief_rows, "fund_source", labels.fund_sources, RELIEF_BY_FIGURES)
    disaster_rows = _keyed(section("disasters"))
    disasters = {m: Metric.of(disaster_rows["all", "all"], m) for m in DISASTER_FIGURES}
    disasters_by_hazard = _by_key(disaster_rows, "hazard", labels.hazards, HAZARD_FIGURES)
    (rates_row,) = section("rates")
    subregions = {
        row["region_code"]: (row["region_name"], {m: Metric.of(row, m) for m in INDUSTRY_METRICS})
        for row in section("subregions")
    }
    opening = (region[1], start, end)
    paragraphs = Paragraphs(
        bulletin_sentence(
            *opening,
            _figures(totals),
            [GradeLine(labels.grades[g], by_grade[g].value, by_grade_deaths[g].value) for g in reversed(GRADES[1:])],
            [
                IndustryLine(
                    labels.industries[code],
                    _figures(by_industry[code]),
                    is_industrial=labels.industry_group_of[code] == INDUSTRIAL,
                )
                for code in by_industry
            ],
            IndustryLine(labels.industry_groups[INDUSTRIAL], _figures(by_group[INDUSTRIAL]))
            if INDUSTRIAL in by_group
            else None,
        ),
        enforcement_paragraph(
            *opening, Enforcement(**{key: _figure(enforcement[key]) for key in Enforcement.__dataclass_fields__})
        ),
        relief_paragraph(
            *opening,
            _relief_line("", relief),
            [_relief_line(labels.programs[code], figures) for code, figures in relief_by_program.items()],
        ),
        disasters_paragraph(
            *opening,
            _disaster_line("", disasters),
            [_disaster_line(labels.hazards[code], figures) for code, figures in disasters_by_hazard.items()],
        ),
    )
    return Report(
        region_code,
        region[0],
        start,
        end,
        requested_end,
        through,
        comparison_start,
        comparison_end,
        as_of,
        comparison_as_of,
        decimals,
        boundaries,
        spans.boundary_changes(con, region_code, boundaries, comparison_start),
        totals,
        by_industry,
        by_group,
        by_grade,
        by_grade_deaths,
        subregions,
        enforcement,
        relief,
        relief_by_program,
        relief_by_source,
        disasters,
        disasters_by_hazard,
        {name: Metric.of_rate(rates_row, name) for name in RATES},
        labels,
        paragraphs,
    )


def _figure(metric: Metric) -> Figure:
    return Figure(metric.value, metric.previous, metric.change, metric.change_pct)


def _figures(metrics: dict[str, Metric]) -> dict[str, Figure]:
    """The accident counts as the bulletin words them."""
    return {m: _figure(metrics[m]) for m in INDUSTRY_METRICS}


def _relief_line(label: str, metrics: dict[str, Metric]) -> ReliefLine:
    return ReliefLine(label, _figure(metrics["amount_10k_yuan"]), _figure(metrics["persons"]))


def _disaster_line(label: str, metrics: dict[str, Metric]) -> DisasterLine:
    return DisasterLine(
        label,
        *(_figure(metrics[key]) for key in ("events", "affected_people", "deaths", "missing", "direct_loss_10k_yuan")),
    )


def _data_through(con: duckdb.DuckDBPyConnection, as_of: date | None, today: date | None) -> date:
    """The last day the published records cover (the build's data_through), or the as-of day if earlier."""
    (built,) = con.execute("select max(data_through) from marts.dim_period").fetchone()
    through = built or default_data_through(today or local_now().date())
    return through if as_of is None else min(through, as_of)


def _keyed(rows: list[dict[str, object]]) -> dict[tuple[str, str], dict[str, object]]:
    """A section's rows by (scope, key)."""
    return {(row["scope"], row["key"]): row for row in rows}


def _by_key(
    rows: dict[tuple[str, str], dict[str, object]], scope: str, order: dict[str, str], figures: tuple[str, ...]
) -> dict[str, dict[str, Metric]]:
    """The figures of each key of `scope` with records on either side, in the order of the code list."""
    return {code: {m: Metric.of(rows[scope, code], m) for m in figures} for code in order if (scope, code) in rows}
