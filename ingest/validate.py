"""Check every row of a source table against the contract: typed values plus the reasons a row is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from ingest.coerce import field_exprs, rule_error
from ingest.contract import REGION_CODE_PATTERN, SOURCES_BY_NAME, Field, Kind, NotLess, OnlyFor, Source
from ingest.headers import normalise_token
from ingest.reader import BOOKKEEPING, FILE_INDEX, READ_PROBLEM, ROW_NUMBER, SourceTable

REASONS = "_reasons"
WAITING_FOR = "_waiting_for"  # the sources of the linked records a row waits for, when they are all it lacks
_RAW_PREFIX = "__raw__"


def raw_column(header: str) -> str:
    """Where a file's column keeps the text as written, beside the typed column named after its field."""
    return _RAW_PREFIX + header


@dataclass(frozen=True)
class Lookups:
    """What rows are checked against beyond their own file: the region reference and linked records."""

    regions: RegionReference
    # (source name, ids a file refers to) -> those of them its records have, any load. Asked per file for
    # the ids it names, so a check costs what the file holds, not what the warehouse holds.
    known_ids: Callable[[str, pl.Series], frozenset[str]]


@dataclass(frozen=True)
class RegionReference:
    codes: frozenset[str]
    code_by_name: dict[str, str]  # only names that point to exactly one region

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str]]) -> RegionReference:
        by_name: dict[str, set[str]] = {}
        for code, name in rows:
            by_name.setdefault(normalise_token(name), set()).add(code)
        unique = {name: next(iter(codes)) for name, codes in by_name.items() if len(codes) == 1}
        return cls(frozenset(code for code, _ in rows), unique)


def target_label(source_name: str) -> str:
    return SOURCES_BY_NAME[source_name].label


def _region_exprs(table: SourceTable, reference: RegionReference, raw_code: pl.Expr | None) -> list[pl.Expr]:
    """Region code from the code column, else from the name column; it must exist in the reference."""
    source = table.source
    code_field = source.field("region_code")
    present = {c.field.name for c in table.columns}
    code = pl.col("region_code") if raw_code is not None else pl.lit(None, dtype=pl.String)
    name_label = source.field(source.region_name_field).label if source.region_name_field else "名称"
    name_raw = pl.col(source.region_name_field) if source.region_name_field in present else pl.lit(None, pl.String)
    name_token = name_raw.str.normalize("NFKC").str.to_lowercase().str.replace_all(r"\s+", "")
    resolved = pl.coalesce(
        code, name_token.replace_strict(reference.code_by_name, default=None, return_dtype=pl.String)
    )
    shown = pl.coalesce(raw_code if raw_code is not None else pl.lit(None, pl.String), name_raw)
    error = (
        pl.when(resolved.is_null() & name_raw.is_not_null() & code.is_null())
        .then(
            pl.format(
                f"{code_field.label}为空,且{name_label}“{{}}”在区划表中找不到或不唯一 / region name '{{}}' "
                "is not in the region reference or is ambiguous",
                name_raw,
                name_raw,
            )
        )
        .when(resolved.is_null())
        .then(pl.lit(f"{code_field.label}为必填项,不能为空 / {code_field.name} is required"))
        # A code of the wrong form already has its reason; only well-formed codes are looked up.
        .when(resolved.str.contains(REGION_CODE_PATTERN) & ~resolved.is_in(list(reference.codes)))
        .then(
            pl.format(
                f"{code_field.label}“{{}}”不在区划表中 / {code_field.name} '{{}}' is not in the region reference",
                shown,
                shown,
            )
        )
    )
    return [resolved.alias("region_code"), error.alias("_region_error")]


