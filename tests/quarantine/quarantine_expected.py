"""What the fixture files must come back as, worked out by hand from the files and the data contract."""

from __future__ import annotations

import hashlib
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

E2_REASON = "行政区划代码“990121999”不在区划表中 / region_code '990121999' is not in the region reference"
E3_REASON = "死亡人数“-1”不能为负数 / deaths '-1' must not be negative"
# Two defects in one row, joined the way the loader joins them.
E4_REASON = (
    "发生时间“2025-02-30”不是可识别的日期时间 / occurred_at '2025-02-30' is not a recognisable date or time"
    "；行业领域“飞机”不是认可的分类 / industry '飞机' is not a known industries code"
)
EMPTY_REASON = "文件是空的 / the file is empty"
Z2_REASON = (
    "发生时间“2025年2月30日”不是可识别的日期时间 / occurred_at '2025年2月30日' is not a recognisable date or time"
)
Z3_REASON = "发生时间“2026-02-01”晚于当前时间 / occurred_at '2026-02-01' is in the future"
Z4_REASON = "死亡人数“-2”不能为负数 / deaths '-2' must not be negative"
E5_REASON = (
    "受伤人数少于重伤人数(受伤人数应包含重伤)(受伤人数1,重伤人数3) / injuries is less than serious_injuries "
    "(injuries include serious ones) (1 < 3)"
)

ENGLISH_HEADERS = [
    "accident_id",
    "occurred_at",
    "region_code",
    "industry",
    "deaths",
    "injuries",
    "serious_injuries",
    "direct_loss",
]
CHINESE_HEADERS = [
    "事故编号",
    "发生时间",
    "行政区划代码",
    "行业领域",
    "死亡人数",
    "受伤人数",
    "直接经济损失(万元)",
    "备注",
]

# (load_id, source, file, row_number, record_id, reason, the row's cells as written, in the file's column order).
# Load ids follow discovery: the region reference first (1), then by path. Blank cells are None.
LANDING_ROWS = [
    (
        2,
        "accidents",
        "accidents_2025.csv",
        3,
        "E2",
        E2_REASON,
        ["E2", "2025-03-02", "990121999", "fire", "0", "0", "0", None],
    ),
    # "007" and "1200.50" stay as written: nothing is re-typed.
    (
        2,
        "accidents",
        "accidents_2025.csv",
        4,
        "E3",
        E3_REASON,
        ["E3", "2025-03-03", "990121100", "fire", "-1", "007", "0", "1200.50"],
    ),
    (
        2,
        "accidents",
        "accidents_2025.csv",
        5,
        "E4",
        E4_REASON,
        ["E4", "2025-02-30", "990121100", "飞机", "0", "0", "0", None],
    ),
    (3, None, "accidents_empty.csv", None, None, EMPTY_REASON, None),
    # The id is trimmed, the cell keeps the clerk's spaces.
    (
        4,
        "accidents",
        "事故_2025.csv",
        3,
        "Z2",
        Z2_REASON,
        [" Z2 ", "2025年2月30日", "990121100", "火灾", "0", "0", None, "补报"],
    ),
    (
        4,
        "accidents",
        "事故_2025.csv",
        4,
        "Z3",
        Z3_REASON,
        ["Z3", "2026-02-01", "990121101", "工贸", "无", "2", "1,234.5", "夜间"],
    ),
    (
        4,
        "accidents",
        "事故_2025.csv",
        5,
        "Z4",
        Z4_REASON,
        ["Z4", "2025-03-06", "990121100", "建筑施工", "-2", "0", None, None],
    ),
]
RESEND_ROWS = [
    (
        5,
        "accidents",
        "accidents_2025.csv",
        3,
        "E5",
        E5_REASON,
        ["E5", "2025-03-05", "990121100", "fire", "0", "1", "3", None],
    ),
]


def headers_of(file_name: str) -> list[str]:
    return CHINESE_HEADERS if file_name.startswith("事故") else ENGLISH_HEADERS


def raw_values(file_name: str, cells: list[str | None] | None) -> dict[str, str | None]:
    return {} if cells is None else dict(zip(headers_of(file_name), cells, strict=True))


def sha256(folder: str, file_name: str) -> str:
    return hashlib.sha256((FIXTURES / folder / file_name).read_bytes()).hexdigest()
