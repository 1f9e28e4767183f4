"""load_paths against a real DuckDB file and real landing files (tests/ingest/fixtures/*).

Every expected value below was worked out by hand from the fixture files and the data contract.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
import xlsxwriter

from ingest.loader import FileSummary, load_paths

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 1, 1)

COLUMNS = (
    "accident_id, occurred_at, reported_at, region_code, industry, accident_type, enterprise_name, credit_code, "
    "deaths, missing, serious_injuries, injuries, direct_loss, grade, written_off, concealed, description, "
    "_row_number"
)


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def accident_rows(con) -> list[tuple]:
    return con.execute(f"select {COLUMNS} from raw.accidents order by accident_id, _load_id").fetchall()


def quarantine_rows(con, file_name: str) -> list[tuple]:
    return con.execute(
        "select row_number, record_id, reason from raw.quarantine where file_name = ? order by row_number",
        [file_name],
    ).fetchall()


def counts(con) -> dict[str, int]:
    tables = ("raw.regions", "raw.accidents", "raw.quarantine", "raw.files")
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


# --- one row per defect ------------------------------------------------------------------------------------


def test_defects_summary(con):
    assert load_paths(con, [FIXTURES / "defects"], now=NOW) == [
        FileSummary("regions.csv", "regions", "loaded", rows_total=5, rows_new=5),
        FileSummary("accidents_defects.csv", "accidents", "loaded", rows_total=14, rows_new=3, rows_quarantined=11),
    ]


def test_defects_accepted_rows(con):
    load_paths(con, [FIXTURES / "defects"], now=NOW)
    assert accident_rows(con) == [
        # missing is NULL: the file has no 失踪人数 column at all (a blank cell would be 0).
        (
            "A01",
            datetime(2025, 3, 1, 8, 30),
            datetime(2025, 3, 1, 9, 0),
            "990121100",
            "road_traffic",
            None,
            None,
            "91350100M000100Y43",
            1,
            None,
            0,
            2,
            Decimal("5000.00"),
            None,
            None,
            None,
            None,
            2,
        ),
        # region_code blank, 城关镇 is one region in the reference
        (
            "A09",
            datetime(2025, 3, 10, 14, 5),
            None,
            "990121100",
            "fire",
            None,
            None,
            None,
            0,
            None,
            0,
            0,
            None,
            None,
            None,
            None,
            None,
            11,
        ),
        # 2025/3/13, 消防火灾 -> fire, deaths 无 -> 0, injuries blank -> 0, "1,234.56" yuan
        (
            "A13",
            datetime(2025, 3, 13, 0, 0),
            None,
            "990122",
            "fire",
            None,
            None,
            None,
            0,
            None,
            0,
            0,
            Decimal("1234.56"),
            None,
            None,
            None,
            None,
            15,
        ),
    ]


def test_defects_quarantine(con):
    load_paths(con, [FIXTURES / "defects"], now=NOW)
    assert quarantine_rows(con, "accidents_defects.csv") == [
        (3, "A02", "死亡人数“-1”不能为负数 / deaths '-1' must not be negative"),
        (4, "A03", "行政区划代码“990121999”不在区划表中 / region_code '990121999' is not in the region reference"),
        (
            5,
            "A04",
            "发生时间“2025-02-30”不是可识别的日期时间 / occurred_at '2025-02-30' is not a recognisable date or time",
        ),
        (
            6,
            "A05",
            "统一社会信用代码“91350100M000100Y44”校验位不符 / credit_code '91350100M000100Y44' is not a valid "
            "unified social credit code (GB 32100)",
        ),
        (
            7,
            "A06",
            "受伤人数少于重伤人数(受伤人数应包含重伤)(受伤人数1,重伤人数2) / injuries is less than serious_injuries "
            "(injuries include serious ones) (1 < 2)",
        ),
        (
            8,
            "A07",
            "报告时间早于发生时间(报告时间2025-03-07 07:00,发生时间2025-03-07 08:00) / "
            "reported_at is before occurred_at (2025-03-07 07:00 < 2025-03-07 08:00)",
        ),
        (9, "A08", "行业领域“飞机”不是认可的分类 / industry '飞机' is not a known industries code"),
        (10, "A01", "事故编号“A01”在本文件中重复(第2行已有) / accident_id 'A01' repeats row 2 of this file"),
        # 江北街道 is both 990121101 (青山县) and 990122100 (白水区)
        (
            12,
            "A10",
            "行政区划代码为空,且发生地“江北街道”在区划表中找不到或不唯一 / region name '江北街道' is not in the "
            "region reference or is ambiguous",
        ),
        (
            13,
            "A11",
            "行政区划代码为空,且发生地“不存在镇”在区划表中找不到或不唯一 / region name '不存在镇' is not in the "
            "region reference or is ambiguous",
        ),
        (14, "A12", "发生时间“2026-01-02”晚于当前时间 / occurred_at '2026-01-02' is in the future"),
    ]


def test_defects_quarantine_lineage(con):
    load_paths(con, [FIXTURES / "defects"], now=NOW)
    assert con.execute("select distinct load_id, source, quarantined_at from raw.quarantine").fetchall() == [
        (2, "accidents", NOW)
    ]


def test_second_load_of_the_same_folder_changes_nothing(con):
    load_paths(con, [FIXTURES / "defects"], now=NOW)
    before = counts(con)
    assert before == {"raw.regions": 5, "raw.accidents": 3, "raw.quarantine": 11, "raw.files": 2}
    assert load_paths(con, [FIXTURES / "defects"], now=NOW) == [
        FileSummary("regions.csv", None, "unchanged"),
        FileSummary("accidents_defects.csv", None, "unchanged"),
    ]
    assert counts(con) == before


@pytest.mark.parametrize(
    ("file_name", "raw_values"),
    [
        (
            "事故_负数.csv",
            {
                "事故编号": "N2",
                "发生时间": "2025-03-02",
                "行政区划代码": "990121100",
                "行业领域": "火灾",
                "死亡人数": "-1",
                "受伤人数": "0",
            },
        ),
        pytest.param(
            "accidents_negative.csv",
            {
                "accident_id": "N1",
                "occurred_at": "2025-03-02",
                "region_code": "990121100",
                "industry": "火灾",
                "deaths": "-1",
                "injuries": "0",
            },
        ),
    ],
)
def test_quarantine_keeps_the_row_as_written(con, file_name, raw_values):
    load_paths(con, [FIXTURES / "raw_values"], now=NOW)
    stored = con.execute("select raw_values from raw.quarantine where file_name = ?", [file_name]).fetchall()
    assert [json.loads(r[0]) for r in stored] == [raw_values]


# --- a clean file with every field, in every encoding ------------------------------------------------------

CLEAN_ROWS = [
    # region by name 城关镇; 2025年1月3日8时0分; 02 -> vehicle_injury; lower-case credit code stored upper case;
    # 失踪人数 无 -> 0; 0.5 万元
    (
        "C1",
        datetime(2025, 1, 3, 8, 0),
        datetime(2025, 1, 3, 8, 30),
        "990121100",
        "road_traffic",
        "vehicle_injury",
        "青山运输公司",
        "91350100M000100Y43",
        1,
        0,
        0,
        2,
        Decimal("5000.00"),
        "general",
        False,
        False,
        "两车相撞",
        2,
    ),
    # 消防火灾 -> fire, accident type 火灾 -> fire; blank count -> 0, blank money/bool/text -> NULL
    (
        "C2",
        datetime(2025, 2, 10, 7, 45),
        None,
        "990121101",
        "fire",
        "fire",
        None,
        None,
        0,
        0,
        0,
        0,
        None,
        None,
        None,
        None,
        None,
        3,
    ),
    # 2025.3.5; 危化品; "1,234.5" 万元; 较大事故 -> larger; 是否瞒报 是
    (
        "C3",
        datetime(2025, 3, 5, 0, 0),
        None,
        "990121",
        "hazardous_chemicals",
        "poisoning_asphyxiation",
        "青山化工厂",
        "91110000100000000R",
        3,
        1,
        2,
        5,
        Decimal("12345000.00"),
        "larger",
        False,
        True,
        "储罐泄漏",
        4,
    ),
    # Excel serial 45658.75 = 2025-01-01 18:00; type 9 -> fall_from_height; — -> 0; 0.000001 万元 = one fen
    (
        "C4",
        datetime(2025, 1, 1, 18, 0),
        None,
        "990122100",
        "construction",
        "fall_from_height",
        None,
        None,
        0,
        0,
        0,
        1,
        Decimal("0.01"),
        None,
        True,
        None,
        None,
        5,
    ),
]


def test_clean_file_typed_values(con):
    assert load_paths(con, [FIXTURES / "clean"], now=NOW) == [
        FileSummary("regions.csv", "regions", "loaded", rows_total=5, rows_new=5),
        FileSummary("accidents_2025.csv", "accidents", "loaded", rows_total=4, rows_new=4),
    ]
    assert accident_rows(con) == CLEAN_ROWS
    assert con.execute("select count(*) from raw.quarantine").fetchone()[0] == 0


def _write_variant(variant: str, folder: Path) -> str:
    source = FIXTURES / "clean" / "accidents_2025.csv"
    text = source.read_text(encoding="utf-8")
    if variant == "xlsx":
        pl.read_csv(source, infer_schema=False).write_excel(folder / "事故_2025.xlsx")
        return "事故_2025.xlsx"
    data = {
        "utf-8": text.encode("utf-8"),
        "utf-8-sig": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gbk": text.encode("gbk"),
    }[variant]
    (folder / "事故_2025.csv").write_bytes(data)
    return "事故_2025.csv"


@pytest.mark.parametrize(
    ("variant", "encoding"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("xlsx", "xlsx:Sheet1")],
)
def test_same_content_in_other_encodings_and_xlsx(tmp_path, variant, encoding):
    landing = tmp_path / "landing"
    landing.mkdir()
    shutil.copy(FIXTURES / "clean" / "regions.csv", landing / "regions.csv")
    file_name = _write_variant(variant, landing)
    with duckdb.connect(str(tmp_path / f"{variant}.duckdb")) as fresh:
        summaries = load_paths(fresh, [landing], now=NOW)
        assert summaries[1] == FileSummary(file_name, "accidents", "loaded", rows_total=4, rows_new=4)
        assert accident_rows(fresh) == CLEAN_ROWS
        assert fresh.execute("select encoding from raw.files where file_name = ?", [file_name]).fetchall() == [
            (encoding,)
        ]


def test_xlsx_with_native_date_and_number_cells(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    shutil.copy(FIXTURES / "clean" / "regions.csv", landing / "regions.csv")
    workbook = xlsxwriter.Workbook(str(landing / "accidents_native.xlsx"))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["事故编号", "发生时间", "行政区划代码", "行业领域", "死亡人数", "直接经济损失(万元)"])
    sheet.write_string(1, 0, "X1")
    sheet.write_datetime(1, 1, datetime(2025, 1, 3, 8, 5), workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    sheet.write_number(1, 2, 990121100)
    sheet.write_string(1, 3, "道路交通")
    sheet.write_number(1, 4, 2)
    sheet.write_number(1, 5, 0.5)
    workbook.close()
    with duckdb.connect(str(tmp_path / "native.duckdb")) as fresh:
        load_paths(fresh, [landing], now=NOW)
        assert accident_rows(fresh) == [
            (
                "X1",
                datetime(2025, 1, 3, 8, 5),
                None,
                "990121100",
                "road_traffic",
                None,
                None,
                None,
                2,
                None,
                None,
                None,
                Decimal("5000.00"),
                None,
                None,
                None,
                None,
                2,
            ),
        ]


# --- revisions ---------------------------------------------------------------------------------------------


def test_resend_one_identical_and_one_changed_row(con):
    load_paths(con, [FIXTURES / "clean"], now=NOW)
    assert load_paths(con, [FIXTURES / "resend"], now=NOW) == [
        FileSummary("accidents_2025_补报.csv", "accidents", "loaded", rows_total=2, rows_revised=1, rows_unchanged=1),
    ]
    revisions = con.execute(
        "select accident_id, _load_id, _file_name, _row_number, deaths, missing, injuries from raw.accidents "
        "where accident_id in ('C2', 'C3') order by accident_id, _load_id"
    ).fetchall()
    assert revisions == [
        ("C2", 2, "accidents_2025.csv", 3, 0, 0, 0),  # the identical re-send is not stored again
        ("C3", 2, "accidents_2025.csv", 4, 3, 1, 5),  # the first revision is kept …
        ("C3", 3, "accidents_2025_补报.csv", 3, 4, 0, 6),  # … next to the new one
    ]
    assert con.execute("select count(*) from raw.accidents").fetchone()[0] == 5
    assert con.execute(
        "select file_name, status, rows_total, rows_new, rows_revised, rows_unchanged, rows_quarantined "
        "from raw.files where load_id = 3"
    ).fetchall() == [("accidents_2025_补报.csv", "loaded", 2, 0, 1, 1, 0)]


# --- files that cannot be read -----------------------------------------------------------------------------

EMPTY_REASON = "文件是空的 / the file is empty"
GARBAGE_REASON = "文件编码无法识别(应为UTF-8或GBK) / encoding not recognised (expected UTF-8 or GBK)"


def test_unreadable_files_are_rejected(con):
    assert load_paths(con, [FIXTURES / "unreadable"], now=NOW) == [
        FileSummary("accidents_empty.csv", None, "rejected", reason=EMPTY_REASON),
        FileSummary("accidents_garbage.csv", None, "rejected", reason=GARBAGE_REASON),
    ]
    assert con.execute(
        "select load_id, source, file_name, row_number, record_id, reason, raw_values from raw.quarantine "
        "order by load_id"
    ).fetchall() == [
        (1, None, "accidents_empty.csv", None, None, EMPTY_REASON, None),
        (2, None, "accidents_garbage.csv", None, None, GARBAGE_REASON, None),
    ]
    assert con.execute("select file_name, status, reason, rows_total from raw.files order by load_id").fetchall() == [
        ("accidents_empty.csv", "rejected", EMPTY_REASON, 0),
        ("accidents_garbage.csv", "rejected", GARBAGE_REASON, 0),
    ]
    assert con.execute("select count(*) from raw.accidents").fetchone()[0] == 0


# --- amounts too large to store ----------------------------------------------------------------------------


def test_amount_too_large_is_quarantined_not_a_crash(con):
    summaries = load_paths(con, [FIXTURES / "overflow"], now=NOW)
    assert summaries[1] == FileSummary(
        "accidents_overflow.csv", "accidents", "loaded", rows_total=2, rows_new=1, rows_quarantined=1
    )
    assert con.execute("select accident_id, direct_loss from raw.accidents").fetchall() == [
        ("O1", Decimal("9999999999999999.99")),
    ]
    [(row_number, record_id, reason)] = quarantine_rows(con, "accidents_overflow.csv")
    assert (row_number, record_id) == (3, "O2")
    # The wording of the new reason is the fixer's to choose; its form is the usual one.
    assert reason.startswith("直接经济损失“10000000000000000”")
    assert " / direct_loss '10000000000000000' " in reason
