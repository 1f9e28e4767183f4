"""A compared figure — value, same period last year, change, change % — as the warehouse's report macros computed
it (dbt/macros/report_figures.sql, with the KPI models' compared_* macros); nothing here rounds or counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

Number = int | Decimal

RATE_DIGITS = 4  # the significant digits the SQL `significant` macro keeps


def significant_digits(rate: Decimal | None) -> Decimal | None:
    """A rate the warehouse rounded to RATE_DIGITS significant digits (returned as decimal(38, 12)), written with
    exactly those digits, trailing zeros kept (0.03000, 2.000; 0 as 0.0000). Only the notation changes: the value
    already has no more digits."""
    if rate is None:
        return None
    if rate == 0:
        return Decimal(0).scaleb(-RATE_DIGITS)
    shown = rate.quantize(Decimal(1).scaleb(rate.adjusted() - RATE_DIGITS + 1))
    if shown != rate:
        raise ValueError(f"{rate} has more than {RATE_DIGITS} significant digits")
    return shown


@dataclass(frozen=True)
class Metric:
    value: Number | None
    previous: Number | None
    change: Number | None
    change_pct: Decimal | None

    @classmethod
    def of(cls, row: Mapping[str, object], name: str) -> Metric:
        """The figure `name` of a report macro's row: its value and the `_previous`, `_change` and (for counts
        and amounts) `_change_pct` columns."""
        return cls(row[name], row[f"{name}_previous"], row[f"{name}_change"], row.get(f"{name}_change_pct"))

    @classmethod
    def of_rate(cls, row: Mapping[str, object], name: str) -> Metric:
        """A rate, written with its significant digits; the change with as many decimals as the finer of the
        two."""
        value, previous = significant_digits(row[name]), significant_digits(row[f"{name}_previous"])
        change = row[f"{name}_change"]
        if change is not None:
            change = change.quantize(Decimal(1).scaleb(min(value.as_tuple().exponent, previous.as_tuple().exponent)))
        return cls(value, previous, change, None)

    def as_json(self) -> dict[str, object]:
        """Decimals stay Decimals, so the document keeps their digits (0.03000, 12.50): see report.document."""
        return {"value": self.value, "previous": self.previous, "change": self.change, "change_pct": self.change_pct}
