"""What the appraisal is handed for one region and year, and the quantities a rules file may count from it.

The warehouse side builds these records (written-off accidents already left out). A rules file names a
metric and filters by the names defined here, so the loader can reject a misspelt name and the scorer can
count it: adding a countable quantity is one entry in METRICS or in a filter table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from ingest.codes import ACCIDENT_GRADES, INDUSTRIES, INDUSTRY_GROUPS


@dataclass(frozen=True, slots=True)
class AccidentRecord:
    accident_id: str
    occurred_at: datetime
    reported_at: datetime | None
    industry_code: str
    deaths: int
    missing: int
    direct_loss_yuan: Decimal
    grade_code: str
    is_concealed: bool = False

    @property
    def deaths_and_missing(self) -> int:
        """The figure grades and death targets use: the missing count as dead."""
        return self.deaths + self.missing


@dataclass(frozen=True, slots=True)
class InspectionRecord:
    inspection_id: str
    hazards_found: int
    major_hazards_found: int
    hazards_rectified: int
    rectified_on: date | None = None
    rectification_due_on: date | None = None
    has_case_or_fine: bool = False


@dataclass(frozen=True)
class Target:
    """The region's yearly targets (控制指标); None is "no target given", which rules score differently from 0."""

    max_deaths: int | None = None
    max_accidents: int | None = None
    min_inspections: int | None = None


@dataclass(frozen=True)
class ManualScore:
    """One item of the appraisal_manual file, scored by the team."""

    item: str
    score: Decimal
    note: str | None = None


@dataclass(frozen=True)
class RegionYear:
    """Everything one region is scored on for one year."""

    code: str
    name: str
    year: int
    accidents: tuple[AccidentRecord, ...] = ()
    inspections: tuple[InspectionRecord, ...] = ()
    target: Target = Target()
    manual_scores: tuple[ManualScore, ...] = ()

    # A province's year holds about a million accidents and every rule reads them: sorted once, not per rule.
    @cached_property
    def accidents_in_order(self) -> tuple[AccidentRecord, ...]:
        return tuple(sorted(self.accidents, key=lambda a: (a.occurred_at, a.accident_id)))

    @cached_property
    def inspections_in_order(self) -> tuple[InspectionRecord, ...]:
        return tuple(sorted(self.inspections, key=lambda i: i.inspection_id))


# --------------------------------------------------------------------------------------------------------------
# What a rule may count
# --------------------------------------------------------------------------------------------------------------

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
    test: Callable[[Any, Any], bool]
    codes: tuple[str, ...] = ()  # the codes a CODES filter accepts


@dataclass(frozen=True)
class Metric:
    record_kind: str
    label_zh: str
    unit_zh: str
    amount: Callable[[Any], int]


def _reported_after(accident: AccidentRecord, hours: Decimal) -> bool:
    """Reported more than `hours` after it occurred; an accident without a report time is not counted late,
    since nothing shows it was."""
    if accident.reported_at is None:
        return False
    delay = accident.reported_at - accident.occurred_at
    return delay // timedelta(microseconds=1) > hours * 3_600_000_000


_INDUSTRY_GROUP = {c.code: c.group for c in INDUSTRIES.codes}

ACCIDENT_FILTERS: dict[str, FilterField] = {
    "grade": FilterField(CODES, lambda a, codes: a.grade_code in codes, ACCIDENT_GRADES.code_set),
    "industry": FilterField(CODES, lambda a, codes: a.industry_code in codes, INDUSTRIES.code_set),
    "exclude_industry": FilterField(CODES, lambda a, codes: a.industry_code not in codes, INDUSTRIES.code_set),
    "industry_group": FilterField(
        CODES, lambda a, codes: _INDUSTRY_GROUP.get(a.industry_code) in codes, INDUSTRY_GROUPS.code_set
    ),
    "min_deaths": FilterField(COUNT, lambda a, n: a.deaths_and_missing >= n),
    "concealed": FilterField(FLAG, lambda a, flag: a.is_concealed == flag),
    "reported_after_hours": FilterField(HOURS, _reported_after),
}

INSPECTION_FILTERS: dict[str, FilterField] = {
    "with_hazards": FilterField(FLAG, lambda i, flag: (i.hazards_found > 0) == flag),
    "with_major_hazards": FilterField(FLAG, lambda i, flag: (i.major_hazards_found > 0) == flag),
    "has_case_or_fine": FilterField(FLAG, lambda i, flag: i.has_case_or_fine == flag),
}

FILTERS = {ACCIDENT: ACCIDENT_FILTERS, INSPECTION: INSPECTION_FILTERS}

METRICS: dict[str, Metric] = {
    "accidents": Metric(ACCIDENT, "事故", "起", lambda a: 1),
    "deaths": Metric(ACCIDENT, "死亡(含失踪)", "人", lambda a: a.deaths_and_missing),
    "inspections": Metric(INSPECTION, "检查", "次", lambda i: 1),
    "hazards_found": Metric(INSPECTION, "发现隐患", "项", lambda i: i.hazards_found),
    "major_hazards_found": Metric(INSPECTION, "重大事故隐患", "项", lambda i: i.major_hazards_found),
    "hazards_rectified": Metric(INSPECTION, "已整改隐患", "项", lambda i: i.hazards_rectified),
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


@dataclass(frozen=True)
class Measure:
    total: int
    evidence: tuple[str, ...]  # ids of the records that add to the total


def records_of(region: RegionYear, record_kind: str) -> tuple[Any, ...]:
    """A region's records of one kind in a fixed order, so lines and their evidence read the same every run."""
    return region.accidents_in_order if record_kind == ACCIDENT else region.inspections_in_order


def select(region: RegionYear, record_kind: str, where: Where) -> tuple[Any, ...]:
    records = records_of(region, record_kind)
    for condition in where:
        test, value = FILTERS[record_kind][condition.field].test, condition.value
        records = tuple(r for r in records if test(r, value))
    return records


_ID_OF: dict[str, Callable[[Any], str]] = {ACCIDENT: lambda a: a.accident_id, INSPECTION: lambda i: i.inspection_id}


def measure_records(records: tuple[Any, ...], metric_name: str) -> Measure:
    metric = METRICS[metric_name]
    amounts = [metric.amount(r) for r in records]
    id_of = _ID_OF[metric.record_kind]
    return Measure(sum(amounts), tuple(id_of(r) for r, n in zip(records, amounts) if n > 0))


def measure(region: RegionYear, metric_name: str, where: Where = ()) -> Measure:
    return measure_records(select(region, METRICS[metric_name].record_kind, where), metric_name)
