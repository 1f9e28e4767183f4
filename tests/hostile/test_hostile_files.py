"""Hostile landing files (fixtures/files), one case each: what the loader says of the file, which rows it
quarantines and why, and exactly which rows it keeps. Nothing is lost: every row is either loaded as written or
quarantined with a reason a clerk can act on; a file that is not a table at all is refused whole, and says so."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest.loader import load_paths

FILES = Path(__file__).parent / "fixtures" / "files"
NOW = datetime(2026, 1, 1)
H1 = ("H1", 1, 2, "两车相撞")
H2 = ("H2", 0, 0, "仓库起火")
REQUIRED = (
    "事故编号为必填项,不能为空 / accident_id is required；发生时间为必填项,不能为空 / occurred_at is required；"
    "行业领域为必填项,不能为空 / industry is required；行政区划代码为必填项,不能为空 / region_code is required"
)
EMPTY = "文件是空的 / the file is empty"


@dataclass(frozen=True)
class Case:
    file: str
    said: str  # the line the loader prints for the file
    quarantined: tuple[tuple[int | None, str | None, str], ...] = ()  # (row, record id, reason)
    kept: tuple[tuple, ...] = ()  # (accident_id, deaths, injuries, description)


def loaded(file: str, total: int, new: int, quarantined: int = 0) -> str:
    return f"{file} [accidents]: {total} rows: {new} new, 0 revised, 0 unchanged, {quarantined} quarantined"


def rejected(file: str, reason: str) -> tuple[str, tuple]:
    return f"{file}: rejected: {reason}", ((None, None, reason),)


CASES = [
    # A row with an unquoted comma: that row is quarantined, with every field kept; the others load.
    Case(
        "accidents_ragged.csv",
        loaded("accidents_ragged.csv", 5, 4, 1),
        (
            (
                3,
                "R2",
                "第3行有8个字段,多于表头的7列(可能有未加引号的逗号) / row 3 has 8 fields, more than the 7 columns "
                "of the header (an unquoted comma?)",
            ),
        ),
        (("R1", 1, 2, "两车相撞"), ("R3", 0, 0, "仓库起火,无人伤亡"), ("R4", 0, 0, None), ("R5", 1, 0, "高处坠落")),
    ),
    # Bytes of no encoding in one line of a GBK file, and of a UTF-8 file.
    Case(
        "accidents_gbk_damaged.csv",
        loaded("accidents_gbk_damaged.csv", 3, 2, 1),
        (
            (
                3,
                "G2",
                "第3行含无法识别的字符(不是GBK编码),请检查该行并重新导出 / row 3 holds bytes that are not GBK: check "
                "the row and export it again",
            ),
        ),
        (("G1", 1, 2, "两车相撞"), ("G3", 0, 0, "仓库起火")),
    ),
    Case(
        "accidents_utf8_damaged.csv",
        loaded("accidents_utf8_damaged.csv", 3, 2, 1),
        (
            (
                3,
                "H3",
                "第3行含无法识别的字符(不是UTF-8编码),请检查该行并重新导出 / row 3 holds bytes that are not UTF-8: "
                "check the row and export it again",
            ),
        ),
        (H1, H2),
    ),
    # Formulas saved without their values would have read as 0 deaths.
    Case(
        "accidents_formula.xlsx",
        loaded("accidents_formula.xlsx", 3, 2, 1),
        (
            (
                3,
                "F2",
                "第3行“死亡人数”“受伤人数”是未计算的公式 — 请在Excel中打开并保存后重新导出 / row 3: 死亡人数, 受伤人数 "
                "hold formulas without computed values: open and save the file in Excel, then export it again",
            ),
        ),
        (("F1", 1, 2, "两车相撞"), ("F3", 0, 0, "仓库起火")),
    ),
    # Not tables: refused whole, one quarantine entry naming the file.
    Case("accidents_empty.csv", *rejected("accidents_empty.csv", EMPTY)),
    Case("accidents_no_rows_at_all.csv", *rejected("accidents_no_rows_at_all.csv", EMPTY)),
    Case(
        "accidents_binary.csv",
        *rejected(
            "accidents_binary.csv", "文件编码无法识别(应为UTF-8或GBK) / encoding not recognised (expected UTF-8 or GBK)"
        ),
    ),
    Case(
        "accidents_not_a_workbook.xlsx",
        *rejected(
            "accidents_not_a_workbook.xlsx",
            "文件无法读取(格式损坏或不是表格) / the file cannot be read as a table: calamine error: Cannot detect file format",
        ),
    ),
    Case(
        "accidents_duplicate_header.csv",
        *rejected("accidents_duplicate_header.csv", "列“死亡人数”出现了两次 / column 'deaths' appears twice"),
    ),
    Case(
        "accidents_no_id_column.csv",
        *rejected("accidents_no_id_column.csv", "缺少必填列“事故编号” / required column 'accident_id' is missing"),
    ),
    # Separated by semicolons (a European export): said so, not "every column missing". UTF-16: not the contract's.
    Case(
        "accidents_semicolons.csv",
        *rejected(
            "accidents_semicolons.csv",
            "文件似乎用分号或制表符分隔,请另存为逗号分隔的CSV / the file seems separated by semicolons or tabs: save it as a "
            "comma-separated CSV",
        ),
    ),
    Case(
        "accidents_utf16.csv",
        *rejected(
            "accidents_utf16.csv", "文件编码无法识别(应为UTF-8或GBK) / encoding not recognised (expected UTF-8 or GBK)"
        ),
    ),
    # Tables in other dresses: a byte-order mark, Windows line ends, a header and nothing else.
    Case("accidents_bom.csv", loaded("accidents_bom.csv", 1, 1), kept=(H1,)),
    Case("accidents_crlf.csv", loaded("accidents_crlf.csv", 2, 2), kept=(H1, H2)),
    Case("accidents_header_only.csv", loaded("accidents_header_only.csv", 0, 0)),
    Case("accidents_padded_headers.csv", loaded("accidents_padded_headers.csv", 1, 1), kept=(H1,)),
    # Full-width digits are the digits they look like; a non-breaking space after a region code is not part of it.
    Case(
        "accidents_fullwidth_digits.csv",
        loaded("accidents_fullwidth_digits.csv", 1, 1),
        kept=(("H14", 1, 2, "全角数字"),),
    ),
    Case("accidents_nbsp.csv", loaded("accidents_nbsp.csv", 1, 1), kept=(("H15", 0, 0, "不换行空格"),)),
    # Row-level defects: the row is quarantined with its reason.
    Case(
        "accidents_repeated_id.csv",
        loaded("accidents_repeated_id.csv", 2, 1, 1),
        ((3, "H1", "事故编号“H1”在本文件中重复(第2行已有) / accident_id 'H1' repeats row 2 of this file"),),
        (H1,),
    ),
    Case(
        "accidents_negative.csv",
        loaded("accidents_negative.csv", 2, 1, 1),
        ((3, "H4", "死亡人数“-2”不能为负数 / deaths '-2' must not be negative"),),
        (H1,),
    ),
    Case(
        "accidents_unknown_region.csv",
        loaded("accidents_unknown_region.csv", 2, 1, 1),
        ((3, "H5", "行政区划代码“990199999”不在区划表中 / region_code '990199999' is not in the region reference"),),
        (H1,),
    ),
    Case(
        "accidents_future.csv",
        loaded("accidents_future.csv", 2, 1, 1),
        ((3, "H12", "发生时间“2099/1/1 8:00”晚于当前时间 / occurred_at '2099/1/1 8:00' is in the future"),),
        (H1,),
    ),
    Case(
        "accidents_no_such_day.csv",
        loaded("accidents_no_such_day.csv", 2, 1, 1),
        (
            (
                3,
                "H13",
                "发生时间“2025/2/29 8:00”不是可识别的日期时间 / occurred_at '2025/2/29 8:00' is not a recognisable "
                "date or time",
            ),
        ),
        (H1,),
    ),
    Case(
        "accidents_huge_count.csv",
        loaded("accidents_huge_count.csv", 2, 1, 1),
        (
            (
                3,
                "H8",
                "死亡人数“99999999999”数值过大(不能超过999,999,999) / deaths '99999999999' is too large "
                "(at most 999,999,999)",
            ),
        ),
        (H1,),
    ),
    # Blank lines are rows of nothing: quarantined, never mistaken for records.
    Case(
        "accidents_blank_lines.csv",
        loaded("accidents_blank_lines.csv", 4, 2, 2),
        ((3, None, REQUIRED), (4, None, REQUIRED)),
        (H1, H2),
    ),
    # Text that looks like something else stays the text it is: a formula, escape sequences, a bidirectional
    # override, characters outside the basic plane, a line break inside a quoted cell.
    Case(
        "accidents_formula_text.csv",
        loaded("accidents_formula_text.csv", 1, 1),
        kept=(("H6", 0, 0, '=HYPERLINK("http://x","点击")'),),
    ),
    Case(
        "accidents_escape.csv",
        loaded("accidents_escape.csv", 1, 1),
        kept=(("H7", 0, 0, "\x1b[2J\x1b]0;pwned\x07清屏"),),
    ),
    Case("accidents_bidi.csv", loaded("accidents_bidi.csv", 1, 1), kept=(("H11", 0, 0, "\u202e01 人亡死"),)),
    Case(
        "accidents_rare_characters.csv",
        loaded("accidents_rare_characters.csv", 1, 1),
        kept=(("H10", 0, 0, "𠀀𪚥 😀 工地"),),
    ),
    Case("accidents_multiline.csv", loaded("accidents_multiline.csv", 2, 2), kept=(H2, ("H9", 0, 1, "第一行\n第二行"))),
]


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    load_paths(connection, [FILES / "regions.csv"], now=NOW)
    yield connection
    connection.close()


def test_every_fixture_is_a_case():
    assert sorted(case.file for case in CASES) == sorted(p.name for p in FILES.iterdir() if p.name != "regions.csv")


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_hostile_file(con, case: Case):
    (summary,) = load_paths(con, [FILES / case.file], now=NOW)
    assert summary.line() == case.said
    assert con.execute(
        "select row_number, record_id, reason from raw.quarantine where file_name = ? order by row_number", [case.file]
    ).fetchall() == list(case.quarantined)
    kept = (
        con.execute(
            "select accident_id, deaths, injuries, description from raw.accidents order by accident_id"
        ).fetchall()
        if summary.status == "loaded"
        else []
    )
    assert kept == list(case.kept)
    # Nothing lost: each row of the file is kept or quarantined.
    assert summary.rows_total == len(case.kept) + sum(1 for q in case.quarantined if q[0] is not None)


def test_a_ragged_row_keeps_every_field_the_clerk_wrote(con):
    load_paths(con, [FILES / "accidents_ragged.csv"], now=NOW)
    (raw,) = con.execute("select raw_values from raw.quarantine where record_id = 'R2'").fetchone()
    assert (json.loads(raw)["简要经过"], json.loads(raw)["第8列"]) == ("货车侧翻", "司机受伤")
