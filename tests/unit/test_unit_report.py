"""report.pct_change and Metric: the change figures, rounded half-up on exact values."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from report import Metric, pct_change
from report.figures import significant


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


def test_metric_as_json_keeps_the_digits():
    metric = Metric.of_money(Decimal("1234.5"), Decimal("1250"))
    assert {k: str(v) for k, v in metric.as_json().items()} == {
        "value": "0.12",
        "previous": "0.13",
        "change": "-0.01",
        "change_pct": "-1.24",
    }


@pytest.mark.parametrize(
    ("current", "previous", "places", "expected"),
    [
        (120, 134, 1, "-10.4"),  # -10.447…%: from the exact value, not from -10.45 (which would give -10.5)
        (1, 32, 1, "-96.9"),  # -96.875%
        (33, 32, 1, "3.1"),  # 3.125%
        (21, 20, 1, "5.0"),
        (7, 7, 1, "0.0"),
        (1_000_000, 1_000_001, 2, "0.00"),  # -0.0000999…%: 0.00, never -0.00
    ],
)
def test_pct_change_to_other_places(current, previous, places, expected):
    assert str(pct_change(current, previous, places)) == expected


@pytest.mark.parametrize(
    ("value_yuan", "previous_yuan", "expected"),
    [
        # 0.1249 万元 -> 0.1 (from 0.1249, not from 0.12 -> 0.1; 0.125 -> 0.1 the same); 12.345 万元 -> 12.3
        ("1249", "123450", ("0.1", "12.3", "-12.2", "-99.0")),
        # 1.25 万元 -> 1.3 half-up; 1.249 -> 1.2: the 2-decimal figure 1.25 would have rounded up to 1.3
        ("12500", "12490", ("1.3", "1.2", "0.1", "0.1")),
    ],
)
def test_money_to_one_decimal_is_rounded_from_the_yuan(value_yuan, previous_yuan, expected):
    assert shown(Metric.of_money(Decimal(value_yuan), Decimal(previous_yuan), places=1)) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(3, 100, "0.03000"), (2, 1, "2.000"), (0, 7, "0.0000"), (1, 81_000, "0.00001235"), (12_345, 1, "12350")],
)
def test_significant_keeps_four_digits(numerator, denominator, expected):
    assert format(significant(numerator, denominator), "f") == expected


def test_the_document_writes_each_decimal_digit_for_digit():
    from report.document import dumps

    plain = {"region": {"code": "990121", "name": "青山县"}, "by_industry": {}, "codes": [1, None, True, "火灾"]}
    assert dumps(plain) == json.dumps(plain, ensure_ascii=False, indent=2)
    rates = {"rate": Decimal("0.03000"), "zero": Decimal("0E-4"), "small": Decimal("1.234E-5"), "pct": Decimal("12.50")}
    assert dumps(rates) == ('{\n  "rate": 0.03000,\n  "zero": 0.0000,\n  "small": 0.00001234,\n  "pct": 12.50\n}')
