"""KPI suites: totals that must equal the sum of their parts, and rows that cannot be.

A KPI is summed in three directions, and each must add up: townships (plus records filed at the county
itself) to the county and on up the tree; months to quarters, half-years, years and 1月至N月; industries
(programs, fund sources, hazards) to the whole. Money is left out: it is published rounded to 0.01 万元, and
rounded parts need not add up to the rounded whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations.expectations as gxe

from expectations.build import Suite, meta, sql_expectation
from expectations.policy import Policy

RECORD_ID = "_record_id"
SUMS_HINT = (
    "KPI合计不等于各部分之和,是计算错误而非数据问题:请勿发布,联系维护人员 / a KPI total is not the sum "
    "of its parts, a defect in the computation rather than in the files: report it to the maintainers"
)
PLAUSIBLE_HINT = (
    "KPI表中出现了不可能的数值(重复、负数或降幅超过100%),是计算错误:请联系维护人员 / the KPI table "
    "holds values that cannot be (duplicates, negatives, a fall beyond 100%): report it to the "
    "maintainers"
)


@dataclass(frozen=True)
class KpiModel:
    model: str
    scope: tuple[str, str] | None  # (scope column, key column); the whole is scope 'all'
    metrics: tuple[str, ...]  # counts that add up
    facts: str  # region_code, on_date and the metrics of each record, as the model counts them


KPI_MODELS = (
    KpiModel(
        "kpi_accident_yoy",
        ("industry_scope", "industry_key"),
        ("accidents", "deaths", "injuries"),
        "select region_code, occurred_on as on_date, 1 as accidents, deaths, injuries "
        "from marts.fct_accidents where not is_written_off",
    ),
    KpiModel(
        "kpi_enforcement_yoy",
        None,
        ("inspections", "hazards_found"),
        "select region_code, inspected_on as on_date, 1 as inspections, hazards_found from marts.fct_inspections",
    ),
    KpiModel(
        "kpi_relief_yoy",
        ("relief_scope", "relief_key"),
        ("households", "persons"),
        "select region_code, disbursed_on as on_date, households, persons from marts.fct_relief_disbursements",
    ),
    KpiModel(
        "kpi_disaster_yoy",
        ("hazard_scope", "hazard_key"),
        ("affected_people", "deaths"),
        "select region_code, started_on as on_date, affected_people, deaths from marts.fct_disasters",
    ),
)

# The accident KPI's counts, each checked for sign and for a fall of at most 100%.
ACCIDENT_COUNTS = (
    "accidents",
    "deaths",
    "missing",
    "deaths_and_missing",
    "injuries",
    "serious_injuries",
    "larger_and_above_accidents",
)


def kpi_suites(policy: Policy) -> list[Suite]:
    return [kpi_suite(model, policy) for model in KPI_MODELS]


def kpi_suite(model: KpiModel, policy: Policy) -> Suite:
    keys = ["period_key", "region_code", *(model.scope or ())]
    # 2025-Q1 990121 industry:fire (an industry group and an industry may share a code); a blank key is named.
    parts = [f"coalesce({c}, '(blank)')" for c in keys]
    record_id = " || ' ' || ".join(parts[:2]) + (" || ' ' || " + " || ':' || ".join(parts[2:]) if model.scope else "")
    relation = f"select *, {record_id} as {RECORD_ID} from kpi.{model.model}"
    found: list[gxe.Expectation] = [*plausible(model, keys, policy), *sums(model, policy)]
    return Suite(model.model, model.model, relation, RECORD_ID, tuple(found), is_query=True)


def plausible(model: KpiModel, keys: list[str], policy: Policy) -> list[gxe.Expectation]:
    tag = meta(policy, "kpi_plausible", PLAUSIBLE_HINT)
    found: list[gxe.Expectation] = [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=keys, meta=tag),
        *[gxe.ExpectColumnValuesToNotBeNull(column=k, meta=tag) for k in keys],
    ]
    counts = ACCIDENT_COUNTS if model.model == "kpi_accident_yoy" else model.metrics
    if model.model == "kpi_accident_yoy":
        found += [
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="deaths_and_missing", column_B="deaths", or_equal=True, meta=tag
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="injuries", column_B="serious_injuries", or_equal=True, meta=tag
            ),
        ]
    for metric in counts:
        found += [
            gxe.ExpectColumnValuesToBeBetween(column=metric, min_value=0, meta=tag),
            gxe.ExpectColumnValuesToBeBetween(column=f"{metric}_previous", min_value=0, meta=tag),
            # A count can fall by at most all of it.
            gxe.ExpectColumnValuesToBeBetween(column=f"{metric}_change_pct", min_value=-100, meta=tag),
        ]
    return found


def sums(model: KpiModel, policy: Policy) -> list[gxe.Expectation]:
    def check(name: str, query: str) -> gxe.UnexpectedRowsExpectation:
        return sql_expectation(policy, "kpi_sums", f"{name}({model.model})", SUMS_HINT, query)

    found = [check("region_sums", region_sums(model)), check("period_sums", period_sums(model))]
    if model.scope:
        found.append(check("scope_sums", scope_sums(model)))
    return found


def _differs(left: str, right: str, metrics: tuple[str, ...], right_default: bool = False) -> str:
    def value(m: str) -> str:
        return f"coalesce({right}.{m}, 0)" if right_default else f"{right}.{m}"

    return " or ".join(f"{left}.{m} <> {value(m)}" for m in metrics)


def region_sums(model: KpiModel) -> str:
    """A region's figure is its children's plus what was filed at the region itself."""
    whole = f"where {model.scope[0]} = 'all'" if model.scope else ""
    summed = ", ".join(f"sum({m}) as {m}" for m in model.metrics)
    plus_direct = " or ".join(f"kpi.{m} <> children.{m} + coalesce(direct.{m}, 0)" for m in model.metrics)
    return (
        f"with kpi as (select * from {{batch}} {whole}), "
        f"children as (select kpi.period_key, regions.parent_code as region_code, {summed} from kpi "
        f"inner join marts.dim_region as regions on regions.region_code = kpi.region_code "
        f"where regions.parent_code is not null group by 1, 2), "
        f"direct as (select periods.period_key, facts.region_code, {summed} from ({model.facts}) as facts "
        f"inner join marts.dim_period as periods on facts.on_date between periods.period_start and periods.period_end "
        f"where facts.region_code in (select parent_code from marts.dim_region) group by 1, 2) "
        f"select kpi.{RECORD_ID} as failing_id from kpi inner join children using (period_key, region_code) "
        f"left join direct using (period_key, region_code) where {plus_direct}"
    )


def period_sums(model: KpiModel) -> str:
    """Quarters, half-years, years and 1月至N月 are the sums of their months."""
    series = ["region_code", *(model.scope or ())]
    same_series = " and ".join(f"months.{c} = spans.{c}" for c in series)
    summed = ", ".join(f"sum(months.{m}) as {m}" for m in model.metrics)
    return (
        f"with kpi as (select * from {{batch}}), "
        f"months as (select * from kpi where period_type = 'month'), "
        f"summed as (select spans.{RECORD_ID}, {summed} from kpi as spans "
        f"inner join months on {same_series} "
        f"and months.period_start between spans.period_start and spans.period_end "
        f"where spans.period_type <> 'month' group by 1) "
        f"select kpi.{RECORD_ID} as failing_id from kpi left join summed using ({RECORD_ID}) "
        f"where kpi.period_type <> 'month' and ({_differs('kpi', 'summed', model.metrics, right_default=True)})"
    )


def scope_sums(model: KpiModel) -> str:
    """Each breakdown (industries, industry groups; programs, fund sources; hazards) adds up to the whole."""
    scope = model.scope[0]
    summed = ", ".join(f"sum({m}) as {m}" for m in model.metrics)
    return (
        f"with kpi as (select * from {{batch}}), "
        f"totals as (select * from kpi where {scope} = 'all'), "
        f"scopes as (select distinct {scope} as breakdown from kpi where {scope} <> 'all'), "
        f"parts as (select period_key, region_code, {scope} as breakdown, {summed} from kpi "
        f"where {scope} <> 'all' group by 1, 2, 3) "
        f"select totals.{RECORD_ID} || ' by ' || scopes.breakdown as failing_id from totals cross join scopes "
        f"left join parts on parts.period_key = totals.period_key and parts.region_code = totals.region_code "
        f"and parts.breakdown = scopes.breakdown "
        f"where {_differs('totals', 'parts', model.metrics, right_default=True)}"
    )
