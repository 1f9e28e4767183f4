"""One appraisal: the scores the build made (the dbt appraisal models, from the shipped scheme), read from the
published warehouse; or a what-if, which runs the same models with another rules file on a scratch copy of the
published warehouse and throws the copy away. Python only reads and lays out what SQL scored."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import duckdb

from appraisal.rule_rows import scheme_key, write_rule_tables
from appraisal.rules import RulesError, Scheme, load_scheme, scheme_for_year
from core.catalog import table_exists
from core.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR

SCORES = "appraisal.fct_appraisal_scores"


class AppraisalError(Exception):
    """An appraisal that cannot be run, said in one line."""


def appraise_published(
    published: Path, year: int, rules: Path | None = None, parent: str | None = None
) -> tuple[dict[str, object], Scheme]:
    """Read from the published copy, read-only: a what-if with an edited rules file changes nothing there."""
    try:
        scheme = load_scheme(rules) if rules is not None else scheme_for_year(year)
    except (RulesError, LookupError) as exc:
        raise AppraisalError(str(exc)) from None
    if year not in scheme.years:
        raise AppraisalError(f"{scheme.source} is a scheme for {', '.join(map(str, scheme.years))}, not for {year}")
    if not published.exists():
        raise AppraisalError(f"nothing is published yet under {published.parent.parent}: run `emstat build` first")
    with duckdb.connect(str(published), read_only=True) as con:
        if (
            parent is not None
            and not con.execute("select 1 from marts.dim_region where region_code = ?", [parent]).fetchone()
        ):
            raise AppraisalError(f"region {parent} is not in the region reference")
        if rules is None:
            if not table_exists(con, SCORES):
                raise AppraisalError("the published warehouse holds no appraisal yet: run `emstat build`")
            document = scores_document(con, scheme, year, parent)
    if rules is not None:
        with _scored_with(published, scheme, year) as con:
            document = scores_document(con, scheme, year, parent)
    if not document["regions"]:
        raise AppraisalError(
            f"region {parent} has no regions below it to appraise"
            if parent
            else "the region reference has no townships to appraise"
        )
    return document, scheme


@contextmanager
def _scored_with(published: Path, scheme: Scheme, year: int) -> Iterator[duckdb.DuckDBPyConnection]:
    """The appraisal models run with `scheme` for `year` on a scratch copy of the published warehouse."""
    scratch = Path(tempfile.mkdtemp(prefix="emstat-appraise-"))
    try:
        warehouse = scratch / "warehouse.duckdb"
        shutil.copyfile(published, warehouse)
        with duckdb.connect(str(warehouse)) as con:
            write_rule_tables(con, [(scheme, (year,))])
        done = subprocess.run(
            [
                DBT_EXECUTABLE,
                "run",
                "--quiet",
                "--select",
                "source:appraisal_rules+",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(scratch / "target"),
                "--log-path",
                str(scratch / "logs"),
            ],
            env={**os.environ, "EMSTAT_HOME": str(scratch)},
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            said = (done.stdout + done.stderr).strip().splitlines()
            raise AppraisalError(f"scoring with {scheme.source} failed: {said[-1] if said else 'dbt failed'}")
        with duckdb.connect(str(warehouse), read_only=True) as con:
            yield con
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def scores_document(con: duckdb.DuckDBPyConnection, scheme: Scheme, year: int, parent: str | None) -> dict[str, object]:
    """The `--format json` document: the regions below `parent` (every township when None) in rank order, each
    with its section subtotals and every line with its evidence."""
    key = scheme_key(scheme)
    rank, among = (
        ("rank_among_siblings", "parent_code = $parent")
        if parent
        else ("rank_among_townships", "level_code = 'township'")
    )
    params = {"scheme": key, "year": year} | ({"parent": parent} if parent else {})
    scores = con.execute(
        f"select region_code, region_name, total, grade, {rank}, vetoes from {SCORES} "
        f"where scheme = $scheme and year = $year and {among} order by is_vetoed, total desc, region_code",
        params,
    ).fetchall()
    codes = [row[0] for row in scores]
    sections: dict[str, dict[str, Decimal]] = {code: {} for code in codes}
    for code, section, points in con.execute(
        "select scores.region_code, sections.section_key, coalesce(sum(lines.points), 0) "
        "from (select unnest($codes) as region_code) as scores "
        "cross join appraisal_rules.sections as sections "
        "left join appraisal.fct_appraisal_lines as lines on lines.scheme = sections.scheme "
        "    and lines.year = $year and lines.region_code = scores.region_code "
        "    and lines.section_key = sections.section_key "
        "where sections.scheme = $scheme group by all order by scores.region_code, any_value(sections.ordinal)",
        {"codes": codes, "year": year, "scheme": key},
    ).fetchall():
        sections[code][section] = points
    evidence: dict[tuple[str, str], list[str]] = {}
    for code, rule, record in con.execute(
        "select region_code, rule_key, record_id from appraisal.fct_appraisal_evidence "
        "where scheme = $scheme and year = $year and cited_for = 'line' and list_contains($codes, region_code) "
        "order by region_code, rule_key, evidence_order",
        {"codes": codes, "year": year, "scheme": key},
    ).fetchall():
        evidence.setdefault((code, rule), []).append(record)
    lines: dict[str, list[dict[str, object]]] = {code: [] for code in codes}
    for code, rule, section, points, explanation in con.execute(
        "select region_code, rule, section_key, points, explanation_zh from appraisal.fct_appraisal_lines "
        "where scheme = $scheme and year = $year and list_contains($codes, region_code) "
        "order by region_code, line_number",
        {"codes": codes, "year": year, "scheme": key},
    ).fetchall():
        lines[code].append(
            {
                "rule": rule,
                "section": section,
                "points": _number(points),
                "evidence": evidence.get((code, rule), []),
                "explanation": explanation,
            }
        )
    return {
        "year": year,
        "rules": scheme.source,
        "regions": [
            {
                "code": code,
                "name": name,
                "total": _number(total),
                "grade": grade,
                "rank": ranked,
                "vetoes": list(vetoes),
                "sections": {key: _number(points) for key, points in sections[code].items()},
                "lines": lines[code],
            }
            for code, name, total, grade, ranked, vetoes in scores
        ],
    }
