"""The figures of one region over one span of days, from the published marts, as known on a date.

Each query reads a region and every region below it in the span's region tree (Boundaries). With `as_of`, the
revision history replaces the current facts: each record counts with the revision that was current at the end of
that day (kpi-rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb

REVISIONS = {
    "fct_accidents": "fct_accident_revisions",
    "fct_disasters": "fct_disaster_revisions",
    "fct_inspections": "fct_inspection_revisions",
    "fct_penalties": "fct_penalty_revisions",
    "fct_relief_disbursements": "fct_relief_revisions",
    "fct_denominators": "fct_denominator_revisions",
}


def facts(mart: str, as_of: date | None) -> str:
    """The relation to read `mart` from: the current revisions, or those current at the end of `as_of`."""
    if as_of is None:
        return f"marts.{mart}"
    day = f"date '{as_of.isoformat()}'"
    return (
        f"(select * from marts.{REVISIONS[mart]} "
        f"where known_from <= {day} and (known_until is null or known_until > {day}))"
    )


@dataclass(frozen=True)
class Boundaries:
    """The region tree a report reads, one for both sides of its comparison (可比口径): as known on `known_on`
    (None: as known now) and in force on `valid_on` (docs/kpi-rules.md). As known now it is the build's own
    dim_region and dim_region_ancestry (in force on data_through, which is then `valid_on`); on an earlier day the
    table macros made by the same rules."""

    known_on: date | None
    valid_on: date

    def tree(self, on: date | None = None) -> str:
        """The regions, one row per code (in force on `on` instead of valid_on when given)."""
        return self._relation("marts.dim_region", "marts.region_tree", on)

    def ancestry(self, on: date | None = None) -> str:
        return self._relation("marts.dim_region_ancestry", "marts.region_ancestry", on)

    def _relation(self, built: str, macro: str, on: date | None) -> str:
        if self.known_on is None and on is None:
            return built
        return f"{macro}({_day(self.known_on)}, {_day(on or self.valid_on)})"


def _day(day: date | None) -> str:
    return "null" if day is None else f"date '{day.isoformat()}'"


def _subtree(span: Span) -> str:
    """The span's region and every region below it."""
    return f"region_code in (select region_code from {span.boundaries.ancestry()} where ancestor_code = $region)"


@dataclass(frozen=True)
class Span:
    region: str
    start: date
    end: date
    as_of: date | None
    boundaries: Boundaries

    def params(self) -> dict[str, object]:
        return {"region": self.region, "start": self.start, "end": self.end}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, span: Span) -> list[tuple]:
    return con.execute(sql, span.params()).fetchall()


def _one(con: duckdb.DuckDBPyConnection, sql: str, span: Span, names: tuple[str, ...]) -> dict[str, object]:
    row = con.execute(sql, span.params()).fetchone()
    return dict(zip(names, row, strict=True))


ACCIDENT_SUMS = ("accidents", "deaths", "missing", "injuries", "serious_injuries", "direct_loss_yuan")


def accidents_by_industry(con, span: Span) -> dict[str, dict[str, object]]:
    # missing is null where a file had no 失踪人数 column: nobody reported as missing
    rows = _rows(
        con,
        f"""
        select industry_code, count(*), sum(deaths), coalesce(sum(missing), 0), sum(injuries), sum(serious_injuries),
               sum(direct_loss_yuan)
        from {facts("fct_accidents", span.as_of)}
        where {_subtree(span)} and not is_written_off and occurred_on between $start and $end
        group by industry_code
    """,
        span,
    )
    return {code: dict(zip(ACCIDENT_SUMS, sums, strict=True)) for code, *sums in rows}


def accidents_by_grade(con, span: Span) -> dict[str, dict[str, int]]:
    """Accidents and their deaths by legal grade."""
    rows = _rows(
        con,
        f"""
        select grade_code, count(*), sum(deaths)
        from {facts("fct_accidents", span.as_of)}
        where {_subtree(span)} and not is_written_off and occurred_on between $start and $end
        group by grade_code
    """,
        span,
    )
    return {grade: {"accidents": accidents, "deaths": deaths} for grade, accidents, deaths in rows}


