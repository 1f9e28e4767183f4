"""coerce.field_exprs per kind, evaluated on a one-column string frame: (typed value, reason or None)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import polars as pl
import pytest

from ingest.coerce import field_exprs, rule_error
from ingest.contract import ACCIDENTS, REGIONS

NOW = datetime(2025, 6, 1, 12, 0)

ACCIDENT_ID = ACCIDENTS.field("accident_id")
OCCURRED_AT = ACCIDENTS.field("occurred_at")  # datetime, required, not in the future
REPORTED_AT = ACCIDENTS.field("reported_at")  # datetime, optional
VALID_FROM = REGIONS.field("valid_from")  # date, optional
DEATHS = ACCIDENTS.field("deaths")  # count, required
DIRECT_LOSS = ACCIDENTS.field("direct_loss")  # money, optional
WRITTEN_OFF = ACCIDENTS.field("written_off")  # bool
INDUSTRY = ACCIDENTS.field("industry")  # code, required
GRADE = ACCIDENTS.field("grade")  # code, optional
ACCIDENT_TYPE = ACCIDENTS.field("accident_type")  # code, optional
CREDIT_CODE = ACCIDENTS.field("credit_code")
REGION_CODE = ACCIDENTS.field("region_code")  # region, required
REGIONS_CODE = REGIONS.field("region_code")  # text with a pattern, required


def frame(field, raw, *, factor=1, now=NOW) -> pl.DataFrame:
    coerced = field_exprs(field, pl.col("raw"), factor=factor, now=now)
    source = pl.DataFrame({"raw": [raw]}, schema={"raw": pl.String}).with_columns(**coerced.first)
    return source.select(coerced.value.alias("value"), coerced.error.alias("error"))


def coerce(field, raw, *, factor=1, now=NOW) -> tuple[object, str | None]:
    return frame(field, raw, factor=factor, now=now).row(0)


@pytest.mark.parametrize(
    ("field", "dtype"),
    [
        (DEATHS, pl.Int32),
        (DIRECT_LOSS, pl.Decimal(18, 2)),
        (OCCURRED_AT, pl.Datetime("us")),
        (VALID_FROM, pl.Date),
        (WRITTEN_OFF, pl.Boolean),
        (INDUSTRY, pl.String),
        (CREDIT_CODE, pl.String),
        (REGION_CODE, pl.String),
        (ACCIDENT_ID, pl.String),
    ],
)
def test_typed_value_dtype(field, dtype):
    assert frame(field, "1").schema["value"] == dtype


# --- COUNT -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 0),
        ("", 0),
        ("  ", 0),
        ("无", 0),
        ("-", 0),
        ("—", 0),
        ("——", 0),
        ("--", 0),
        ("/", 0),
        ("0", 0),
        ("3", 3),
        ("３", 3),  # full-width digit
        (" 7 ", 7),
        ("4.0", 4),
        ("4.00", 4),
        ("999999999", 999_999_999),
    ],
)
def test_count_accepted(raw, expected):
    value, error = coerce(DEATHS, raw)
    assert (value, error) == (expected, None)
    assert type(value) is int


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("-1", "死亡人数“-1”不能为负数 / deaths '-1' must not be negative"),
        ("-2.5", "死亡人数“-2.5”不能为负数 / deaths '-2.5' must not be negative"),
        ("2.5", "死亡人数“2.5”不是整数 / deaths '2.5' is not a whole number"),
        ("三", "死亡人数“三”不是整数 / deaths '三' is not a whole number"),
        ("3人", "死亡人数“3人”不是整数 / deaths '3人' is not a whole number"),
    ],
)
def test_count_refused(raw, reason):
    assert coerce(DEATHS, raw) == (None, reason)


def test_count_non_ascii_digit_is_refused_not_silently_null():
    # '٣' is ARABIC-INDIC DIGIT THREE; NFKC leaves it alone.
    assert coerce(DEATHS, "٣") == (None, "死亡人数“٣”不是整数 / deaths '٣' is not a whole number")


# --- MONEY -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "factor", "expected"),
    [
        ("12.5", 1, "12.50"),
        ("1,234.56", 1, "1234.56"),
        ("1，234.56", 1, "1234.56"),  # full-width comma
        ("１２.５", 1, "12.50"),
        ("0.01", 1, "0.01"),
        ("0", 1, "0.00"),
        ("12.5", 10_000, "125000.00"),  # 万元
        ("1,234.56", 10_000, "12345600.00"),
        ("1.001", 10_000, "10010.00"),  # three decimals of 万元 are still whole yuan
        ("0.000001", 10_000, "0.01"),  # six decimals of 万元 = one fen
        ("1.5", 100_000_000, "150000000.00"),  # 亿元
    ],
)
def test_money_accepted(raw, factor, expected):
    value, error = coerce(DIRECT_LOSS, raw, factor=factor)
    assert error is None
    assert isinstance(value, Decimal)
    assert str(value) == expected


@pytest.mark.parametrize(
    ("raw", "factor", "reason"),
    [
        ("1.001", 1, "直接经济损失“1.001”金额只能精确到分 / direct_loss '1.001' is more precise than one fen"),
        (
            "0.0000001",
            10_000,
            "直接经济损失“0.0000001”金额只能精确到分 / direct_loss '0.0000001' is more precise than one fen",
        ),
        ("-5", 1, "直接经济损失“-5”不能为负数 / direct_loss '-5' must not be negative"),
        ("-0.5", 10_000, "直接经济损失“-0.5”不能为负数 / direct_loss '-0.5' must not be negative"),
        ("abc", 1, "直接经济损失“abc”不是金额数字 / direct_loss 'abc' is not an amount of money"),
        (
            "无",
            1,
            "直接经济损失“无”不是金额数字 / direct_loss '无' is not an amount of money",
        ),  # 无 = 0 only for counts
        ("12万", 1, "直接经济损失“12万”不是金额数字 / direct_loss '12万' is not an amount of money"),
    ],
)
def test_money_refused(raw, factor, reason):
    assert coerce(DIRECT_LOSS, raw, factor=factor) == (None, reason)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_money_blank_is_null_without_reason(raw):
    assert coerce(DIRECT_LOSS, raw, factor=10_000) == (None, None)


def test_money_too_large_for_decimal_18_2_gets_a_reason():
    # 1,000,000,000,000 万元 = 10^16 yuan: one digit more than DECIMAL(18,2) holds. The exact wording of the
    # reason is the fixer's choice; it must be a reason in the usual form, and the value must be null.
    value, error = coerce(DIRECT_LOSS, "1000000000000", factor=10_000)
    assert value is None
    assert error.startswith("直接经济损失“1000000000000”")
    assert " / direct_loss '1000000000000' " in error


# --- DATE / DATETIME ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-04-19", datetime(2024, 4, 19, 0, 0)),
        ("2024/4/19 8:05", datetime(2024, 4, 19, 8, 5)),
        ("2024.4.19", datetime(2024, 4, 19, 0, 0)),
        ("2024年4月19日", datetime(2024, 4, 19, 0, 0)),
        ("2024年4月19日19时05分", datetime(2024, 4, 19, 19, 5)),
        ("2024-04-19 08:05:30", datetime(2024, 4, 19, 8, 5, 30)),
        ("2024-04-19T08:05", datetime(2024, 4, 19, 8, 5)),
        ("２０２４－０４－１９", datetime(2024, 4, 19, 0, 0)),
        ("45401", datetime(2024, 4, 19, 0, 0)),  # Excel serial: 45292 is 2024-01-01, +109 days
        ("45401.5", datetime(2024, 4, 19, 12, 0)),
        ("2025-06-01 12:00", datetime(2025, 6, 1, 12, 0)),  # exactly `now` is not the future
    ],
)
def test_datetime_accepted(raw, expected):
    assert coerce(OCCURRED_AT, raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "value", "reason"),
    [
        (
            "2024-02-30",
            None,
            "发生时间“2024-02-30”不是可识别的日期时间 / occurred_at '2024-02-30' is not a recognisable date or time",
        ),
        (
            "2024-13-01",
            None,
            "发生时间“2024-13-01”不是可识别的日期时间 / occurred_at '2024-13-01' is not a recognisable date or time",
        ),
        (
            "2024-04-19 25:00",
            None,
            "发生时间“2024-04-19 25:00”不是可识别的日期时间 / occurred_at '2024-04-19 25:00' is not a recognisable "
            "date or time",
        ),
        ("昨天", None, "发生时间“昨天”不是可识别的日期时间 / occurred_at '昨天' is not a recognisable date or time"),
        (
            "2025-06-01 12:01",
            datetime(2025, 6, 1, 12, 1),
            "发生时间“2025-06-01 12:01”晚于当前时间 / occurred_at '2025-06-01 12:01' is in the future",
        ),
        (
            "2025年6月2日",
            datetime(2025, 6, 2, 0, 0),
            "发生时间“2025年6月2日”晚于当前时间 / occurred_at '2025年6月2日' is in the future",
        ),
        ("", None, "发生时间为必填项,不能为空 / occurred_at is required"),
        (None, None, "发生时间为必填项,不能为空 / occurred_at is required"),
    ],
)
def test_datetime_refused(raw, value, reason):
    assert coerce(OCCURRED_AT, raw) == (value, reason)


def test_future_is_relative_to_the_now_passed_in():
    assert coerce(OCCURRED_AT, "2025-06-02", now=datetime(2025, 6, 2, 0, 0)) == (datetime(2025, 6, 2), None)


def test_optional_datetime_blank_is_null_without_reason():
    assert coerce(REPORTED_AT, "") == (None, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-04-19", date(2024, 4, 19)),
        ("2024/4/19", date(2024, 4, 19)),
        ("2024.4.19", date(2024, 4, 19)),
        ("2024年4月19日", date(2024, 4, 19)),
        ("2024-04-19 00:00", date(2024, 4, 19)),  # midnight is a plain date
        ("45401", date(2024, 4, 19)),
        ("", None),
    ],
)
def test_date_accepted(raw, expected):
    assert coerce(VALID_FROM, raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            "2024/4/19 8:05",
            "启用日期“2024/4/19 8:05”不是可识别的日期 / valid_from '2024/4/19 8:05' is not a recognisable date",
        ),
        ("45401.5", "启用日期“45401.5”不是可识别的日期 / valid_from '45401.5' is not a recognisable date"),
        ("2024-02-30", "启用日期“2024-02-30”不是可识别的日期 / valid_from '2024-02-30' is not a recognisable date"),
        ("2024-13-01", "启用日期“2024-13-01”不是可识别的日期 / valid_from '2024-13-01' is not a recognisable date"),
    ],
)
def test_date_refused(raw, reason):
    assert coerce(VALID_FROM, raw) == (None, reason)


# --- BOOL --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("N", False),
        ("y", True),
        ("n", False),
        ("ｙ", True),
        ("yes", True),
        ("no", False),
        ("true", True),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("√", True),
        ("×", False),
        ("", None),
        (None, None),
    ],
)
def test_bool_accepted(raw, expected):
    assert coerce(WRITTEN_OFF, raw) == (expected, None)


def test_bool_refused():
    assert coerce(WRITTEN_OFF, "可能") == (
        None,
        "是否核销“可能”应填“是”或“否” / written_off '可能' should be yes (是) or no (否)",
    )


# --- CODE --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (INDUSTRY, "fire", "fire"),
        (INDUSTRY, "ROAD_TRAFFIC", "road_traffic"),
        (INDUSTRY, "道路交通", "road_traffic"),
        (INDUSTRY, "火灾", "fire"),
        (INDUSTRY, "消防火灾", "fire"),
        (INDUSTRY, "危险化学品", "hazardous_chemicals"),
        (INDUSTRY, "危化品", "hazardous_chemicals"),
        (INDUSTRY, " 建筑 ", "construction"),
        (INDUSTRY, "其它", "other"),
        (GRADE, "较大事故", "larger"),
        (GRADE, "较大", "larger"),
        (GRADE, "larger", "larger"),
        (GRADE, "特别重大", "especially_major"),
        (ACCIDENT_TYPE, "01", "object_strike"),
        (ACCIDENT_TYPE, "1", "object_strike"),
        (ACCIDENT_TYPE, "０１", "object_strike"),
        (ACCIDENT_TYPE, "物体打击", "object_strike"),
        (ACCIDENT_TYPE, "object_strike", "object_strike"),
        (ACCIDENT_TYPE, "20", "other_injury"),
        (ACCIDENT_TYPE, "火灾", "fire"),
        (ACCIDENT_TYPE, "", None),
    ],
)
def test_code_accepted(field, raw, expected):
    assert coerce(field, raw) == (expected, None)


@pytest.mark.parametrize(
    ("field", "raw", "reason"),
    [
        (INDUSTRY, "飞机", "行业领域“飞机”不是认可的分类 / industry '飞机' is not a known industries code"),
        (GRADE, "大", "事故等级“大”不是认可的分类 / grade '大' is not a known accident_grades code"),
        (ACCIDENT_TYPE, "21", "事故类别“21”不是认可的分类 / accident_type '21' is not a known accident_types code"),
        (ACCIDENT_TYPE, "0", "事故类别“0”不是认可的分类 / accident_type '0' is not a known accident_types code"),
        (INDUSTRY, "", "行业领域为必填项,不能为空 / industry is required"),
    ],
)
def test_code_refused(field, raw, reason):
    assert coerce(field, raw) == (None, reason)


# --- CREDIT_CODE -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100M000100Y43", "91350100M000100Y43"),
        ("91350100m000100y43", "91350100M000100Y43"),  # lower case accepted, stored upper case
        (" 91110000100000000R ", "91110000100000000R"),
        ("", None),
        (None, None),
    ],
)
def test_credit_code_accepted(raw, expected):
    assert coerce(CREDIT_CODE, raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",  # 19 characters
        "91350100I000100Y43",
        "91350100O000100Y43",
        "91350100S000100Y43",
        "91350100V000100Y43",
        "91350100Z000100Y43",
    ],
)
def test_credit_code_refused(raw):
    value, error = coerce(CREDIT_CODE, raw)
    assert value == raw  # the typed value is kept; the reason quarantines the row
    assert error == (
        f"统一社会信用代码“{raw}”校验位不符 / credit_code '{raw}' is not a valid unified social credit code (GB 32100)"
    )


# --- REGION and patterned TEXT -----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["990121", "990121100", "990121100001"])
def test_region_code_form_accepted(raw):
    assert coerce(REGION_CODE, raw) == (raw, None)


@pytest.mark.parametrize("raw", ["9901211", "99012", "9901211000", "abcdef"])
def test_region_code_form_refused(raw):
    assert coerce(REGION_CODE, raw) == (
        raw,
        f"行政区划代码“{raw}”不是6位、9位或12位区划代码 / region_code '{raw}' is not a 6-, 9- or 12-digit region code",
    )


def test_reference_region_code_pattern():
    assert coerce(REGIONS_CODE, "990121100") == ("990121100", None)
    assert coerce(REGIONS_CODE, "9901211") == (
        "9901211",
        "区划代码“9901211”格式不正确 / region_code '9901211' is not in the expected form",
    )


# --- required ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "raw", "reason"),
    [
        (ACCIDENT_ID, "", "事故编号为必填项,不能为空 / accident_id is required"),
        (ACCIDENT_ID, "   ", "事故编号为必填项,不能为空 / accident_id is required"),
        (ACCIDENT_ID, None, "事故编号为必填项,不能为空 / accident_id is required"),
        (REGION_CODE, "", "行政区划代码为必填项,不能为空 / region_code is required"),
        (REGIONS_CODE, "", "区划代码为必填项,不能为空 / region_code is required"),
    ],
)
def test_required_blank(field, raw, reason):
    assert coerce(field, raw) == (None, reason)


def test_required_count_blank_is_zero_not_missing():
    assert coerce(DEATHS, "") == (0, None)


def test_text_is_stripped_not_folded():
    assert coerce(ACCIDENT_ID, " Ａ1 ") == ("Ａ1", None)


# --- row rules ---------------------------------------------------------------------------------------------


def test_rule_injuries_not_less_than_serious_injuries():
    rule = ACCIDENTS.rules[1]
    # The reason quotes the cells as written ("01" stays "01"), compared on the typed values.
    typed = pl.DataFrame(
        {
            "injuries": [1, 2, 3],
            "serious_injuries": [2, 2, None],
            "raw_injuries": ["01", "2", "3"],
            "raw_serious": ["2", "2", None],
        },
        schema={
            "injuries": pl.Int32,
            "serious_injuries": pl.Int32,
            "raw_injuries": pl.String,
            "raw_serious": pl.String,
        },
    )
    written = {"injuries": "raw_injuries", "serious_injuries": "raw_serious"}
    got = typed.select(rule_error(rule, ACCIDENTS, lambda f: pl.col(written[f.name])).alias("e"))["e"].to_list()
    assert got == [
        "受伤人数少于重伤人数(受伤人数应包含重伤)(受伤人数01,重伤人数2) / injuries is less than serious_injuries "
        "(injuries include serious ones) (01 < 2)",
        None,
        None,
    ]
