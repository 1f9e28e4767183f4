"""The records each region is scored on, read from the warehouse's marts (published or what-if, same SQL)."""

from __future__ import annotations

from collections import defaultdict

import duckdb

from emstat.appraisal.records import AccidentRecord, InspectionRecord, ManualScore, RegionYear, Target

# The regions scored: those one level below `parent`, or every township when no parent is named. Each is
# scored on its own records and those of every region below it.
_SCORED = """
    select region_code, region_name from marts.dim_region
    where ($parent is null and level_code = 'township') or parent_code = $parent
    order by region_code
"""

_SUBTREE = """
    inner join marts.dim_region_ancestry as ancestry on ancestry.region_code = facts.region_code
    where ancestry.ancestor_code in (select region_code from scored)
"""


def read_region_years(con: duckdb.DuckDBPyConnection, year: int, parent: str | None = None) -> list[RegionYear]:
    params = {"parent": parent, "year": year}
    scored = con.execute(_SCORED, {"parent": parent}).fetchall()

    def rows(sql: str) -> list[tuple]:
        return con.execute(f"with scored as ({_SCORED}) {sql}", params).fetchall()

    accidents = defaultdict(list)
    for region, *fields in rows(f"""
        select ancestry.ancestor_code, facts.accident_id, facts.occurred_at, facts.reported_at, facts.industry_code,
               facts.deaths, facts.missing, facts.direct_loss_yuan, facts.grade_code, facts.is_concealed
        from marts.fct_accidents as facts {_SUBTREE}
            and not facts.is_written_off and year(facts.occurred_on) = $year
        order by facts.occurred_at, facts.accident_id
    """):
        accidents[region].append(AccidentRecord(*fields))
    inspections = defaultdict(list)
    # A case or a fine: the inspection led to 立案 itself, or a decision that was not revoked names it.
    for region, *fields in rows(f"""
        select ancestry.ancestor_code, facts.inspection_id, facts.hazards_found, facts.major_hazards_found,
               facts.hazards_rectified, facts.rectified_on, facts.rectification_due_on,
               facts.is_case_filed or facts.inspection_id in (
                   select inspection_id from marts.fct_penalties where not is_revoked and inspection_id is not null)
        from marts.fct_inspections as facts {_SUBTREE}
            and year(facts.inspected_on) = $year
        order by facts.inspected_on, facts.inspection_id
    """):
        inspections[region].append(InspectionRecord(*fields))
    targets = {region: Target(*limits) for region, *limits in rows("""
        select region_code, max_deaths, max_accidents, min_inspections from marts.fct_targets
        where year = $year and region_code in (select region_code from scored)
    """)}
    manual = defaultdict(list)
    for region, *fields in rows("""
        select region_code, item, score, note from marts.fct_appraisal_manual
        where year = $year and region_code in (select region_code from scored) order by item
    """):
        manual[region].append(ManualScore(*fields))
    return [RegionYear(code, name, year, tuple(accidents[code]), tuple(inspections[code]),
                       targets.get(code, Target()), tuple(manual[code]))
            for code, name in scored]