def accidents_by_subregion(con, span: Span) -> dict[str, dict[str, int]]:
    """Accidents, deaths, missing, injuries of each region one level below, every one of them even when empty."""
    rows = _rows(
        con,
        f"""
        with children as (
            select region_code from {span.boundaries.tree()} where parent_code = $region
        ),
        accidents as (
            select * from {facts("fct_accidents", span.as_of)}
            where not is_written_off and occurred_on between $start and $end
        )
        select children.region_code, count(accidents.accident_id),
               coalesce(sum(accidents.deaths), 0), coalesce(sum(accidents.missing), 0),
               coalesce(sum(accidents.injuries), 0)
        from children
        inner join {span.boundaries.ancestry()} as ancestry on ancestry.ancestor_code = children.region_code
        left join accidents on accidents.region_code = ancestry.region_code
        group by children.region_code
    """,
        span,
    )
    return {code: {"accidents": a, "deaths": d, "missing": m, "injuries": i} for code, a, d, m, i in rows}


ENFORCEMENT = (
    "inspections",
    "units_inspected",
    "hazards_found",
    "major_hazards_found",
    "hazards_rectified",
    "inspections_without_penalty",
    "overdue_hazards",
    "penalty_decisions",
    "cases_filed",
    "fines_yuan",
    "double_penalty_cases",
)


def enforcement(con, span: Span) -> dict[str, object]:
    inspections = facts("fct_inspections", span.as_of)
    penalties = facts("fct_penalties", span.as_of)
    return _one(
        con,
        f"""
        with inspections as (select * from {inspections} where {_subtree(span)}),
        penalties as (select * from {penalties} where not is_revoked),
        made as (select * from inspections where inspected_on between $start and $end),
        decided as (select * from penalties where {_subtree(span)} and decided_on between $start and $end),
        cases as (
            select case_id
            from decided
            group by case_id
            having count(distinct party_type_code) = 2
        )
        select
            (select count(*) from made),
            (select count(distinct unit_key) from made),
            (select coalesce(sum(hazards_found), 0) from made),
            (select coalesce(sum(major_hazards_found), 0) from made),
            (select coalesce(sum(hazards_rectified), 0) from made),
            (select count(*) from made
             where hazards_found > 0
               and inspection_id not in (select inspection_id from penalties where inspection_id is not null)),
            (select coalesce(sum(case
                        when rectified_on <= $end then 0
                        when rectified_on is not null then hazards_found
                        else hazards_found - hazards_rectified end), 0)
             from inspections where inspected_on <= $end and rectification_due_on < $end),
            (select count(*) from decided),
            (select count(distinct case_id) from decided),
            (select coalesce(sum(fine_amount_yuan), 0) from decided),
            (select count(*) from cases)
    """,
        span,
        ENFORCEMENT,
    )


RELIEF_SUMS = ("amount_yuan", "households", "persons")


def relief_by(con, span: Span, column: str) -> dict[str, dict[str, object]]:
    rows = _rows(
        con,
        f"""
        select {column}, sum(amount_yuan), sum(households), sum(persons)
        from {facts("fct_relief_disbursements", span.as_of)}
        where {_subtree(span)} and disbursed_on between $start and $end
        group by {column}
    """,
        span,
    )
    return {code: dict(zip(RELIEF_SUMS, sums, strict=True)) for code, *sums in rows}


def days_to_first_disbursement(con, span: Span) -> Decimal | None:
    """Average days from each disaster's end to its first disbursement in the region, over the disasters
    whose first disbursement falls in the span; before the end counts as 0."""
    total, disasters = con.execute(
        f"""
        with first_disbursed as (
            select disaster_id, min(disbursed_on) as first_on
            from {facts("fct_relief_disbursements", span.as_of)}
            where {_subtree(span)} and disaster_id is not null
            group by disaster_id
        ),
        ended as (
            select disaster_id, max(coalesce(ended_on, started_on)) as ended_on
            from {facts("fct_disasters", span.as_of)}
            group by disaster_id
        )
        select sum(greatest(date_diff('day', ended.ended_on, first_disbursed.first_on), 0)), count(*)
        from first_disbursed
        inner join ended on ended.disaster_id = first_disbursed.disaster_id
        where first_disbursed.first_on between $start and $end
    """,
        span.params(),
    ).fetchone()
    return None if disasters == 0 else Decimal(total) / disasters


