"""The compared_* and significant macros (dbt/macros) that round every published change, amount and rate, run in
DuckDB on hand-checked values at both numbers of decimals the report offers; and the report writing a rate's
significant digits and a Decimal's digits as the warehouse returned them."""

from __future__ import annotations

import json
from decimal import Decimal

import duckdb
import pytest

from report.figures import Metric, significant_digits
from tests.pipeline.conftest import run_dbt

# Every case is a row (a, b); each macro reads the columns it needs, so one dbt compile serves them all.
INLINE = """
select
    case_id,
    {{ compared_count('count_2', 'cast(a as bigint)', 'cast(b as bigint)', 2) }},
    {{ compared_count('count_1', 'cast(a as bigint)', 'cast(b as bigint)', 1) }},
    {{ compared_10k_yuan('money_2', 'a', 'b', 2) }},
    {{ compared_10k_yuan('money_1', 'a', 'b', 1) }},
    rates.rate
from cases
inner join ({{ significant_ratios('cases', [('rate', 'a', 'b')], ['case_id']) }}) as rates using (case_id)
"""


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("compare")
    made = run_dbt(root, root / "target", "compile", "--inline", INLINE, "--output", "json", "--quiet")
    assert made.returncode == 0, made.stdout + made.stderr
    return json.loads(made.stdout)["compiled"]


def figures(compiled: str, a: str, b: str, prefix: str) -> tuple[str | None, ...]:
    """value, previous, change and change % of the macro named `prefix`, each as its digits."""
    with duckdb.connect() as con:
        con.execute("create table cases (case_id integer, a decimal(38, 4), b decimal(38, 4))")
        con.execute("insert into cases values (1, ?, ?)", [Decimal(a), Decimal(b)])
        con.execute(compiled)
        names = [column[0] for column in con.description]
        row = dict(zip(names, con.fetchone(), strict=True))
    return tuple(
        None if row[column] is None else str(row[column])
        for column in (prefix, f"{prefix}_previous", f"{prefix}_change", f"{prefix}_change_pct")
    )


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        ("120", "134", "-10.45"),  # -14/134 = -10.447…%
        ("103125", "100000", "3.13"),  # +3.125% -> half-up 3.13
        ("96875", "100000", "-3.13"),  # -3.125% -> half away from zero -3.13
        ("33", "32", "3.13"),  # 1/32 = 3.125%
        ("1", "32", "-96.88"),  # -31/32 = -96.875%
        ("5", "4", "25.00"),
        ("1", "3", "-66.67"),
        ("7", "7", "0.00"),
        ("0", "5", "-100.00"),
        ("134", "120", "11.67"),
        ("3", "0", None),  # a zero base has no percentage
        ("0", "0", None),
    ],
)
def test_count_change_in_percent(compiled, current, previous, expected):
    value, was, change, pct = figures(compiled, current, previous, "count_2")
    assert (value, was, change, pct) == (current, previous, str(int(current) - int(previous)), expected)


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        ("120", "134", "-10.4"),  # -10.447…%: from the exact value, not from -10.45 (which would give -10.5)
        ("1", "32", "-96.9"),  # -96.875%
        ("33", "32", "3.1"),  # 3.125%
        ("21", "20", "5.0"),
        ("7", "7", "0.0"),
        ("1000000", "1000001", "0.0"),  # -0.0000999…%: 0.0, never -0.0
    ],
)
def test_count_change_to_one_decimal(compiled, current, previous, expected):
    assert figures(compiled, current, previous, "count_1")[3] == expected


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
def test_money_in_10k_yuan(compiled, value_yuan, previous_yuan, expected):
    assert figures(compiled, value_yuan, previous_yuan, "money_2") == expected


@pytest.mark.parametrize(
    ("value_yuan", "previous_yuan", "expected"),
    [
        # 0.1249 万元 -> 0.1 (from 0.1249, not from 0.12 -> 0.1; 0.125 -> 0.1 the same); 12.345 万元 -> 12.3
        ("1249", "123450", ("0.1", "12.3", "-12.2", "-99.0")),
        # 1.25 万元 -> 1.3 half-up; 1.249 -> 1.2: the 2-decimal figure 1.25 would have rounded up to 1.3
        ("12500", "12490", ("1.3", "1.2", "0.1", "0.1")),
    ],
)
def test_money_to_one_decimal_is_rounded_from_the_yuan(compiled, value_yuan, previous_yuan, expected):
    assert figures(compiled, value_yuan, previous_yuan, "money_1") == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        ("3", "100", "0.03000"),
        ("2", "1", "2.000"),
        ("0", "7", "0.0000"),
        ("1", "81000", "0.00001235"),
        ("12345", "1", "12350"),
    ],
)
def test_a_rate_keeps_four_significant_digits(compiled, numerator, denominator, expected):
    with duckdb.connect() as con:
        con.execute("create table cases (case_id integer, a decimal(38, 4), b decimal(38, 4))")
        con.execute("insert into cases values (1, ?, ?)", [Decimal(numerator), Decimal(denominator)])
        (rate,) = con.execute(f"select rate from ({compiled})").fetchone()
    assert format(significant_digits(rate), "f") == expected


def test_a_rate_with_more_digits_is_not_rounded_in_python():
    with pytest.raises(ValueError, match="more than 4 significant digits"):
        significant_digits(Decimal("0.123456"))


def test_a_rate_change_has_the_digits_of_the_finer_rate():
    row = {"rate": Decimal("0.030000000000"), "rate_previous": Decimal("2.000000000000")}
    row["rate_change"] = Decimal("-1.970000000000")
    metric = Metric.of_rate(row, "rate")
    assert (str(metric.value), str(metric.previous), str(metric.change)) == ("0.03000", "2.000", "-1.97000")


def test_metric_as_json_keeps_the_digits():
    row = {"m": Decimal("0.12"), "m_previous": Decimal("0.13"), "m_change": Decimal("-0.01")}
    metric = Metric.of(row | {"m_change_pct": Decimal("-1.24")}, "m")
    assert {k: str(v) for k, v in metric.as_json().items()} == {
        "value": "0.12",
        "previous": "0.13",
        "change": "-0.01",
        "change_pct": "-1.24",
    }


def test_the_document_writes_each_decimal_digit_for_digit():
    from report.document import dumps

    plain = {"region": {"code": "990121", "name": "青山县"}, "by_industry": {}, "codes": [1, None, True, "火灾"]}
    assert dumps(plain) == json.dumps(plain, ensure_ascii=False, indent=2)
