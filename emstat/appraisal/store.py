"""The appraisal kept in the warehouse: every region scored among its siblings (a county's townships, a
prefecture's counties) for every year a shipped scheme covers, so dashboards read scores like any mart."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from emstat.appraisal.inputs import read_region_years
from emstat.appraisal.rules import SCHEMES_DIR, load_scheme
from emstat.appraisal.scoring import score_regions

_DDL = """
create schema if not exists appraisal;
create or replace table appraisal.appraisal_scores (
    year integer not null, parent_code varchar not null, region_code varchar not null, region_name varchar,
    total decimal(9, 2) not null, grade varchar not null, rank integer not null, vetoes varchar, scheme varchar not null,
    primary key (year, region_code)
);
create or replace table appraisal.appraisal_sections (
    year integer not null, region_code varchar not null, section_key varchar not null, section_name_zh varchar,
    points decimal(9, 2) not null, primary key (year, region_code, section_key)
);
create or replace table appraisal.appraisal_lines (
    year integer not null, region_code varchar not null, line_number integer not null, section_key varchar not null,
    rule varchar not null, points decimal(9, 2) not null, evidence varchar not null, explanation varchar,
    primary key (year, region_code, line_number)
);
"""


def write_appraisal(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """Rewrite the appraisal tables; returns the number of regions scored per year."""
    schemes = [load_scheme(path) for path in sorted(SCHEMES_DIR.glob("*.yaml"))]
    years = [row[0] for row in con.execute(
        "select distinct year(occurred_on) from marts.fct_accidents union "
        "select distinct year(inspected_on) from marts.fct_inspections order by 1").fetchall()]
    parents = [row[0] for row in con.execute(
        "select distinct parent_code from marts.dim_region where parent_code is not null order by 1").fetchall()]
    con.execute(_DDL)
    scored: dict[int, int] = {}
    for year in years:
        scheme = next((s for s in schemes if year in s.years), None)
        if scheme is None:
            continue
        for parent in parents:
            scores = score_regions(read_region_years(con, year, parent), scheme)
            _insert(con, year, parent, scheme, scores)
            scored[year] = scored.get(year, 0) + len(scores)
    return scored


def _insert(con, year, parent, scheme, scores) -> None:
    names = {section.key: section.name_zh for section in scheme.sections}
    con.executemany("insert into appraisal.appraisal_scores values (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (year, parent, s.code, s.name, s.total, s.grade, s.rank, "；".join(v.reason_zh for v in s.vetoes) or None,
         Path(scheme.source).name) for s in scores])
    con.executemany("insert into appraisal.appraisal_sections values (?, ?, ?, ?, ?)", [
        (year, s.code, key, names[key], points) for s in scores for key, points in s.sections.items()])
    con.executemany("insert into appraisal.appraisal_lines values (?, ?, ?, ?, ?, ?, ?, ?)", [
        (year, s.code, number, line.section, line.rule, line.points, json.dumps(list(line.evidence)),
         line.explanation_zh)
        for s in scores for number, line in enumerate(s.lines, start=1)])
