"""One appraisal run: the published warehouse's records, a rules file, the scored document."""

from __future__ import annotations

from pathlib import Path

import duckdb

from appraisal.inputs import read_region_years
from appraisal.rules import RulesError, Scheme, load_scheme, scheme_for_year
from appraisal.scoring import score_regions, scores_as_json


class AppraisalError(Exception):
    """An appraisal that cannot be run, said in one line."""


def appraise_published(
    published: Path, year: int, rules: Path | None = None, parent: str | None = None
) -> tuple[dict[str, object], Scheme]:
    """Score from the published copy, read-only: a what-if with an edited rules file changes nothing there."""
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
        regions = read_region_years(con, year, parent)
    if not regions:
        raise AppraisalError(
            f"region {parent} has no regions below it to appraise"
            if parent
            else "the region reference has no townships to appraise"
        )
    return scores_as_json(year, scheme, score_regions(regions, scheme)), scheme
