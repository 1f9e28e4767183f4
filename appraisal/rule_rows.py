"""A validated rules file as rows: the tables the dbt appraisal models score from (schema `appraisal_rules`).

The assessment team writes YAML and rules.py checks it, with errors naming file and line. What the models need
is the same scheme as data: one row per section, rule, filter, veto, manual item and grade band, every row
carrying the scheme's file name so several schemes (one per span of years) sit side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from appraisal.records import INSPECTION, METRICS, TARGET_LABELS_ZH, Where
from appraisal.rules import (
    AgainstTarget,
    Doubling,
    Manual,
    OpenAtYearEnd,
    PerUnit,
    Ratio,
    Scheme,
    ShareAbove,
    TargetRatio,
)

SCHEMA = "appraisal_rules"

KINDS = {
    PerUnit: "per_unit",
    AgainstTarget: "against_target",
    Ratio: "ratio",
    TargetRatio: "target_ratio",
    ShareAbove: "share_above",
    Doubling: "doubling",
    OpenAtYearEnd: "open_at_year_end",
    Manual: "manual",
}

DDL = f"""
create schema if not exists {SCHEMA};
create or replace table {SCHEMA}.schemes (
    scheme varchar primary key, name varchar not null, source varchar not null, grade_on_veto varchar
);
create or replace table {SCHEMA}.scheme_years (year integer primary key, scheme varchar not null);
create or replace table {SCHEMA}.sections (
    scheme varchar, ordinal integer, section_key varchar, name_zh varchar, max_points decimal(18, 4),
    start_points decimal(18, 4), floor_points decimal(18, 4), primary key (scheme, section_key)
);
create or replace table {SCHEMA}.rules (
    scheme varchar, ordinal integer, rule_key varchar, name_zh varchar, section_key varchar, kind varchar,
    record_kind varchar, metric varchar, target varchar, numerator varchar, denominator varchar,
    points decimal(18, 4), cap decimal(18, 4), first_points decimal(18, 4), factor decimal(18, 4),
    points_above decimal(18, 4), points_below decimal(18, 4), bonus_cap decimal(18, 4),
    loss_per_death_yuan decimal(18, 2), round_to decimal(18, 4), when_denominator_zero decimal(18, 4),
    without_target_any decimal(18, 4), without_target_none decimal(18, 4), above decimal(18, 6),
    major_only boolean, metric_label_zh varchar, unit_zh varchar, numerator_label_zh varchar,
    numerator_unit_zh varchar, target_label_zh varchar, primary key (scheme, rule_key)
);
create or replace table {SCHEMA}.filters (
    scheme varchar, rule_key varchar, role varchar, record_kind varchar, matches_nothing boolean,
    grade_codes varchar[], industry_codes varchar[], exclude_industry_codes varchar[],
    industry_group_codes varchar[], min_deaths integer, concealed boolean, reported_after_hours decimal(18, 4),
    with_hazards boolean, with_major_hazards boolean, has_case_or_fine boolean,
    primary key (scheme, rule_key, role)
);
create or replace table {SCHEMA}.vetoes (
    scheme varchar, ordinal integer, veto_key varchar, reason_zh varchar, metric varchar, at_least integer,
    primary key (scheme, veto_key)
);
create or replace table {SCHEMA}.manual_items (
    scheme varchar, rule_key varchar, ordinal integer, item varchar, max_points decimal(18, 4),
    primary key (scheme, rule_key, item)
);
create or replace table {SCHEMA}.grades (
    scheme varchar, ordinal integer, name varchar, min_total decimal(18, 4), below_total decimal(18, 4),
    primary key (scheme, ordinal)
);
"""

_CODE_FILTERS = {
    "grade": "grade_codes",
    "industry": "industry_codes",
    "exclude_industry": "exclude_industry_codes",
    "industry_group": "industry_group_codes",
}
_LEAST_FILTERS = {"min_deaths": "min_deaths", "reported_after_hours": "reported_after_hours"}
_FLAG_FILTERS = {
    "concealed": "concealed",
    "with_hazards": "with_hazards",
    "with_major_hazards": "with_major_hazards",
    "has_case_or_fine": "has_case_or_fine",
}
FILTER_COLUMNS = (*_CODE_FILTERS.values(), *_LEAST_FILTERS.values(), *_FLAG_FILTERS.values())


@dataclass
class _Filter:
    """One role's conditions as columns; a field met twice (a share's part within its base) must meet both."""

    matches_nothing: bool = False
    columns: dict[str, object] = field(default_factory=dict)

    def add(self, where: Where) -> _Filter:
        for condition in where:
            name, value = condition.field, condition.value
            if name in _CODE_FILTERS:
                column = _CODE_FILTERS[name]
                held = self.columns.get(column)
                codes = set(value) if held is None else set(held) & set(value)
                self.columns[column] = sorted(codes)
                self.matches_nothing |= not codes
            elif name in _LEAST_FILTERS:
                column = _LEAST_FILTERS[name]
                held = self.columns.get(column)
                self.columns[column] = value if held is None else max(held, value)
            else:
                column = _FLAG_FILTERS[name]
                held = self.columns.get(column)
                self.matches_nothing |= held is not None and held != value
                self.columns[column] = value
        return self


def scheme_key(scheme: Scheme) -> str:
    return Path(scheme.source).name


def _record_kind(rule) -> str:
    if isinstance(rule, Ratio):
        return METRICS[rule.denominator].record_kind
    if isinstance(rule, OpenAtYearEnd):
        return INSPECTION
    if isinstance(rule, Manual):
        return ""
    return METRICS[rule.metric].record_kind


def _rule_row(key: str, ordinal: int, rule) -> dict[str, object]:
    row: dict[str, object] = {
        "scheme": key,
        "ordinal": ordinal,
        "rule_key": rule.key,
        "name_zh": rule.name_zh,
        "section_key": rule.section,
        "kind": KINDS[type(rule)],
        "record_kind": _record_kind(rule) or None,
    }
    for name in (
        "metric",
        "target",
        "numerator",
        "denominator",
        "points",
        "cap",
        "first",
        "factor",
        "points_above",
        "points_below",
        "bonus_cap",
        "loss_per_death_yuan",
        "round_to",
        "when_denominator_zero",
        "without_target_any",
        "without_target_none",
        "above",
    ):
        column = "first_points" if name == "first" else name
        row[column] = getattr(rule, name, None)
    row["major_only"] = rule.hazards == "major" if isinstance(rule, OpenAtYearEnd) else None
    # The words a line's explanation uses: the metric (a ratio's denominator), a ratio's numerator, the target.
    counted = METRICS.get(getattr(rule, "metric", None) or getattr(rule, "denominator", None) or "")
    numerator = METRICS.get(getattr(rule, "numerator", None) or "")
    row["metric_label_zh"], row["unit_zh"] = (counted.label_zh, counted.unit_zh) if counted else (None, None)
    row["numerator_label_zh"], row["numerator_unit_zh"] = (
        (numerator.label_zh, numerator.unit_zh) if numerator else (None, None)
    )
    row["target_label_zh"] = TARGET_LABELS_ZH.get(getattr(rule, "target", None) or "")
    return row


def _filter_rows(key: str, rule_key: str, record_kind: str, roles: dict[str, _Filter]) -> list[dict[str, object]]:
    return [
        {
            "scheme": key,
            "rule_key": rule_key,
            "role": role,
            "record_kind": record_kind,
            "matches_nothing": found.matches_nothing,
        }
        | {c: found.columns.get(c) for c in FILTER_COLUMNS}
        for role, found in roles.items()
    ]


def scheme_rows(scheme: Scheme, years: tuple[int, ...] | None = None) -> dict[str, list[dict[str, object]]]:
    """The scheme as rows per table; `years` the years it scores (the scheme's own by default)."""
    key = scheme_key(scheme)
    tables: dict[str, list[dict[str, object]]] = {
        "schemes": [
            {"scheme": key, "name": scheme.name, "source": scheme.source, "grade_on_veto": scheme.grade_on_veto}
        ],
        "scheme_years": [{"year": year, "scheme": key} for year in (scheme.years if years is None else years)],
        "sections": [
            {
                "scheme": key,
                "ordinal": i,
                "section_key": s.key,
                "name_zh": s.name_zh,
                "max_points": s.max,
                "start_points": s.start,
                "floor_points": s.floor,
            }
            for i, s in enumerate(scheme.sections, start=1)
        ],
        "rules": [_rule_row(key, i, rule) for i, rule in enumerate(scheme.rules, start=1)],
        "filters": [],
        "vetoes": [
            {
                "scheme": key,
                "ordinal": i,
                "veto_key": v.key,
                "reason_zh": v.reason_zh,
                "metric": v.metric,
                "at_least": v.at_least,
            }
            for i, v in enumerate(scheme.vetoes, start=1)
        ],
        "manual_items": [
            {"scheme": key, "rule_key": rule.key, "ordinal": i, "item": item.item, "max_points": item.max}
            for rule in scheme.rules
            if isinstance(rule, Manual)
            for i, item in enumerate(rule.items, start=1)
        ],
        "grades": [
            {"scheme": key, "ordinal": i, "name": band.name, "min_total": band.min, "below_total": band.below}
            for i, band in enumerate(scheme.grades, start=1)
        ],
    }
    for rule in scheme.rules:
        if isinstance(rule, ShareAbove):
            roles = {"base": _Filter().add(rule.base), "part": _Filter().add(rule.base).add(rule.part)}
        elif isinstance(rule, Manual | OpenAtYearEnd):
            roles = {"where": _Filter()} if isinstance(rule, OpenAtYearEnd) else {}
        else:
            roles = {"where": _Filter().add(rule.where)}
        tables["filters"] += _filter_rows(key, rule.key, _record_kind(rule), roles)
    for veto in scheme.vetoes:
        kind = METRICS[veto.metric].record_kind
        tables["filters"] += _filter_rows(key, veto.key, kind, {"veto": _Filter().add(veto.where)})
    return tables


def write_rule_tables(con: duckdb.DuckDBPyConnection, schemes: list[tuple[Scheme, tuple[int, ...] | None]]) -> None:
    """Replace the rules tables with these schemes (each with the years it scores)."""
    con.execute(DDL)
    for scheme, years in schemes:
        for table, rows in scheme_rows(scheme, years).items():
            for row in rows:
                columns = ", ".join(row)
                marks = ", ".join("?" * len(row))
                con.execute(f"insert into {SCHEMA}.{table} ({columns}) values ({marks})", list(row.values()))
