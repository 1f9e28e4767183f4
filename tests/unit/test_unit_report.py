"""emstat.report.pct_change and Metric: the change figures, rounded half-up on exact values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emstat.report import Metric, pct_change


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (120, 134, "-10.45"),  # -14/134 = -10.447…%
        (103_125, 100_000, "3.13"),  # 1031.25 vs 1000 yuan in fen: +3.125% -> half-up 3.13
        (96_875, 100_000, "-3.13"),  # -3.125% -> half away from zero -3.13
        (33, 32, "3.13"),  # 1/32 = 3.125%
        (1, 32, "-96.88"),  # -31/32 = -96.875%
        (5, 4, "25.00"),
        (1, 3, "-66.67"),
        (2, 3, "-33.33"),
        (7, 7, "0.00"),
        (0, 5, "-100.00"),
        (134, 120, "11.67"),
    ],
)
def test_pct_change(current, previous, expected):
    result = pct_change(current, previous)
    assert isinstance(result, Decimal)
    assert str(result) == expected


@pytest.mark.parametrize(("current", "previous"), [(3, 0), (0, 0)])
def test_pct_change_zero_base(current, previous):
    assert pct_change(current, previous) is None


def test_metric_of_counts():
    assert Metric.of_counts(5, 4) == Metric(5, 4, 1, Decimal("25.00"))
    assert Metric.of_counts(3, 0) == Metric(3, 0, 3, None)


def shown(metric: Metric) -> tuple[str, str, str, str | None]:
    pct = None if metric.change_pct is None else str(metric.change_pct)
    return str(metric.value), str(metric.previous), str(metric.change), pct


@pytest.mark.parametrize(
    ("value_yuan", "previous_yuan", "expected"),
    [
        # 0.12345 万元 -> 0.12; 0.125 万元 -> half-up 0.13; change as shown: 0.12 - 0.13;
        # % on the exact amounts: -1550/125000 = -1.24%
        ("1234.5", "1250", ("0.12", "0.13", "-0.01", "-1.24")),
        # 0.103125 and 0.1 万元 both show 0.10; the % still sees +3.125% -> 3.13
        ("1031.25", "1000", ("0.10", "0.10", "0.00", "3.13")),
        ("968.75", "1000", ("0.10", "0.10", "0.00", "-3.13")),
        # 13000 vs 317000 yuan: -304000/317000 = -95.899…%
        ("13000.00", "317000.00", ("1.30", "31.70", "-30.40", "-95.90")),
        ("5000", "0", ("0.50", "0.00", "0.50", None)),
        ("0", "0", ("0.00", "0.00", "0.00", None)),
    ],
)
def test_metric_of_money(value_yuan, previous_yuan, expected):
    assert shown(Metric.of_money(Decimal(value_yuan), Decimal(previous_yuan))) == expected


def test_metric_as_json():
    metric = Metric.of_money(Decimal("1234.5"), Decimal("1250"))
    assert metric.as_json() == {"value": 0.12, "previous": 0.13, "change": -0.01, "change_pct": -1.24}
