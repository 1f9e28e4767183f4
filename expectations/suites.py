"""Expectation suites as code. Where a suite repeats the contract (required fields, counts, code lists,
row rules) it is generated from ingest.contract, so the two cannot drift apart."""

from __future__ import annotations

import os
from dataclasses import dataclass

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations.expectations as gxe  # noqa: E402

from ingest.contract import ACCIDENTS, Kind, Source  # noqa: E402

ERROR = {"severity": "error"}

KPI_COUNT_METRICS = ("accidents", "deaths", "missing", "deaths_and_missing", "injuries", "serious_injuries",
                     "larger_and_above_accidents")


@dataclass(frozen=True)
class Suite:
    name: str
    schema: str
    table: str
    id_column: str | None
    expectations: tuple[gxe.Expectation, ...]


def contract_expectations(source: Source) -> list[gxe.Expectation]:
    found: list[gxe.Expectation] = [gxe.ExpectTableRowCountToBeBetween(min_value=1, meta=ERROR)]
    for field in source.stored_fields:
        if field.required:
            found.append(gxe.ExpectColumnValuesToNotBeNull(column=field.name, meta=ERROR))
        if field.kind is Kind.COUNT:
            found.append(gxe.ExpectColumnValuesToBeBetween(column=field.name, min_value=0, meta=ERROR))
        if field.kind is Kind.CODE and field.codes is not None:
            found.append(gxe.ExpectColumnValuesToBeInSet(column=field.name, value_set=list(field.codes.code_set),
                                                          meta=ERROR))
    for rule in source.rules:
        found.append(gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=rule.field, column_B=rule.than, or_equal=True, ignore_row_if="either_value_is_missing",
            meta=ERROR,
        ))
    return found


def raw_accidents() -> Suite:
    return Suite("raw_accidents", "raw", "accidents", ACCIDENTS.key[0], tuple(contract_expectations(ACCIDENTS)))


def kpi_accident_yoy() -> Suite:
    keys = ["period_key", "region_code", "industry_scope", "industry_key"]
    found: list[gxe.Expectation] = [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=keys, meta=ERROR),
        *[gxe.ExpectColumnValuesToNotBeNull(column=k, meta=ERROR) for k in keys],
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="deaths_and_missing", column_B="deaths", or_equal=True,
                                                    meta=ERROR),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="injuries", column_B="serious_injuries", or_equal=True,
                                                    meta=ERROR),
    ]
    for metric in KPI_COUNT_METRICS:
        found += [
            gxe.ExpectColumnValuesToBeBetween(column=metric, min_value=0, meta=ERROR),
            gxe.ExpectColumnValuesToBeBetween(column=f"{metric}_previous", min_value=0, meta=ERROR),
            # A count can fall by at most all of it.
            gxe.ExpectColumnValuesToBeBetween(column=f"{metric}_change_pct", min_value=-100, meta=ERROR),
        ]
    return Suite("kpi_accident_yoy", "kpi", "kpi_accident_yoy", None, tuple(found))
