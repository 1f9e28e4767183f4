"""Checks no single row can fail: missing months, silent townships, shifts against history, grades that
disagree with casualties, relief beyond what was approved, stale sources. Each is SQL run inside DuckDB on
the marts, whose rows are every record's current revision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import great_expectations.expectations as gxe

from expectations.build import sql_expectation
from expectations.policy import Policy, PolicyError
from expectations.suites import Suite


@dataclass(frozen=True)
class RecordMart:
    model: str
    date_column: str  # the day a record counts for


RECORD_MARTS = {
    "accidents": RecordMart("fct_accidents", "occurred_on"),
    "inspections": RecordMart("fct_inspections", "inspected_on"),
    "penalties": RecordMart("fct_penalties", "decided_on"),
    "relief": RecordMart("fct_relief_disbursements", "disbursed_on"),
    "disasters": RecordMart("fct_disasters", "started_on"),
}

HINTS = {
    "month_without_records": "这个月没有任何记录,像是漏报了整月的文件:请补报该月文件;确实为零也请核实 / "
                             "no record at all in this month, as if its file was never loaded: load the month's "
                             "file, or confirm that it really had none",
    "silent_township": "该乡镇(街道)这个月什么都没有报送:请联系该乡镇补报 / "
                       "this township filed nothing this month: ask it for the month's records",
    "volume_shift": "这个月的记录数与前几个月的平均数相差一倍以上:请核对是否漏报或重复导入 / "
                    "this month's record count is far from the average of the months before: check for "
                    "missing or doubled files",
    "value_shift": "这个文件的数值中位数与此前文件相差十倍以上,可能填错了单位(元/万元)或错列:请核对原始文件 / "
                   "this file's typical value is ten times off the earlier files': check the unit (元/万元) "
                   "and the columns",
    "grade_mismatch": "填报的事故等级与伤亡、损失数字推算的等级不一致:请核对等级或伤亡数字 / "
                      "the grade filed disagrees with the grade its casualties and loss imply: check either",
    "relief_over_approved": "该地区本年度救灾资金发放总额超过了下达额:请核对发放金额或控制指标中的下达额 / "
                            "more relief was disbursed in this region and year than was approved: check the "
                            "amounts or the approved figure",
    "freshness": "该类数据已很久没有收到新文件:请催报 / no file of this source has arrived for too long: "
                 "ask for it",
}


def mart_suites(policy: Policy, today: date) -> list[Suite]:
    by_model: dict[str, list[gxe.Expectation]] = {mart.model: [] for mart in RECORD_MARTS.values()}
    by_model["dim_region"] = []

    def add(model: str, check: str, name: str, query: str) -> None:
        by_model[model].append(sql_expectation(policy, check, name, HINTS[check], query))

    for source in policy.setting("month_without_records", "sources"):
        mart = _record_mart(source, "month_without_records")
        add(mart.model, "month_without_records", f"month_without_records({source})",
            month_without_records(mart.date_column))
    for source in policy.setting("volume_shift", "sources"):
        mart = _record_mart(source, "volume_shift")
        add(mart.model, "volume_shift", f"volume_shift({source})", volume_shift(mart.date_column, policy, today))
    for source, column in policy.setting("value_shift", "columns").items():
        mart = _record_mart(source, "value_shift")
        add(mart.model, "value_shift", f"value_shift({source}.{column})", value_shift(column, policy))
    add("fct_accidents", "grade_mismatch", "grade_mismatch(accidents)",
        "select accident_id as failing_id from {batch} where has_grade_mismatch")
    add("fct_relief_disbursements", "relief_over_approved", "relief_over_approved(relief)", RELIEF_OVER_APPROVED)
    silent_sources = [_record_mart(s, "silent_township") for s in policy.setting("silent_township", "sources")]
    if silent_sources:
        add("dim_region", "silent_township", "silent_township", silent_township(silent_sources, today))
    # Every mart keeps its suite, empty or not, so the checks Dagster knows do not depend on the policy.
    suites = [Suite(model, model, f"marts.{model}", None, tuple(found)) for model, found in by_model.items()]
    received = [sql_expectation(policy, "freshness", f"freshness({source})", HINTS["freshness"],
                                freshness(source, days, today))
                for source, days in policy.setting("freshness", "max_age_days").items()]
    # Freshness is of the files received, judged as soon as they are loaded.
    return [Suite("files", "raw/files", "raw.files", None, tuple(received)), *suites]


def _record_mart(source: str, check: str) -> RecordMart:
    if source not in RECORD_MARTS:
        raise PolicyError(f"policy check '{check}': '{source}' is not a record source "
                          f"({', '.join(RECORD_MARTS)})")
    return RECORD_MARTS[source]


def _calendar(months: str) -> str:
    """Every month from the first to the last of `months` (a relation with a `month` column)."""
    return (f"select cast(range as date) as month from range("
            f"(select cast(min(month) as timestamp) from {months}), "
            f"(select cast(max(month) as timestamp) from {months}) + interval 1 month, interval 1 month)")


def _month(column: str) -> str:
    return f"cast(date_trunc('month', {column}) as date)"


def month_without_records(date_column: str) -> str:
    return (
        f"with months as (select distinct {_month(date_column)} as month from {{batch}} "
        f"where {date_column} is not null), "
        f"calendar as ({_calendar('months')}) "
        f"select strftime(month, '%Y-%m') as failing_id from calendar "
        f"where month not in (select month from months)"
    )


def volume_shift(date_column: str, policy: Policy, today: date) -> str:
    setting = policy.checks["volume_shift"]
    this_month = today.replace(day=1).isoformat()
    # The month in progress is never judged: it is not over yet.
    return (
        f"with monthly as (select {_month(date_column)} as month, count(*) as records from {{batch}} "
        f"where {date_column} is not null group by 1), "
        f"calendar as ({_calendar('monthly')}), "
        f"counted as (select calendar.month, coalesce(monthly.records, 0) as records "
        f"from calendar left join monthly using (month)), "
        f"judged as (select month, records, avg(records) over earlier as usual, count(*) over earlier as history "
        f"from counted window earlier as (order by month rows between {int(setting['history_months'])} "
        f"preceding and 1 preceding)) "
        f"select strftime(month, '%Y-%m') as failing_id from judged "
        f"where history >= {int(setting['min_history_months'])} and month < date '{this_month}' "
        f"and (records < {float(setting['low'])} * usual or records > {float(setting['high'])} * usual)"
    )


def value_shift(column: str, policy: Policy) -> str:
    setting = policy.checks["value_shift"]
    factor, min_rows = float(setting["factor"]), int(setting["min_rows"])
    # A file is compared with every file loaded before it: the first one sets the history.
    return (
        f"with valued as (select file_name, loaded_at, {column} as value from {{batch}} where {column} is not null), "
        f"files as (select file_name, loaded_at, median(value) as typical, count(*) as row_count from valued "
        f"group by 1, 2), "
        f"compared as (select files.*, "
        f"(select median(value) from valued where valued.loaded_at < files.loaded_at) as typical_before, "
        f"(select count(*) from valued where valued.loaded_at < files.loaded_at) as rows_before from files) "
        f"select file_name as failing_id from compared "
        f"where row_count >= {min_rows} and rows_before >= {min_rows} and typical > 0 and typical_before > 0 "
        f"and (typical >= {factor} * typical_before or typical_before >= {factor} * typical)"
    )


RELIEF_OVER_APPROVED = (
    "with approved as (select region_code, year, relief_approved_yuan from marts.fct_targets "
    "where relief_approved_yuan is not null), "
    "disbursed as (select ancestry.ancestor_code as region_code, cast(year(relief.disbursed_on) as integer) as year, "
    "sum(relief.amount_yuan) as amount_yuan from {batch} as relief "
    "inner join marts.dim_region_ancestry as ancestry on ancestry.region_code = relief.region_code group by 1, 2) "
    "select approved.region_code || ' ' || approved.year as failing_id from approved "
    "inner join disbursed using (region_code, year) where disbursed.amount_yuan > approved.relief_approved_yuan"
)


def silent_township(marts: list[RecordMart], today: date) -> str:
    records = " union all ".join(
        f"select region_code, {_month(m.date_column)} as month from marts.{m.model}" for m in marts
    )
    this_month = today.replace(day=1).isoformat()
    return (
        f"with records as ({records}), "
        f"calendar as ({_calendar('records')}), "
        f"townships as (select region_code, valid_from, valid_to from {{batch}} where level_code = 'township') "
        f"select townships.region_code || ' ' || strftime(calendar.month, '%Y-%m') as failing_id "
        f"from townships cross join calendar "
        f"where calendar.month < date '{this_month}' "
        f"and (townships.valid_from is null or townships.valid_from <= last_day(calendar.month)) "
        f"and (townships.valid_to is null or townships.valid_to >= calendar.month) "
        f"and not exists (select 1 from records where records.region_code = townships.region_code "
        f"and records.month = calendar.month)"
    )


def freshness(source: str, max_age_days: int, today: date) -> str:
    return (
        f"select '{source}' as failing_id from (select max(received_on) as last_received from {{batch}} "
        f"where source = '{source}' and status = 'loaded') as latest "
        f"where last_received is null or last_received < date '{today.isoformat()}' - {int(max_age_days)}"
    )