DISASTER_SUMS = (
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
    "forest_burned_ha",
    "direct_loss_yuan",
)


def disasters_by_hazard(con, span: Span) -> tuple[dict[str, object], dict[str, dict[str, object]]]:
    """The totals (an event that struck several townships counted once) and the same per hazard."""
    sums = ", ".join(f"coalesce(sum({name}), 0)" for name in DISASTER_SUMS[1:])
    rows = _rows(
        con,
        f"""
        select grouping(hazard_code) = 1, hazard_code, count(distinct disaster_id), {sums}
        from {facts("fct_disasters", span.as_of)}
        where {_subtree(span)} and started_on between $start and $end
        group by rollup (hazard_code)
    """,
        span,
    )
    totals = {name: 0 for name in DISASTER_SUMS}  # rollup gives no total row when nothing happened
    by_hazard = {}
    for is_total, hazard, *figures in rows:
        if is_total:
            totals = dict(zip(DISASTER_SUMS, figures, strict=True))
        else:
            by_hazard[hazard] = dict(zip(DISASTER_SUMS, figures, strict=True))
    return totals, by_hazard


DENOMINATORS = (
    "gdp_100m_yuan",
    "population",
    "industrial_workers",
    "motor_vehicles",
    "forest_area_ha",
    "coal_output_mt",
)


def denominators(con, span: Span) -> dict[str, object]:
    """The figures filed for the region itself for the span's year (its last day's)."""
    row = con.execute(
        f"select {', '.join(DENOMINATORS)} from {facts('fct_denominators', span.as_of)} "
        "where region_code = $region and year = $year",
        {"region": span.region, "year": span.end.year},
    ).fetchone()
    return dict(zip(DENOMINATORS, row or (None,) * len(DENOMINATORS), strict=True))


def boundary_changes(con, region: str, boundaries: Boundaries, since: date) -> list[dict[str, object]]:
    """Regions that changed parent between `since` and the tree's day and were, before or after, inside
    `region`: the 区划调整 the comparable basis carries back into 去年同期."""
    (dated,) = con.execute(
        "select count(*) from marts.dim_region_versions where valid_from > ? and valid_from <= ? "
        "or valid_to >= ? and valid_to < ?",
        [since, boundaries.valid_on, since, boundaries.valid_on],
    ).fetchone()
    if not dated:  # no version starts or ends in between: no parent can have changed
        return []
    later, earlier = boundaries.tree(), boundaries.tree(on=since)
    rows = con.execute(
        f"""
        with moved as (
            select later.region_code, later.region_name, later.valid_from,
                   earlier.parent_code as from_code, later.parent_code as to_code
            from {later} as later
            inner join {earlier} as earlier on earlier.region_code = later.region_code
            where later.parent_code is distinct from earlier.parent_code
        )
        select moved.region_code, moved.region_name, moved.valid_from, moved.from_code, from_names.region_name,
               moved.to_code, to_names.region_name
        from moved
        left join {earlier} as from_names on from_names.region_code = moved.from_code
        left join {later} as to_names on to_names.region_code = moved.to_code
        where exists (select 1 from {boundaries.ancestry()} as now
                      where now.region_code = moved.region_code and now.ancestor_code = $region and now.depth > 0)
           or exists (select 1 from {boundaries.ancestry(on=since)} as before
                      where before.region_code = moved.region_code and before.ancestor_code = $region
                        and before.depth > 0)
        order by moved.valid_from, moved.region_code
    """,
        {"region": region},
    ).fetchall()
    names = ("region_code", "region_name", "valid_from", "from_code", "from_name", "to_code", "to_name")
    return [dict(zip(names, row, strict=True)) for row in rows]
