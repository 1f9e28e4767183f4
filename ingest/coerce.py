"""Turn the strings of a spreadsheet column into typed values, with a clerk-readable reason for each failure.

Every field gives two Polars expressions over its raw string column: the typed value, and the reason the
cell was rejected (null when it is fine). Everything is vectorised so a file of millions of rows stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime

import polars as pl

from ingest.contract import REGION_CODE_PATTERN, Field, Kind, NotLess, OnlyFor, Source
from ingest.credit_code import is_valid_credit_code

ZERO_WORDS = ("", "无", "-", "—", "——", "--", "/")
TRUE_WORDS = ("是", "y", "yes", "true", "1", "√", "✓", "t")
FALSE_WORDS = ("否", "n", "no", "false", "0", "×", "✗", "f")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MS_PER_DAY = 86_400_000


def reason(field: Field, raw: pl.Expr, zh: str, en: str) -> pl.Expr:
    """'死亡人数“-1”不能为负数 / deaths '-1' must not be negative' — the form every quarantine reason takes."""
    return pl.format(f"{field.label}“{{}}”{zh} / {field.name} '{{}}' {en}", raw, raw)


def _folded(raw: pl.Expr) -> pl.Expr:
    # Width folding is safe for numbers, dates and codes; free text is never folded.
    return raw.map_batches(_nfkc, return_dtype=pl.String).str.strip_chars()


def _nfkc(cells: pl.Series) -> pl.Series:
    """NFKC of the cells that need it: ASCII is its own normal form, and most cells of a file are ASCII, so
    only those holding wider characters (全角 digits, ①, ㎡) are normalised."""
    wide = cells.str.len_bytes() != cells.str.len_chars()
    if not wide.any():
        return cells
    return cells.clone().scatter(wide.arg_true(), cells.filter(wide).str.normalize("NFKC"))


def _is_blank(raw: pl.Expr) -> pl.Expr:
    return raw.is_null() | (raw.str.strip_chars() == "")


def _count(field: Field, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    s = _folded(raw)
    blank = _is_blank(raw)
    # In a count column a blank means none; in a target column it means no target was set (null).
    is_zero = s.is_in(ZERO_WORDS[1:]) | (blank if field.blank_is_zero else pl.lit(False))
    is_whole = s.str.contains(r"^[0-9]{1,9}(\.0+)?$")
    value = (
        pl.when(is_zero).then(pl.lit(0)).when(is_whole).then(s.str.replace(r"\.0+$", "").cast(pl.Int32, strict=False))
    )
    error = (
        pl.when(is_zero | is_whole | blank)
        .then(None)
        .when(s.str.contains(r"^-[0-9]+(\.[0-9]+)?$"))
        .then(reason(field, raw, "不能为负数", "must not be negative"))
        .when(s.str.contains(r"^[0-9]{10,}(\.0+)?$"))
        .then(reason(field, raw, "数值过大(不能超过999,999,999)", "is too large (at most 999,999,999)"))
        .otherwise(reason(field, raw, "不是整数", "is not a whole number"))
    )
    return value.cast(pl.Int32), error


def _out_of_range(field: Field, raw: pl.Expr, value: pl.Expr) -> pl.Expr:
    """A reason when `value` falls outside the field's inclusive bounds, else null."""
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        zh, en = f"超出合理范围({low:g}–{high:g})", f"is outside {low:g}–{high:g}"
    elif low is not None:
        zh, en = f"不能小于{low:g}", f"must not be less than {low:g}"
    else:
        zh, en = f"不能大于{high:g}", f"must not be greater than {high:g}"
    outside = pl.lit(False)
    if low is not None:
        outside = outside | (value < low)
    if high is not None:
        outside = outside | (value > high)
    return pl.when(outside).then(reason(field, raw, zh, en))


