"""The records each region is scored on, read from the warehouse's marts (published or what-if, same SQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import duckdb

from appraisal.records import AccidentRecord, InspectionRecord, ManualScore, RegionYear, Target

# The regions scored: those one level below `parent`, or every township when no parent is named. Each is
# scored on its own records and those of every region below it.
_SCORED = """
    select region_code, region_name from marts.dim_region
    where ($parent is null and level_code = 'township') or parent_code = $parent
    order by region_code
"""

# Only the records of regions below those scored.
_BELOW_SCORED = """
    region_code in (select region_code from marts.dim_region_ancestry where ancestor_code in (select unnest($scored)))
"""
_ACCIDENTS = f"""
    select region_code, accident_id, occurred_at, reported_at, industry_code, deaths, missing, direct_loss_yuan,
           grade_code, is_concealed
    from marts.fct_accidents where not is_written_off and year(occurred_on) = $year and {_BELOW_SCORED}
    order by occurred_at, accident_id
"""
# A case or a fine: the inspection led to 立案 itself, or a decision that was not revoked names it.
_INSPECTIONS = f"""
    select region_code, inspection_id, hazards_found, major_hazards_found, hazards_rectified, rectified_on,
           rectification_due_on,
           is_case_filed or inspection_id in (
               select inspection_id from marts.fct_penalties where not is_revoked and inspection_id is not null)
    from marts.fct_inspections where year(inspected_on) = $year and {_BELOW_SCORED}
    order by inspection_id
"""


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> Iterator[tuple]:
    """The rows in batches: a year of a province's accidents is never held twice, as tuples and as records."""
    result = con.execute(sql, params)
    while batch := result.fetchmany(50_000):
        yield from batch


def read_region_years(con: duckdb.DuckDBPyConnection, year: int, parent: str | None = None) -> list[RegionYear]:
    return read_year(con, year, [parent])[parent]


def read_year(
    con: duckdb.DuckDBPyConnection, year: int, parents: list[str | None]
) -> dict[str | None, list[RegionYear]]:
    """The regions below each of `parents`, for one year. Every record is read and built once, however many
    of the scored regions it belongs to (its township, county, prefecture …)."""
    scored = {parent: con.execute(_SCORED, {"parent": parent}).fetchall() for parent in parents}
    params = {"year": year, "scored": sorted({code for regions in scored.values() for code, _ in regions})}
    accidents: dict[str, list[AccidentRecord]] = defaultdict(list)
    for region, *fields in _rows(con, _ACCIDENTS, params):
        accidents[region].append(AccidentRecord(*fields))
    inspections: dict[str, list[InspectionRecord]] = defaultdict(list)
    for region, *fields in _rows(con, _INSPECTIONS, params):
        inspections[region].append(InspectionRecord(*fields))
    below: dict[str, list[str]] = defaultdict(list)
    for region, ancestor in con.execute(
        "select region_code, ancestor_code from marts.dim_region_ancestry order by region_code"
    ).fetchall():
        below[ancestor].append(region)
    targets = {
        region: Target(*limits)
        for region, *limits in con.execute(
            "select region_code, max_deaths, max_accidents, min_inspections from marts.fct_targets where year = $year",
            {"year": year},
        ).fetchall()
    }
    manual: dict[str, list[ManualScore]] = defaultdict(list)
    for region, *fields in con.execute(
        "select region_code, item, score, note from marts.fct_appraisal_manual where year = $year "
        "order by region_code, item",
        {"year": year},
    ).fetchall():
        manual[region].append(ManualScore(*fields))

    # Each region's records come in the order they are scored in, so a region's and its subtree's records are
    # a few sorted runs that RegionYear merges.
    def region_year(code: str, name: str) -> RegionYear:
        return RegionYear(
            code,
            name,
            year,
            tuple(a for region in below[code] for a in accidents.get(region, ())),
            tuple(i for region in below[code] for i in inspections.get(region, ())),
            targets.get(code, Target()),
            tuple(manual[code]),
        )

    return {parent: [region_year(code, name) for code, name in regions] for parent, regions in scored.items()}
