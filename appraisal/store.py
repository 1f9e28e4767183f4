"""The appraisal kept in the warehouse: every region scored among its siblings (a county's townships, a
prefecture's counties) for every year a shipped scheme covers, so dashboards read scores like any mart."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from appraisal.inputs import read_year
from appraisal.rules import SCHEMES_DIR, load_scheme
from appraisal.scoring import score_regions
from core.catalog import insert_rows, table_exists
from ingest import codes

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
create or replace table appraisal.appraisal_inputs (
    year integer primary key, inputs_key varchar not null, code_digest varchar not null
);
"""


_TABLES = ("appraisal_scores", "appraisal_sections", "appraisal_lines", "appraisal_inputs")

# What a year's scores are computed from: exactly the columns read_year reads, so a year whose
# records, targets and manual items are as they were keeps its scores.
_YEAR_INPUTS = """
with fined as (
    select distinct inspection_id from marts.fct_penalties where not is_revoked and inspection_id is not null
), parts as (
    select year(occurred_on) as year, 'accidents' as part, count(*) as n,
           sum(hash(accident_id, occurred_at, reported_at, industry_code, deaths, missing, direct_loss_yuan,
                    grade_code, is_concealed, region_code)) as content
    from marts.fct_accidents where not is_written_off group by all
    union all
    select year(inspected_on), 'inspections', count(*),
           sum(hash(facts.inspection_id, hazards_found, major_hazards_found, hazards_rectified, rectified_on,
                    rectification_due_on, is_case_filed or fined.inspection_id is not null, region_code))
    from marts.fct_inspections as facts left join fined on fined.inspection_id = facts.inspection_id group by all
    union all
    select year, 'targets', count(*), sum(hash(region_code, max_deaths, max_accidents, min_inspections))
    from marts.fct_targets group by all
    union all
    select year, 'manual', count(*), sum(hash(region_code, item, score, note))
    from marts.fct_appraisal_manual group by all
)
select year, string_agg(part || ':' || n || ':' || content, ' ' order by part) from parts group by year
"""
_REGIONS = """
select (select count(*) || ':' || sum(hash(region_code, region_name, level_code, parent_code)) from marts.dim_region)
       || ' ' ||
       (select count(*) || ':' || sum(hash(region_code, ancestor_code)) from marts.dim_region_ancestry)
"""
# The scoring code and its rules files: a change to either scores every year again.
_CODE = (*sorted(Path(__file__).parent.glob("*.py")), *sorted(SCHEMES_DIR.glob("*.yaml")), Path(codes.__file__))


def _code_digest() -> str:
    digest = hashlib.sha256(_DDL.encode())
    for path in _CODE:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def write_appraisal(con: duckdb.DuckDBPyConnection) -> tuple[dict[int, int], list[int]]:
    """Bring the appraisal tables up to date with the marts: a year is scored again only when what it is
    scored from changed. Returns the number of regions scored per year, and the years scored again."""
    schemes = [load_scheme(path) for path in sorted(SCHEMES_DIR.glob("*.yaml"))]
    years = [
        row[0]
        for row in con.execute(
            "select distinct year(occurred_on) from marts.fct_accidents union "
            "select distinct year(inspected_on) from marts.fct_inspections order by 1"
        ).fetchall()
    ]
    parents = [
        row[0]
        for row in con.execute(
            "select distinct parent_code from marts.dim_region where parent_code is not null order by 1"
        ).fetchall()
    ]
    code, regions = _code_digest(), con.execute(_REGIONS).fetchone()[0]
    parts = dict(con.execute(_YEAR_INPUTS).fetchall())
    inputs = {year: hashlib.sha256(f"{regions} {parts.get(year, '')}".encode()).hexdigest() for year in years}
    scored_before = _scored_inputs(con, code)
    if scored_before is None:
        con.execute(_DDL)
        scored_before = {}
    for table in _TABLES:
        con.execute(f"delete from appraisal.{table} where year not in (select unnest(?))", [years])
    scored: dict[int, int] = {}
    rescored: list[int] = []
    for year in years:
        scheme = next((s for s in schemes if year in s.years), None)
        if scheme is None:
            continue
        if scored_before.get(year) == inputs[year]:
            scored[year] = con.execute(
                "select count(*) from appraisal.appraisal_scores where year = ?", [year]
            ).fetchone()[0]
            continue
        for table in _TABLES:
            con.execute(f"delete from appraisal.{table} where year = ?", [year])
        for parent, regions in read_year(con, year, parents).items():
            scores = score_regions(regions, scheme)
            _insert(con, year, parent, scheme, scores)
            scored[year] = scored.get(year, 0) + len(scores)
        con.execute("insert into appraisal.appraisal_inputs values (?, ?, ?)", [year, inputs[year], code])
        rescored.append(year)
    return scored, rescored


def _scored_inputs(con: duckdb.DuckDBPyConnection, code: str) -> dict[int, str] | None:
    """The inputs each year was last scored from, if the tables were written by this very scoring code."""
    if not table_exists(con, "appraisal.appraisal_inputs"):
        return None
    rows = con.execute("select year, inputs_key, code_digest from appraisal.appraisal_inputs").fetchall()
    if any(digest != code for *_, digest in rows):
        return None
    return {year: key for year, key, _ in rows}


def _insert(con, year, parent, scheme, scores) -> None:
    names = {section.key: section.name_zh for section in scheme.sections}
    insert_rows(
        con,
        "appraisal.appraisal_scores",
        [
            (
                year,
                parent,
                s.code,
                s.name,
                s.total,
                s.grade,
                s.rank,
                "；".join(v.reason_zh for v in s.vetoes) or None,
                Path(scheme.source).name,
            )
            for s in scores
        ],
    )
    insert_rows(
        con,
        "appraisal.appraisal_sections",
        [(year, s.code, key, names[key], points) for s in scores for key, points in s.sections.items()],
    )
    insert_rows(
        con,
        "appraisal.appraisal_lines",
        [
            (
                year,
                s.code,
                number,
                line.section,
                line.rule,
                line.points,
                json.dumps(list(line.evidence)),
                line.explanation_zh,
            )
            for s in scores
            for number, line in enumerate(s.lines, start=1)
        ],
    )