def _decimal(field: Field, raw: pl.Expr, factor: float) -> tuple[pl.Expr, pl.Expr]:
    s = _folded(raw).str.replace_all(",", "")
    is_number = s.str.contains(r"^-?[0-9]+(\.[0-9]+)?$")
    # Measurements, not money: a unit such as 亩 (1/15 公顷) converts through a float, kept to 4 decimals.
    measured = pl.when(is_number).then((s.cast(pl.Float64, strict=False) * factor).round(4))
    value = measured.cast(pl.Decimal(18, 4), strict=False)
    error = (
        pl.when(_is_blank(raw))
        .then(None)
        .when(~is_number)
        .then(reason(field, raw, "不是数字", "is not a number"))
        .otherwise(_out_of_range(field, raw, measured))
    )
    return value, error


def _year(field: Field, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    s = _folded(raw).str.replace(r"年(度)?$", "")
    is_year = s.str.contains(r"^[0-9]{4}$")
    value = pl.when(is_year).then(s.cast(pl.Int32, strict=False))
    error = (
        pl.when(_is_blank(raw))
        .then(None)
        .when(~is_year)
        .then(reason(field, raw, "不是四位年份", "is not a four-digit year"))
        .otherwise(_out_of_range(field, raw, value))
    )
    return value, error


def _money(field: Field, raw: pl.Expr, factor: int) -> tuple[pl.Expr, pl.Expr]:
    s = _folded(raw).str.replace_all(",", "")
    # Stored in yuan to the fen: a value in 万元 may carry 6 decimals, in 元 only 2.
    places = 2 + len(str(factor)) - 1
    blank = _is_blank(raw)
    is_number = s.str.contains(r"^[0-9]+(\.[0-9]+)?$")
    too_precise = s.str.contains(rf"\.[0-9]{{{places + 1},}}$")
    # DECIMAL(18,2) holds 16 digits of yuan; the unit adds digits (万元: 4).
    too_large = s.str.extract(r"^0*([0-9]*)").str.len_chars() + (len(str(factor)) - 1) > 16
    fits = is_number & ~too_precise & ~too_large
    value = (
        pl.when(fits)
        .then(s.str.to_decimal(scale=places) * pl.lit(factor, dtype=pl.Decimal(18, 0)))
        .cast(pl.Decimal(18, 2), strict=False)
    )
    error = (
        pl.when(blank | (fits & ~(pl.lit(field.positive) & (value == 0))))
        .then(None)
        .when(s.str.contains(r"^-[0-9]+(\.[0-9]+)?$"))
        .then(reason(field, raw, "不能为负数", "must not be negative"))
        .when(is_number & too_large)
        .then(reason(field, raw, "金额超出可记录范围", "is too large to record"))
        .when(is_number & ~too_precise & pl.lit(field.positive) & (value == 0))
        .then(reason(field, raw, "必须大于0", "must be greater than zero"))
        .when(is_number)
        .then(reason(field, raw, "金额只能精确到分", "is more precise than one fen"))
        .otherwise(reason(field, raw, "不是金额数字", "is not an amount of money"))
    )
    return value, error


def _datetime_parts(raw: pl.Expr) -> pl.Expr:
    return raw.map_batches(_parsed_datetimes, return_dtype=pl.Datetime("us"))


# Forms the general reading brings every date to, which most files already write: such a cell is parsed as it
# is, and only the others go through every form.
_PADDED_FORMS = {
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$": "%Y-%m-%d %H:%M",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "%Y-%m-%d",
}


def _parsed_datetimes(cells: pl.Series) -> pl.Series:
    parsed = pl.repeat(None, len(cells), dtype=pl.Datetime("us"), eager=True).alias(cells.name)
    rest = pl.repeat(True, len(cells), eager=True)
    for pattern, form in _PADDED_FORMS.items():
        written = cells.str.contains(pattern).fill_null(False) & rest
        if written.any():
            at = written.arg_true()
            parsed = parsed.scatter(at, cells.gather(at).str.strptime(pl.Datetime("us"), form, strict=False))
            rest = rest & ~written
    if rest.any():
        at = rest.arg_true()
        parsed = parsed.scatter(at, cells.gather(at).to_frame().select(_any_form(pl.col(cells.name))).to_series())
    return parsed


def _any_form(raw: pl.Expr) -> pl.Expr:
    """Bring 2024年4月19日19时05分, 2024/4/19 19:05 and 2024.4.19 to 'Y-M-D H:M:S' with zero padding."""
    # One pass per step and no struct of parts: this runs on every date of every row.
    s = (
        _folded(raw)
        .str.replace_many(
            {"年": "-", "/": "-", ".": "-", "月": "-", "日": " ", "T": " ", "时": ":", "分": ":", "秒": ""}
        )
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" :")
    )
    padded = s.str.replace_all(r"\b([0-9])\b", "0$1")
    well_formed = s.str.contains(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?: [0-9]{1,2}:[0-9]{1,2}(?::[0-9]{1,2})?)?$")
    written = pl.when(well_formed).then(
        pl.coalesce(
            padded.str.strptime(pl.Datetime("us"), form, strict=False, exact=True)
            for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
        )
    )
    # Excel stores dates as days since 1899-12-30; a plausible serial is five digits.
    serial = _folded(raw)
    from_serial = pl.when(serial.str.contains(r"^[0-9]{5}(\.[0-9]+)?$")).then(
        pl.lit(_EXCEL_EPOCH, dtype=pl.Datetime("us"))
        + pl.duration(milliseconds=(serial.cast(pl.Float64, strict=False) * _MS_PER_DAY).round(0).cast(pl.Int64))
    )
    return pl.coalesce(written, from_serial)


