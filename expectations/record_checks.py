"""Checks no single row can fail: missing months, silent townships, shifts against history, grades that
disagree with casualties, relief beyond what was approved, stale sources. Each is SQL run inside DuckDB on
the marts, whose rows are every record's current revision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import great_expectations.expectations as gxe

from expectations.build import Suite, sql_expectation
from expectations.policy import Policy, PolicyError


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
    "freshness": "该类数据已很久没有收到新文件:请催报 / no file of this source has arrived for too long: ask for it",
}


def mart_suites(policy: Policy, today: date) -> list[Suite]:
    by_model: dict[str, list[gxe.Expectation]] = {mart.model: [] for mart in RECORD_MARTS.values()}
    by_model["dim_region"] = []

    def add(model: str, check: str, name: str, query: str) -> None:
        by_model[model].append(sql_expectation(policy, check, name, HINTS[check], query))

    for source in policy.setting("month_without_records", "sources"):
        mart = _record_mart(source, "month_without_records")
        add(
            mart.model,
            "month_without_records",
            f"month_without_records({source})",
            month_without_records(mart.date_column),
        )
    for source in policy.setting("volume_shift", "sources"):
        mart = _record_mart(source, "volume_shift")
        add(mart.model, "volume_shift", f"volume_shift({source})", volume_shift(mart.date_column, policy, today))
    for source, column in policy.setting("value_shift", "columns").items():
        mart = _record_mart(source, "value_shift")
        add(mart.model, "value_shift", f"value_shift({source}.{column})", value_shift(column, policy))
    add(
        "fct_accidents",
        "grade_mismatch",
        "grade_mismatch(accidents)",
        "select accident_id as failing_id from {batch} where has_grade_mismatch",
    )
    add("fct_relief_disbursements", "relief_over_approved", "relief_over_approved(relief)", RELIEF_OVER_APPROVED)
    silent_sources = [_record_mart(s, "silent_township") for s in policy.setting("silent_township", "sources")]
    if silent_sources:
        add("dim_region", "silent_township", "silent_township", silent_township(silent_sources, today))
    # Every mart keeps its suite, empty or not, so the checks Dagster knows do not depend on the policy.
    suites = [Suite(model, model, f"marts.{model}", None, tuple(found)) for model, found in by_model.items()]
    received = [
        sql_expectation(policy, "freshness", f"freshness({source})", HINTS["freshness"], freshness(source, days, today))
        for source, days in policy.setting("freshness", "max_age_days").items()
    ]
    # Freshness is of the files received, judged as soon as they are loaded.
    return [Suite("files", "raw/files", "raw.files", None, tuple(received)), *suites]


def _record_mart(source: str, check: str) -> RecordMart:
    if source not in RECORD_MARTS:
        raise PolicyError(f"policy check '{check}': '{source}' is not a record source ({', '.join(RECORD_MARTS)})")
    return RECORD_MARTS[source]


def _calendar(months: str) -> str:
    """Every month from the first to the last of `months` (a relation with a `month` column)."""
    return (
        f"select cast(range as date) as month from range("
        f"(select cast(min(month) as timestamp) from {months}), "
        f"(select cast(max(month) as timestamp) from {months}) + interval 1 month, interval 1 month)"
    )


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
    return (
        f"with compared as ({files_against_history(column)}) "
        f"select file_name as failing_id from compared "
        f"where row_count >= {min_rows} and rows_before >= {min_rows} and typical > 0 and typical_before > 0 "
        f"and (typical >= {factor} * typical_before or typical_before >= {factor} * typical)"
    )


def files_against_history(column: str) -> str:
    """Each file of `{batch}` with the median and count of its `column`, and the median and count of the
    `column` over every row loaded before it: the first file loaded sets the history.

    A median per file over all earlier rows, asked directly, sorts the history once per file: at ten million
    accidents that was 47 s and 7 GB. Here the rows are tallied once per value and load, the distinct values
    cut into about sqrt(n) blocks of neighbouring values, and the counts per block before each load tell which
    block holds each of the two middle ranks; only that block's values are then ranked. The middle value, or
    the median of the two middle values, is DuckDB's own median of the whole history, to the last digit."""
    return (
        f"with valued as (select file_name, loaded_at, {column} as value from {{batch}} "
        f"where {column} is not null), "
        f"files as (select file_name, loaded_at, median(value) as typical, count(*) as row_count from valued "
        f"group by 1, 2), "
        f"tallied as (select loaded_at, value, count(*) as n from valued group by 1, 2), "
        f"ranked as (select value, row_number() over (order by value) - 1 as value_rank "
        f"from (select distinct value from tallied)), "
        f"blocked as (select value, value_rank // greatest(1, ceil(sqrt(count(*) over ()))::bigint) as block "
        f"from ranked), "
        f"loads as (select loaded_at, coalesce(sum(sum(n)) over (order by loaded_at rows between "
        f"unbounded preceding and 1 preceding), 0)::bigint as rows_before from tallied group by 1), "
        f"cells as (select tallied.loaded_at, blocked.block, sum(tallied.n) as n from tallied "
        f"inner join blocked using (value) group by 1, 2), "
        f"grid as (select loads.loaded_at, blocks.block, "
        f"coalesce(sum(cells.n) over (partition by blocks.block order by loads.loaded_at rows between "
        f"unbounded preceding and 1 preceding), 0) as n_before "
        f"from loads cross join (select distinct block from blocked) as blocks "
        f"left join cells on cells.loaded_at = loads.loaded_at and cells.block = blocks.block), "
        f"spans as (select loaded_at, block, n_before, "
        f"sum(n_before) over (partition by loaded_at order by block) as rank_end from grid), "
        # One middle rank when the history is odd, two when it is even.
        f"middle as (select distinct loaded_at, unnest([(rows_before - 1) // 2, rows_before // 2]) as middle_rank "
        f"from loads where rows_before > 0), "
        f"located as (select middle.loaded_at, middle.middle_rank, spans.block, "
        f"middle.middle_rank - (spans.rank_end - spans.n_before) as rank_in_block from middle "
        f"inner join spans on spans.loaded_at = middle.loaded_at "
        f"and middle.middle_rank >= spans.rank_end - spans.n_before and middle.middle_rank < spans.rank_end), "
        f"block_values as (select located.loaded_at, located.middle_rank, located.rank_in_block, tallied.value, "
        f"sum(tallied.n) as n from located inner join blocked on blocked.block = located.block "
        f"inner join tallied on tallied.value = blocked.value and tallied.loaded_at < located.loaded_at "
        f"group by 1, 2, 3, 4), "
        f"middle_values as (select loaded_at, value from (select *, sum(n) over (partition by loaded_at, "
        f"middle_rank order by value) as rank_end from block_values) "
        f"where rank_in_block >= rank_end - n and rank_in_block < rank_end), "
        f"history as (select loads.loaded_at, loads.rows_before, median(middle_values.value) as typical_before "
        f"from loads left join middle_values using (loaded_at) group by 1, 2) "
        f"select files.file_name, files.typical, files.row_count, history.typical_before, history.rows_before "
        f"from files inner join history using (loaded_at)"
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
    # The months each region filed in, made distinct first: matched against a decade's records one by one,
    # the check held every record in memory (2.4 s at 10M under the validations' memory cap, 0.7 s so).
    return (
        f"with records as (select distinct region_code, month from ({records}) as filed), "
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
