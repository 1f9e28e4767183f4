"""Batch suites: the data contract's row rules, generated from ingest.contract, on each raw source.

The loader already quarantines rows that break these rules, so a failure here means a row reached the raw
schema some other way. Only each record's current revision is judged: a corrected file that revises the
record fixes the finding, as it fixes the figures.
"""

from __future__ import annotations

from datetime import date

import great_expectations.expectations as gxe

from expectations.build import Suite, meta, sql_expectation
from expectations.policy import Policy
from ingest.contract import SOURCES, SOURCES_BY_NAME, Kind, NotLess, OnlyFor, Source

RECORD_ID = "_record_id"
HINT = (
    "这行未经导入程序校验就进入了数据库(手工改库或程序错误):请更正原始文件后用 emstat ingest 重新导入 / "
    "this row reached the warehouse without the loader's checks (a manual edit or a bug): correct the file "
    "and load it again with emstat ingest"
)


def batch_suites(policy: Policy, today: date) -> list[Suite]:
    return [batch_suite(source, policy, today) for source in SOURCES]


def batch_suite(source: Source, policy: Policy, today: date) -> Suite:
    return Suite(
        f"batch_{source.name}",
        f"raw/{source.name}",
        current_revisions(source),
        RECORD_ID,
        tuple(contract_expectations(source, policy, today)),
        is_query=True,
    )


def current_revisions(source: Source, loaded_after: int | None = None) -> str:
    """The newest revision of every record, in the order dbt's revision_history macro dates them; with
    `loaded_after`, only those that came with a later load."""
    keys = ", ".join(f"r.{k}" for k in source.key)
    named = " || '/' || ".join(f"coalesce(cast(r.{k} as varchar), '(blank)')" for k in source.key)
    record_id = (
        f"case when r.{source.key[0]} is null then r._file_name || ' row ' || r._row_number "
        f"else {named} end as {RECORD_ID}"
    )

    def matching(alias: str) -> str:
        return " and ".join(f"{alias}.{k} is not distinct from r.{k}" for k in source.key)

    # The records a later load revised, with all their revisions: the window then ranks only those. The keys
    # are gathered first: a correlated EXISTS made DuckDB group every key of the table (5 s of 10 million).
    revised = (
        ""
        if loaded_after is None
        else (
            f"semi join (select distinct {', '.join(source.key)} from {source.table} "
            f"where _load_id > {int(loaded_after)}) as later on {matching('later')} "
        )
    )
    # Most records have one revision, which is current: only the others are ranked, so a decade is grouped by
    # key rather than sorted (25 s of the first check of 10 million accidents, under the checks' memory cap).
    revised_more = f"(select {', '.join(source.key)} from {source.table} group by all having count(*) > 1) as more"
    current = (
        f"select r.*, {record_id} from {source.table} as r {revised}anti join {revised_more} on {matching('more')} "
        "union all "
        f"select * from (select r.*, {record_id} "
        # A row with no file in the ledger (written around the loader) is judged too.
        f"from {source.table} as r left join raw.files as f on f.load_id = r._load_id {revised}"
        f"semi join {revised_more} on {matching('more')} "
        f"qualify row_number() over (partition by {keys} "
        f"order by f.received_on desc nulls last, r._load_id desc, r._row_number desc) = 1)"
    )
    if loaded_after is None:
        return current
    return f"select * from ({current}) as revisions where _load_id > {int(loaded_after)}"


def contract_expectations(source: Source, policy: Policy, today: date) -> list[gxe.Expectation]:
    tag = meta(policy, "contract", HINT)
    found: list[gxe.Expectation] = []

    def rows_where(name: str, condition: str) -> None:
        found.append(
            sql_expectation(
                policy, "contract", name, HINT, f"select {RECORD_ID} as failing_id from {{batch}} where {condition}"
            )
        )

    for field in source.stored_fields:
        column = field.name
        if field.required:
            found.append(gxe.ExpectColumnValuesToNotBeNull(column=column, meta=tag))
        if field.kind in (Kind.COUNT, Kind.MONEY):
            found.append(
                gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, strict_min=field.positive, meta=tag)
            )
        if field.minimum is not None or field.maximum is not None:
            found.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=column, min_value=field.minimum, max_value=field.maximum, meta=tag
                )
            )
        if field.codes is not None:
            found.append(
                gxe.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(field.codes.code_set), meta=tag)
            )
        if field.pattern is not None:
            # Braces are GX's placeholders in a query; a literal one is written twice.
            pattern = field.pattern.replace("{", "{{").replace("}", "}}")
            rows_where(
                f"matches_pattern({column})", f"{column} is not null and not regexp_full_match({column}, '{pattern}')"
            )
        if field.kind is Kind.REGION:
            rows_where(
                f"region_in_reference({column})",
                f"{column} is not null and {column} not in (select region_code from raw.regions "
                f"where region_code is not null)",
            )
        if field.not_future:
            rows_where(f"not_in_future({column})", f"cast({column} as date) > date '{today.isoformat()}'")
    for rule in source.rules:
        if isinstance(rule, NotLess):
            found.append(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=rule.field,
                    column_B=rule.than,
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                    meta=tag,
                )
            )
        elif isinstance(rule, OnlyFor):
            codes = ", ".join(f"'{c}'" for c in rule.codes)
            rows_where(
                f"only_for({rule.field}, {rule.when_field})",
                f"{rule.field} is not null and coalesce({rule.when_field} not in ({codes}), true)",
            )
    for link in source.links:
        target = SOURCES_BY_NAME[link.target]
        # NOT EXISTS, not NOT IN: DuckDB then looks up the batch's few links in the linked table instead of
        # matching every key of it (0.3 to 0.6 s a query against a decade, and GX runs each query twice).
        # GX puts the batch in as an anonymous subquery, so the links are named in one of ours.
        found.append(
            sql_expectation(
                policy,
                "contract",
                f"links_to({link.field}, {link.target})",
                HINT,
                f"select failing_id from (select {RECORD_ID} as failing_id, {link.field} as link from {{batch}} "
                f"where {link.field} is not null) as links where not exists (select 1 from {target.table} as linked "
                f"where linked.{target.key[0]} = links.link)",
            )
        )
    return found
