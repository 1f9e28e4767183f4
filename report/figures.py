"""A compared figure — value, same period last year, change, change % — rounded as kpi-rules.md says.

The arithmetic matches the dbt macros (pct_change, round_significant), so report and marts agree to the digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
Number = int | Decimal


def pct_change(current: int, previous: int, places: int = 2) -> Decimal | None:
    """Percent change rounded half-up (away from zero) to `places` decimals on whole numbers; None on a zero base."""
    if previous == 0:
        return None
    change = current - previous
    units = (abs(change) * 200 * 10**places + previous) // (2 * previous)
    return Decimal(units).scaleb(-places) * (1 if change >= 0 else -1) + 0  # + 0: never -0.00


def pct_of(part: int, whole: int, places: int = 2) -> Decimal | None:
    """part ÷ whole × 100 half-up to `places` decimals on whole numbers (整改率); None when whole is 0."""
    if not whole:
        return None
    return Decimal((part * 200 * 10**places + whole) // (2 * whole)).scaleb(-places)


def half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    return value.quantize(places, ROUND_HALF_UP)


def significant(numerator: Number | None, denominator: Number | None, digits: int = 4) -> Decimal | None:
    """numerator ÷ denominator to `digits` significant digits, half-up on the exact quotient, the trailing zeros
    kept (0.03000, 2.000); a zero rate has `digits` zero decimals (0.0000). None when there is nothing to divide
    by."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    if numerator == 0:
        return Decimal(0).scaleb(-digits)
    with localcontext() as exact:
        exact.prec = 60
        quotient = Decimal(numerator) / Decimal(denominator)
        return quotient.quantize(Decimal(1).scaleb(quotient.adjusted() - digits + 1), ROUND_HALF_UP)


def _whole(amount: Decimal) -> int:
    """An amount with at most 4 decimals as a whole number of ten-thousandths (exact)."""
    return int(amount * 10_000)


@dataclass(frozen=True)
class Metric:
    value: Number | None
    previous: Number | None
    change: Number | None
    change_pct: Decimal | None

    @classmethod
    def of_counts(cls, value: int, previous: int, places: int = 2) -> Metric:
        """`places`: decimals of the percentage."""
        return cls(value, previous, value - previous, pct_change(value, previous, places))

    @classmethod
    def of_money(cls, value_yuan: Number, previous_yuan: Number, places: int = 2) -> Metric:
        """In 万元 to `places` decimals as published; the percentage is of the exact amounts."""
        value_yuan, previous_yuan = Decimal(value_yuan), Decimal(previous_yuan)
        shown = Decimal(1).scaleb(-places)
        return cls._shown(
            half_up(value_yuan / 10_000, shown),
            half_up(previous_yuan / 10_000, shown),
            value_yuan,
            previous_yuan,
            places,
        )

    @classmethod
    def of_area(cls, value_ha: Number, previous_ha: Number, places: int = 2) -> Metric:
        """Hectares to 2 decimals as published; the percentage (to `places`) is of the exact areas."""
        value_ha, previous_ha = Decimal(value_ha), Decimal(previous_ha)
        return cls._shown(half_up(value_ha), half_up(previous_ha), value_ha, previous_ha, places)

    @classmethod
    def _shown(
        cls, value: Decimal, previous: Decimal, exact_value: Decimal, exact_previous: Decimal, places: int
    ) -> Metric:
        return cls(value, previous, value - previous, pct_change(_whole(exact_value), _whole(exact_previous), places))

    @classmethod
    def of_ratio(cls, value: Decimal | None, previous: Decimal | None) -> Metric:
        """Rates, percentages, averages: compared by difference (个百分点 for percentages), never in percent."""
        change = None if value is None or previous is None else value - previous
        return cls(value, previous, change, None)

    def as_json(self) -> dict[str, object]:
        """Decimals stay Decimals, so the document keeps their digits (0.03000, 12.50): see report.document."""
        return {"value": self.value, "previous": self.previous, "change": self.change, "change_pct": self.change_pct}
