"""reader: decoding, telling the source, and mapping headers to contract fields."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ingest.contract import ACCIDENTS, REGIONS
from ingest.reader import Decoded, FileError, decode, detect_source, map_columns, read_source_table

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = "事故编号,死亡人数\nA1,3\n"


# --- decode ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), Decoded(TEXT, "utf-8")),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), Decoded(TEXT, "utf-8-sig")),  # the BOM is dropped
        (TEXT.encode("gbk"), Decoded(TEXT, "gb18030")),
        (b"accident_id\nA1\n", Decoded("accident_id\nA1\n", "utf-8")),
        # one line of three with a byte of neither encoding: decoded as the others are, that byte marked
        ((TEXT + "A2,1\n").encode("gbk").replace(b"A2", b"A\xff"), Decoded(TEXT + "A\ufffd,1\n", "gb18030", True)),
        ((TEXT + "A2,1\n").encode("utf-8").replace(b"A2", b"A\xff"), Decoded(TEXT + "A\ufffd,1\n", "utf-8", True)),
    ],
)
def test_decode(data, expected):
    assert decode(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x80\x81garbage\x80",
        TEXT.encode("gbk").replace(b",", b"\xff,"),  # the header line itself
        b"a\n\xff1\n\xff2\n",  # most lines
    ],
)
def test_decode_undecodable_bytes(data):
    with pytest.raises(FileError) as caught:
        decode(data)
    assert str(caught.value) == "文件编码无法识别(应为UTF-8或GBK) / encoding not recognised (expected UTF-8 or GBK)"


# --- detect_source -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("accidents.csv", "accidents"),
        ("accidents_2024.csv", "accidents"),
        ("Accidents-Q1.xlsx", "accidents"),
        ("ＡＣＣＩＤＥＮＴＳ_2024.csv", "accidents"),
        ("事故.csv", "accidents"),
        ("事故_2025_补报.xlsx", "accidents"),
        ("regions.csv", "regions"),
        ("REGIONS_2024.xlsx", "regions"),
        ("区划.csv", "regions"),
        ("区划代码表.xlsx", "regions"),
    ],
)
def test_detect_source_by_file_name(file_name, expected):
    # The name wins over the header row.
    assert detect_source(Path("landing") / file_name, ["区划代码", "名称", "事故编号"]).name == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["区划代码", "名称", "级别", "上级代码"], "regions"),
        (["region_code", "name", "level"], "regions"),
        (["事故编号", "发生时间", "发生地", "行业领域", "死亡人数"], "accidents"),
        (["Accident_ID", "occurred_at", "region_name", "industry", "deaths"], "accidents"),
    ],
)
def test_detect_source_by_header_row(headers, expected):
    assert detect_source(Path("2024年报表.csv"), headers).name == expected


@pytest.mark.parametrize(
    "headers",
    [
        ["事故编号", "发生时间", "行政区划代码", "行业领域", "死亡人数"],
        ["accident_id", "occurred_at", "region_code", "industry", "deaths"],
    ],
)
def test_detect_source_by_header_row_accidents_with_region_code(headers):
    assert detect_source(Path("data.csv"), headers).name == "accidents"


def test_detect_source_nothing_telling():
    with pytest.raises(FileError) as caught:
        detect_source(Path("data.csv"), ["编号", "日期", "备注"])
    assert str(caught.value) == (
        "无法从文件名或表头判断数据类别 / cannot tell the source from the file name or the header row"
    )


# --- map_columns -------------------------------------------------------------------------------------------


def mapped(source, headers):
    return [(c.header, c.field.name, c.factor) for c in map_columns(source, headers)]


def test_map_columns_chinese_headers():
    assert mapped(ACCIDENTS, ["事故编号", "发生时间", "行政区划代码", "行业领域", "死亡人数", "直接经济损失"]) == [
        ("事故编号", "accident_id", 1),
        ("发生时间", "occurred_at", 1),
        ("行政区划代码", "region_code", 1),
        ("行业领域", "industry", 1),
        ("死亡人数", "deaths", 1),
        ("直接经济损失", "direct_loss", 1),
    ]


def test_map_columns_english_headers_any_case_and_width():
    assert mapped(ACCIDENTS, ["accident_id", "Occurred_At", "ＲＥＧＩＯＮ＿ＣＯＤＥ", "industry", "DEATHS"]) == [
        ("accident_id", "accident_id", 1),
        ("Occurred_At", "occurred_at", 1),
        ("ＲＥＧＩＯＮ＿ＣＯＤＥ", "region_code", 1),
        ("industry", "industry", 1),
        ("DEATHS", "deaths", 1),
    ]


def test_map_columns_aliases_and_extra_columns():
    headers = [
        "事故编号",
        "事故发生时间",
        "接报时间",
        "区划代码",
        "行业类别",
        "死亡人数",
        "下落不明人数",
        "瞒报谎报",
        "事故简况",
        "备注",
    ]
    assert mapped(ACCIDENTS, headers) == [
        ("事故编号", "accident_id", 1),
        ("事故发生时间", "occurred_at", 1),
        ("接报时间", "reported_at", 1),
        ("区划代码", "region_code", 1),
        ("行业类别", "industry", 1),
        ("死亡人数", "deaths", 1),
        ("下落不明人数", "missing", 1),
        ("瞒报谎报", "concealed", 1),
        ("事故简况", "description", 1),
    ]  # 备注 is not a contract field: left out


@pytest.mark.parametrize(
    ("header", "field", "factor"),
    [
        ("直接经济损失（万元）", "direct_loss", 10_000),
        ("直接经济损失(万元)", "direct_loss", 10_000),
        ("直接经济损失【万元】", "direct_loss", 10_000),
        ("直接经济损失(元)", "direct_loss", 1),
        ("直接经济损失(亿元)", "direct_loss", 100_000_000),
        ("direct_loss (Yuan)", "direct_loss", 1),
        ("Direct_Loss [10k yuan]", "direct_loss", 10_000),
        ("死亡人数(人)", "deaths", 1),
        ("受伤人数（人）", "injuries", 1),
    ],
)
def test_map_columns_unit_factor(header, field, factor):
    headers = ["事故编号", "发生时间", "行政区划代码", "行业领域", "死亡人数", header]
    if field == "deaths":
        headers.remove("死亡人数")
    assert (header, field, factor) in mapped(ACCIDENTS, headers)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "直接经济损失(美元)",
            "列“直接经济损失(美元)”的单位“美元”无法识别 / unit '美元' of column '直接经济损失(美元)' is not recognised",
        ),
        (
            "直接经济损失（千元）",
            "列“直接经济损失（千元）”的单位“千元”无法识别 / unit '千元' of column '直接经济损失（千元）' "
            "is not recognised",
        ),
        (
            "受伤人数(万元)",
            "列“受伤人数(万元)”的单位“万元”无法识别 / unit '万元' of column '受伤人数(万元)' is not recognised",
        ),
        ("简要经过(人)", "列“简要经过(人)”的单位“人”无法识别 / unit '人' of column '简要经过(人)' is not recognised"),
    ],
)
def test_map_columns_unknown_unit(header, message):
    with pytest.raises(FileError) as caught:
        map_columns(ACCIDENTS, ["事故编号", "发生时间", "行政区划代码", "行业领域", "死亡人数", header])
    assert str(caught.value) == message


def test_map_columns_duplicate_column():
    with pytest.raises(FileError) as caught:
        map_columns(ACCIDENTS, ["事故编号", "发生时间", "行政区划代码", "行业领域", "死亡人数", "deaths"])
    assert str(caught.value) == "列“死亡人数”出现了两次 / column 'deaths' appears twice"


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (
            ["事故编号", "发生时间", "行政区划代码", "行业领域"],
            "缺少必填列“死亡人数” / required column 'deaths' is missing",
        ),
        (
            ["发生时间", "行政区划代码", "行业领域", "死亡人数"],
            "缺少必填列“事故编号” / required column 'accident_id' is missing",
        ),
        (
            ["事故编号", "发生时间", "行业领域", "死亡人数"],
            "缺少必填列“行政区划代码” / required column 'region_code' is missing",
        ),
        # Another register sent under an accidents name: every missing column is named.
        (
            ["处罚编号", "行政区划代码", "罚款金额"],
            "缺少必填列“事故编号”、“发生时间”、“行业领域”、“死亡人数” / "
            "required columns 'accident_id', 'occurred_at', 'industry', 'deaths' are missing",
        ),
    ],
)
def test_map_columns_missing_required(headers, message):
    with pytest.raises(FileError) as caught:
        map_columns(ACCIDENTS, headers)
    assert str(caught.value) == message


def test_map_columns_missing_required_reference_column():
    with pytest.raises(FileError) as caught:
        map_columns(REGIONS, ["区划代码", "名称"])
    assert str(caught.value) == "缺少必填列“级别” / required column 'level' is missing"


@pytest.mark.parametrize("name_header", ["发生地", "所在乡镇", "region_name"])
def test_map_columns_region_name_stands_in_for_region_code(name_header):
    assert mapped(ACCIDENTS, ["事故编号", "发生时间", name_header, "行业领域", "死亡人数"]) == [
        ("事故编号", "accident_id", 1),
        ("发生时间", "occurred_at", 1),
        (name_header, "region_name", 1),
        ("行业领域", "industry", 1),
        ("死亡人数", "deaths", 1),
    ]


# --- read_source_table -------------------------------------------------------------------------------------


def test_read_source_table_strings_and_row_numbers():
    table = read_source_table(FIXTURES / "clean" / "accidents_2025.csv")
    assert table.source is ACCIDENTS
    assert table.encoding == "utf-8"
    assert table.frame["_row_number"].to_list() == [2, 3, 4, 5]
    assert table.frame["事故编号"].to_list() == ["C1", "C2", "C3", "C4"]
    assert table.frame["失踪人数"].to_list() == ["无", None, "1", "—"]
    assert all(dtype == pl.String for name, dtype in table.frame.schema.items() if name != "_row_number")
    assert [(c.header, c.factor) for c in table.columns if c.factor != 1] == [("直接经济损失(万元)", 10_000)]


def test_read_source_table_repeated_header_is_a_duplicate_column():
    with pytest.raises(FileError) as caught:
        read_source_table(FIXTURES / "reader" / "accidents_duplicate_header.csv")
    assert str(caught.value) == "列“死亡人数”出现了两次 / column 'deaths' appears twice"