def typed_rows(table: SourceTable, lookups: Lookups, now: datetime) -> pl.DataFrame:
    """The table's rows with typed columns for every stored field and a list of reasons (empty = accepted)."""
    source = table.source
    by_field = {c.field.name: c for c in table.columns}
    first: dict[str, pl.Expr] = {}
    values: list[pl.Expr] = []
    errors: list[pl.Expr] = []
    region_raw: pl.Expr | None = None
    for field in source.fields:
        column = by_field.get(field.name)
        if column is None:
            if field.name != source.region_name_field:
                values.append(pl.lit(None, dtype=None).alias(field.name))
            continue
        raw = pl.col(raw_column(column.header))
        coerced = field_exprs(field, raw, factor=column.factor, now=now)
        first |= coerced.first
        error = coerced.error
        if field.kind is Kind.REGION:
            # A blank code may be stood in for by the region name: _region_exprs decides about blanks.
            region_raw = raw
            error = pl.when(raw.str.strip_chars() != "").then(error)
        values.append(coerced.value.alias(field.name))
        errors.append(error)
    written = table.frame.rename({h: raw_column(h) for h in table.frame.columns if h not in BOOKKEEPING})
    # A row that could not be read as written says so first: its other reasons may only follow from that.
    frame = (
        written.lazy()
        .with_columns(**first)
        .with_columns(
            *values, pl.concat_list([pl.col(READ_PROBLEM), *(e.cast(pl.String) for e in errors)]).alias(REASONS)
        )
        .drop([*first, READ_PROBLEM])
        .collect()
    )
    frame = _cast_missing(frame, table)

    def as_written(field: Field) -> pl.Expr:
        return pl.col(raw_column(by_field[field.name].header)).str.strip_chars()

    later: list[pl.Expr] = [
        rule_error(rule, source, as_written) for rule in source.rules if all(f in by_field for f in _rule_fields(rule))
    ]
    if any(f.kind is Kind.REGION for f in source.fields):
        frame = frame.with_columns(_region_exprs(table, lookups.regions, region_raw))
        later.append(pl.col("_region_error"))
    links = [
        (
            _missing_link(
                source.field(link.field),
                link.target,
                lookups.known_ids(link.target, frame[link.field].drop_nulls().unique()),
            ),
            link.target,
        )
        for link in source.links
    ]
    later += [reason for reason, _ in links]
    later.append(_repeated_id(table))
    frame = frame.with_columns(
        pl.concat_list([pl.col(REASONS), *[e.cast(pl.String) for e in later]]).list.drop_nulls().alias(REASONS)
    )
    # A row refused only because the records it links to are not loaded yet waits for them: the loader tries it
    # again when they arrive (a penalty filed before its inspection).
    missing = pl.concat_list(
        [pl.when(reason.is_not_null()).then(pl.lit(target)) for reason, target in links] or [pl.lit(None, pl.String)]
    ).list.drop_nulls()
    waiting = pl.when((pl.col(REASONS).list.len() > 0) & (missing.list.len() == pl.col(REASONS).list.len()))
    frame = frame.with_columns(waiting.then(missing.list.join(",")).otherwise(None).alias(WAITING_FOR))
    return frame.drop("_region_error", strict=False)


def _cast_missing(frame: pl.DataFrame, table: SourceTable) -> pl.DataFrame:
    """Columns the file does not carry are null, typed as the contract says."""
    polars_types = {
        Kind.COUNT: pl.Int32,
        Kind.MONEY: pl.Decimal(18, 2),
        Kind.BOOL: pl.Boolean,
        Kind.DATE: pl.Date,
        Kind.DATETIME: pl.Datetime("us"),
    }
    present = {c.field.name for c in table.columns}
    return frame.with_columns(
        pl.col(f.name).cast(polars_types.get(f.kind, pl.String))
        for f in table.source.stored_fields
        if f.name not in present
    )


def _rule_fields(rule: NotLess | OnlyFor) -> tuple[str, ...]:
    """A rule between two columns only applies when the file carries both."""
    return (rule.field, rule.than) if isinstance(rule, NotLess) else (rule.field,)


def _missing_link(field: Field, target: str, known: frozenset[str]) -> pl.Expr:
    return pl.when(pl.col(field.name).is_not_null() & ~pl.col(field.name).is_in(list(known))).then(
        pl.format(
            f"{field.label}“{{}}”找不到对应的{target_label(target)}记录 / {field.name} '{{}}' matches no {target} record",
            pl.col(field.name),
            pl.col(field.name),
        )
    )


def record_key(source: Source) -> pl.Expr:
    """A record's identity as one text, composite keys joined with '/' (D-2025-01/990121100)."""
    return pl.concat_str([pl.col(k).cast(pl.String) for k in source.key], separator="/")


def _repeated_id(table: SourceTable) -> pl.Expr:
    source = table.source
    labels = "+".join(source.field(k).label for k in source.key)
    names = "+".join(source.key)
    first_row = pl.col(ROW_NUMBER).min().over([FILE_INDEX, *source.key])
    complete = pl.all_horizontal([pl.col(k).is_not_null() for k in source.key])
    return pl.when(complete & (pl.col(ROW_NUMBER) != first_row)).then(
        pl.format(
            f"{labels}“{{}}”在本文件中重复(第{{}}行已有) / {names} '{{}}' repeats row {{}} of this file",
            record_key(source),
            first_row,
            record_key(source),
            first_row,
        )
    )
