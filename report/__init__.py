"""`emstat report`: every figure of a region and date range against the same period last year.

Reads only the published copy, so a report never sees data that has not passed the checks. With `as_of`
it is rebuilt from the revisions known at the end of that day (kpi-rules.md). A range that runs past the last
day the records cover is cut there, and its 去年同期 with it, by the warehouse's own rule (report_span).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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
from report.figures import TENTH, Metric, half_up, pct_change, pct_of, significant
from report.spans import Boundaries, Span
from report.tables import Labels

__all__ = ["Metric", "Report", "ReportError", "build_report", "pct_change", "report_from"]

TOTAL_METRICS = ("accidents", "deaths", "missing", "injuries", "serious_injuries")
INDUSTRY_METRICS = ("accidents", "deaths", "missing", "injuries")
GRADES = ("general", "larger", "major", "especially_major")
INDUSTRIAL = "industrial"  # the 工矿商贸 group, worded with its industries in brackets
ENFORCEMENT_COUNTS = ("inspections", "units_inspected", "hazards_found", "major_hazards_found", "hazards_rectified")
DISASTER_COUNTS = (
    "events",
    "affected_people",
    "deaths",
    "missing",
    "relocated",
    "houses_collapsed",
    "houses_severe",
    "houses_damaged",
)
HAZARD_COUNTS = ("events", "affected_people", "deaths", "missing")
RELIEF_COUNTS = ("households", "persons")


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
    current = Span(region_code, start, end, as_of, boundaries)
    previous = Span(region_code, comparison_start, comparison_end, comparison_as_of or as_of, boundaries)
    labels = Labels.from_code_lists()

    accidents = _Pair(spans.accidents_by_industry(con, current), spans.accidents_by_industry(con, previous), decimals)
    totals = {
        m: Metric.of_counts(accidents.total("current", m), accidents.total("previous", m), decimals)
        for m in TOTAL_METRICS
    }
    totals["direct_loss_10k_yuan"] = Metric.of_money(
        accidents.total("current", "direct_loss_yuan"), accidents.total("previous", "direct_loss_yuan"), decimals
    )
    by_industry = {code: accidents.counts(code, INDUSTRY_METRICS) for code in labels.industries if code in accidents}
    groups = _Pair(
        *(_by_group(side, labels.industry_group_of) for side in (accidents.current, accidents.previous)), decimals
    )
    by_group = {code: groups.counts(code, INDUSTRY_METRICS) for code in labels.industry_groups if code in groups}
    grades = _Pair(spans.accidents_by_grade(con, current), spans.accidents_by_grade(con, previous), decimals)
    graded = {g: grades.counts(g, ("accidents", "deaths")) for g in GRADES}
    by_grade = {g: graded[g]["accidents"] for g in GRADES}
    by_grade_deaths = {g: graded[g]["deaths"] for g in GRADES}

    disaster_totals, disaster_hazards = zip(
        spans.disasters_by_hazard(con, current), spans.disasters_by_hazard(con, previous), strict=True
    )
    denominators = (spans.denominators(con, current), spans.denominators(con, previous))

    enforcement = _enforcement(spans.enforcement(con, current), spans.enforcement(con, previous), decimals)
    relief, relief_by_program, relief_by_source = _relief(con, current, previous, labels, decimals)
    disasters, disasters_by_hazard = _disasters(disaster_totals, disaster_hazards, labels, decimals)
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
        _subregions(con, current, previous, decimals),
        enforcement,
        relief,
        relief_by_program,
        relief_by_source,
        disasters,
        disasters_by_hazard,
        _rates(
            (accidents.current, accidents.previous),
            disaster_totals,
            disaster_hazards,
            denominators,
            labels.industry_group_of,
        ),
        labels,
        paragraphs,
    )


def _figure(metric: Metric) -> Figure:
    """A figure as the bulletin words it: a count as a whole number, an amount or a rate with its own digits."""

    def shown(value):
        return value if value is None or isinstance(value, Decimal) else int(value)

    return Figure(shown(metric.value), shown(metric.previous), metric.change_pct)


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


class _Pair:
    """Sums keyed by code for the current span and the same period last year, compared to `decimals`."""

    def __init__(self, current: dict[str, dict[str, object]], previous: dict[str, dict[str, object]], decimals: int):
        self.current, self.previous, self.decimals = current, previous, decimals

    def __contains__(self, code: str) -> bool:
        return code in self.current or code in self.previous

    def total(self, side: str, metric: str):
        sums = self.current if side == "current" else self.previous
        return sum((v[metric] for v in sums.values()), Decimal(0) if metric.endswith("_yuan") else 0)

    def counts(self, code: str, metrics: tuple[str, ...]) -> dict[str, Metric]:
        now, then = self.current.get(code, {}), self.previous.get(code, {})
        return {m: Metric.of_counts(int(now.get(m, 0)), int(then.get(m, 0)), self.decimals) for m in metrics}

    def money_and_counts(self, code: str, money: str, counts: tuple[str, ...]) -> dict[str, Metric]:
        now, then = self.current.get(code, {}), self.previous.get(code, {})
        shown = {
            f"{money.removesuffix('_yuan')}_10k_yuan": Metric.of_money(
                now.get(money, 0), then.get(money, 0), self.decimals
            )
        }
        return shown | self.counts(code, counts)


def _by_group(sums: dict[str, dict[str, object]], group_of: dict[str, str]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for code, figures in sums.items():
        group = out.setdefault(group_of[code], dict.fromkeys(INDUSTRY_METRICS, 0))
        for m in INDUSTRY_METRICS:
            group[m] += figures[m]
    return out


def _subregions(con, current: Span, previous: Span, decimals: int) -> dict[str, tuple[str, dict[str, Metric]]]:
    names = dict(
        con.execute(
            f"select region_code, region_name from {current.boundaries.tree()} "
            "where parent_code = ? order by region_code",
            [current.region],
        ).fetchall()
    )
    now, then = spans.accidents_by_subregion(con, current), spans.accidents_by_subregion(con, previous)
    pair = _Pair(now, then, decimals)
    return {code: (name, pair.counts(code, INDUSTRY_METRICS)) for code, name in names.items()}


def _enforcement(now: dict[str, object], then: dict[str, object], decimals: int) -> dict[str, Metric]:
    def counts(m: str) -> Metric:
        return Metric.of_counts(now[m], then[m], decimals)

    out = {m: counts(m) for m in ENFORCEMENT_COUNTS}
    # 整改率: undefined when nothing was found
    out["rectification_rate_pct"] = Metric.of_ratio(
        *(pct_of(f["hazards_rectified"], f["hazards_found"], decimals) for f in (now, then))
    )
    for m in ("overdue_hazards", "cases_filed", "penalty_decisions"):
        out[m] = counts(m)
    out["fines_10k_yuan"] = Metric.of_money(now["fines_yuan"], then["fines_yuan"], decimals)
    for m in ("double_penalty_cases", "inspections_without_penalty"):
        out[m] = counts(m)
    return out


def _relief(con, current: Span, previous: Span, labels: Labels, decimals: int):
    def side(span: Span, column: str) -> dict[str, dict[str, object]]:
        return spans.relief_by(con, span, column)

    programs = _Pair(side(current, "program_code"), side(previous, "program_code"), decimals)
    sources = _Pair(side(current, "fund_source_code"), side(previous, "fund_source_code"), decimals)
    everything = _Pair({"all": _summed(programs.current)}, {"all": _summed(programs.previous)}, decimals)
    totals = everything.money_and_counts("all", "amount_yuan", RELIEF_COUNTS)
    totals["amount_per_person_yuan"] = Metric.of_ratio(
        *(_per_person(s.get("all")) for s in (everything.current, everything.previous))
    )
    days = (spans.days_to_first_disbursement(con, current), spans.days_to_first_disbursement(con, previous))
    totals["days_to_first_disbursement"] = Metric.of_ratio(*(None if d is None else half_up(d, TENTH) for d in days))
    return (
        totals,
        {
            code: programs.money_and_counts(code, "amount_yuan", RELIEF_COUNTS)
            for code in labels.programs
            if code in programs
        },
        {
            code: sources.money_and_counts(code, "amount_yuan", RELIEF_COUNTS)
            for code in labels.fund_sources
            if code in sources
        },
    )


def _summed(by_code: dict[str, dict[str, object]]) -> dict[str, object]:
    return {m: sum((figures[m] for figures in by_code.values()), 0) for m in spans.RELIEF_SUMS}


def _per_person(figures: dict[str, object] | None) -> Decimal | None:
    if not figures or not figures["persons"]:
        return None
    return half_up(Decimal(figures["amount_yuan"]) / figures["persons"])


def _disasters(totals: tuple[dict, dict], by_hazard: tuple[dict, dict], labels: Labels, decimals: int):
    now, then = totals
    out = {m: Metric.of_counts(now[m], then[m], decimals) for m in DISASTER_COUNTS}
    for m in ("crop_affected_ha", "crop_failed_ha", "crop_lost_ha"):
        out[m] = Metric.of_area(now[m], then[m], decimals)
    out["direct_loss_10k_yuan"] = Metric.of_money(now["direct_loss_yuan"], then["direct_loss_yuan"], decimals)
    hazards = _Pair(*by_hazard, decimals)
    return out, {
        code: hazards.counts(code, HAZARD_COUNTS)
        | {
            "direct_loss_10k_yuan": Metric.of_money(
                hazards.current.get(code, {}).get("direct_loss_yuan", 0),
                hazards.previous.get(code, {}).get("direct_loss_yuan", 0),
                decimals,
            )
        }
        for code in labels.hazards
        if code in hazards
    }


def _rates(
    accidents: tuple[dict, dict],
    disaster_totals: tuple[dict, dict],
    by_hazard: tuple[dict, dict],
    denominators: tuple[dict, dict],
    group_of: dict[str, str],
) -> dict[str, Metric]:
    def deaths(sums: dict[str, dict[str, object]], keep) -> int:
        return sum(figures["deaths"] for code, figures in sums.items() if keep(code))

    def of(i: int) -> dict[str, Decimal | None]:
        sums, disasters, d = accidents[i], disaster_totals[i], denominators[i]
        gdp = d["gdp_100m_yuan"]
        burned = by_hazard[i].get("forest_fire", {}).get("forest_burned_ha", 0)
        return {
            "deaths_per_100m_gdp": significant(deaths(sums, lambda _: True), gdp),
            "industrial_deaths_per_100k_workers": significant(
                deaths(sums, lambda c: group_of[c] == "industrial") * 100_000, d["industrial_workers"]
            ),
            "road_deaths_per_10k_vehicles": significant(
                deaths(sums, lambda c: c == "road_traffic") * 10_000, d["motor_vehicles"]
            ),
            "coal_deaths_per_mt": significant(deaths(sums, lambda c: c == "coal_mining"), d["coal_output_mt"]),
            "disaster_deaths_per_million": significant(
                (disasters["deaths"] + disasters["missing"]) * 1_000_000, d["population"]
            ),
            "disaster_loss_pct_of_gdp": significant(
                Decimal(disasters["direct_loss_yuan"]) * 100, None if gdp is None else gdp * 100_000_000
            ),
            "forest_fire_damage_permille": significant(Decimal(burned) * 1_000, d["forest_area_ha"]),
        }

    now, then = of(0), of(1)
    return {name: Metric.of_ratio(now[name], then[name]) for name in now}