def _temporal(field: Field, parsed: pl.Expr, raw: pl.Expr, now: datetime) -> tuple[pl.Expr, pl.Expr]:
    blank = _is_blank(raw)
    if field.kind is Kind.DATE:
        has_time = parsed.dt.time() != pl.time(0, 0, 0)
        value = pl.when(~has_time).then(parsed.dt.date())
        bad_form = parsed.is_null() | has_time
        form_zh, form_en = "不是可识别的日期", "is not a recognisable date"
    else:
        value = parsed
        bad_form = parsed.is_null()
        form_zh, form_en = "不是可识别的日期时间", "is not a recognisable date or time"
    error = pl.when(blank).then(None).when(bad_form).then(reason(field, raw, form_zh, form_en))
    if field.not_future:
        error = error.when(parsed > pl.lit(now)).then(reason(field, raw, "晚于当前时间", "is in the future"))
    return value, error


def _code(field: Field, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    assert field.codes is not None
    spellings = field.codes.spellings()
    token = _folded(raw).str.to_lowercase().str.replace_all(r"\s+", "")
    value = token.replace_strict(spellings, default=None, return_dtype=pl.String)
    error = (
        pl.when(_is_blank(raw) | value.is_not_null())
        .then(None)
        .otherwise(reason(field, raw, "不是认可的分类", f"is not a known {field.codes.name} code"))
    )
    return value, error


def _bool(field: Field, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    token = _folded(raw).str.to_lowercase()
    value = pl.when(token.is_in(TRUE_WORDS)).then(True).when(token.is_in(FALSE_WORDS)).then(False)
    error = (
        pl.when(_is_blank(raw) | value.is_not_null())
        .then(None)
        .otherwise(reason(field, raw, "应填“是”或“否”", "should be yes (是) or no (否)"))
    )
    return value, error


def _credit_code(field: Field, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    code = _folded(raw).str.to_uppercase()
    valid = code.map_batches(
        lambda s: s.map_elements(is_valid_credit_code, return_dtype=pl.Boolean, skip_nulls=True),
        return_dtype=pl.Boolean,
    )
    blank = _is_blank(raw)
    value = pl.when(~blank).then(code)
    error = (
        pl.when(blank | valid)
        .then(None)
        .otherwise(reason(field, raw, "校验位不符", "is not a valid unified social credit code (GB 32100)"))
    )
    return value, error


def _text(field: Field, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    text = raw.str.strip_chars()
    value = pl.when(~_is_blank(raw)).then(text)
    if field.pattern is None:
        return value, pl.lit(None, dtype=pl.String)
    folded = _folded(raw)
    value = pl.when(~_is_blank(raw)).then(folded)
    error = (
        pl.when(_is_blank(raw) | folded.str.contains(field.pattern))
        .then(None)
        .otherwise(reason(field, raw, "格式不正确", "is not in the expected form"))
    )
    return value, error


def _region(field: Field, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    code = _folded(raw)
    value = pl.when(~_is_blank(raw)).then(code)
    error = (
        pl.when(_is_blank(raw) | code.str.contains(REGION_CODE_PATTERN))
        .then(None)
        .otherwise(reason(field, raw, "不是6位、9位或12位区划代码", "is not a 6-, 9- or 12-digit region code"))
    )
    return value, error


@dataclass(frozen=True)
class Coerced:
    """A field's typed value and rejection reason (null when fine), and the columns both read, to be added to
    the frame before them: Polars does not share a parsed date between the expressions that read it, and
    parsing it once instead of three times takes a third off validating a file of accidents."""

    value: pl.Expr
    error: pl.Expr
    first: dict[str, pl.Expr] = dataclass_field(default_factory=dict)


def field_exprs(field: Field, raw: pl.Expr, *, factor: float, now: datetime) -> Coerced:
    """How one field is read from the string column `raw`."""
    first: dict[str, pl.Expr] = {}
    match field.kind:
        case Kind.COUNT:
            value, error = _count(field, raw)
        case Kind.MONEY:
            value, error = _money(field, raw, int(factor))
        case Kind.DECIMAL:
            value, error = _decimal(field, raw, factor)
        case Kind.YEAR:
            value, error = _year(field, raw)
        case Kind.DATE | Kind.DATETIME:
            parsed = f"__parsed__{field.name}"
            first[parsed] = _datetime_parts(raw)
            value, error = _temporal(field, pl.col(parsed), raw, now)
        case Kind.CODE:
            value, error = _code(field, raw)
        case Kind.BOOL:
            value, error = _bool(field, raw)
        case Kind.CREDIT_CODE:
            value, error = _credit_code(field, raw)
        case Kind.REGION:
            value, error = _region(field, raw)
        case Kind.TEXT:
            value, error = _text(field, raw)
    if field.required and field.kind is not Kind.COUNT:
        missing = pl.lit(f"{field.label}为必填项,不能为空 / {field.name} is required")
        error = pl.when(_is_blank(raw)).then(missing).otherwise(error)
    return Coerced(value, error, first)


def rule_error(rule: NotLess | OnlyFor, source: Source, as_written: Callable[[Field], pl.Expr]) -> pl.Expr:
    """The reason a row breaks a rule between its fields, quoting the cells as the clerk wrote them."""
    if isinstance(rule, OnlyFor):
        filled = source.field(rule.field)
        return pl.when(pl.col(rule.field).is_not_null() & ~pl.col(rule.when_field).is_in(list(rule.codes))).then(
            pl.format(
                f"{rule.reason_zh}({filled.label}{{}}) / {rule.reason_en} ({{}})",
                as_written(filled),
                as_written(filled),
            )
        )
    left, right = source.field(rule.field), source.field(rule.than)
    broken = pl.col(rule.field) < pl.col(rule.than)
    return pl.when(broken).then(
        pl.format(
            f"{rule.reason_zh}({left.label}{{}},{right.label}{{}}) / {rule.reason_en} ({{}} < {{}})",
            as_written(left),
            as_written(right),
            as_written(left),
            as_written(right),
        )
    )
