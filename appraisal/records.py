"""The words of a rules file: what a rule may count (metrics) and filter by (filters), as rules.py checks them.

The counting itself is SQL (dbt/macros/appraisal.sql: appraisal_amount, appraisal_filter_met), one case per
name here; the Chinese labels and units are handed to it as rows (rule_rows.py) for the lines' explanations.
Adding a countable quantity is one entry here and one case there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.codes import ACCIDENT_GRADES, INDUSTRIES, INDUSTRY_GROUPS

ACCIDENT = "accident"
INSPECTION = "inspection"

# How a filter's value is written in a rules file.
CODES = "codes"  # a list of codes
COUNT = "count"  # a whole number ≥ 0
FLAG = "flag"  # true or false
HOURS = "hours"  # a number of hours ≥ 0


@dataclass(frozen=True)
class FilterField:
    value_kind: str
    codes: tuple[str, ...] = ()  # the codes a CODES filter accepts


@dataclass(frozen=True)
class Metric:
    record_kind: str
    label_zh: str
    unit_zh: str


ACCIDENT_FILTERS: dict[str, FilterField] = {
    "grade": FilterField(CODES, ACCIDENT_GRADES.code_set),
    "industry": FilterField(CODES, INDUSTRIES.code_set),
    "exclude_industry": FilterField(CODES, INDUSTRIES.code_set),
    "industry_group": FilterField(CODES, INDUSTRY_GROUPS.code_set),
    "min_deaths": FilterField(COUNT),  # deaths and missing
    "concealed": FilterField(FLAG),
    "reported_after_hours": FilterField(HOURS),  # without a report time an accident is not counted late
}

INSPECTION_FILTERS: dict[str, FilterField] = {
    "with_hazards": FilterField(FLAG),
    "with_major_hazards": FilterField(FLAG),
    "has_case_or_fine": FilterField(FLAG),  # 立案 itself, or a decision not revoked names the inspection
}

FILTERS = {ACCIDENT: ACCIDENT_FILTERS, INSPECTION: INSPECTION_FILTERS}

METRICS: dict[str, Metric] = {
    "accidents": Metric(ACCIDENT, "事故", "起"),
    "deaths": Metric(ACCIDENT, "死亡(含失踪)", "人"),
    "inspections": Metric(INSPECTION, "检查", "次"),
    "hazards_found": Metric(INSPECTION, "发现隐患", "项"),
    "major_hazards_found": Metric(INSPECTION, "重大事故隐患", "项"),
    "hazards_rectified": Metric(INSPECTION, "已整改隐患", "项"),
}

TARGET_LABELS_ZH = {
    "max_deaths": "死亡控制指标",
    "max_accidents": "事故起数控制指标",
    "min_inspections": "执法检查目标",
}


@dataclass(frozen=True)
class Condition:
    field: str
    value: Any


Where = tuple[Condition, ...]
