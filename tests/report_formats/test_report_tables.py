"""report.tables: the standard tables laid out from a hand-written report document."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from report.tables import Kind, Labels, Number, caption, format_cell, standard_tables
from tests.report_formats.donghu import REPORT

LABELS = Labels.from_code_lists()


def first_column(block) -> list[str]:
    return [row[0] for row in block.rows]


def test_labels_come_from_the_code_lists():
    assert LABELS.industries["road_traffic"] == "道路交通"
    assert LABELS.industry_groups["industrial"] == "工矿商贸"
    assert LABELS.industry_group_of["coal_mining"] == "industrial"
    assert LABELS.grades["especially_major"] == "特别重大"
    assert LABELS.hazards["geological"] == "地质灾害"
    assert LABELS.programs["transitional"] == "过渡期生活救助"
    assert LABELS.fund_sources["prefecture"] == "州市级"


def test_titles_and_captions():
    tables = standard_tables(REPORT, LABELS)
    assert [t.title for t in tables] == [
        "事故分行业统计表",
        "事故分乡镇统计表",
        "执法检查统计表",
        "救灾资金发放统计表",
        "自然灾害灾情统计表",
        "主要指标",
    ]
    assert {t.caption for t in tables} == {
        "东湖县 2025年1月1日至5月31日，去年同期 2024年1月1日至5月31日，数据截至 2025-06-10"
    }


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"as_of": None}, "东湖县 2025年1月1日至5月31日，去年同期 2024年1月1日至5月31日"),
        (
            {"comparison_as_of": "2024-06-10"},
            "东湖县 2025年1月1日至5月31日，去年同期 2024年1月1日至5月31日，数据截至 2025-06-10（去年同期数据截至 2024-06-10）",
        ),
        (
            {
                "as_of": None,
                "period": {"from": "2024-12-01", "to": "2025-02-28"},
                "comparison_period": {"from": "2023-12-01", "to": "2024-02-29"},
            },
            "东湖县 2024年12月1日至2025年2月28日，去年同期 2023年12月1日至2024年2月29日",
        ),
        (
            {
                "as_of": None,
                "period": {"from": "2025-05-31", "to": "2025-05-31"},
                "comparison_period": {"from": "2024-05-31", "to": "2024-05-31"},
            },
            "东湖县 2025年5月31日，去年同期 2024年5月31日",
        ),
    ],
)
def test_caption(changes, expected):
    assert caption({**REPORT, **changes}) == expected


def test_industries_nest_under_groups_of_several():
    industries, others = standard_tables(REPORT, LABELS)[0].blocks
    # 道路交通 is a group by itself: once. 工矿商贸, 其他交通, 其他 hold several industries: the group, then 其中.
    assert first_column(industries) == [
        "合计",
        "道路交通",
        "工矿商贸",
        "其中：建筑施工",
        "其中：工贸",
        "其他交通",
        "其中：水上交通",
        "其他",
        "其中：其他",
    ]
    assert industries.rows[2][1:5] == (
        Number(3, Kind.COUNT),
        Number(4, Kind.COUNT),
        Number(-1, Kind.COUNT, True),
        Number(Decimal("-25.00"), Kind.PERCENT, True),
    )
    assert first_column(others) == [
        "重伤人数",
        "直接经济损失(万元)",
        "一般事故起数",
        "较大事故起数",
        "重大事故起数",
        "特别重大事故起数",
    ]


def test_an_industry_whose_group_is_missing_is_still_shown():
    report = {**REPORT, "by_industry_group": {}}
    industries = standard_tables(report, LABELS)[0].blocks[0]
    assert first_column(industries) == ["合计", "道路交通", "建筑施工", "工贸", "水上交通", "其他"]


@pytest.mark.parametrize(
    ("code", "title", "first_header"),
    [
        ("990124", "事故分乡镇统计表", "乡镇"),
        ("990100", "事故分区县统计表", "区县"),
        ("990000", "事故分市州统计表", "市州"),
    ],
)
def test_subregion_table_names_the_level_below(code, title, first_header):
    report = {**REPORT, "region": {"code": code, "name": "东湖县"}}
    table = standard_tables(report, LABELS)[1]
    assert (table.title, table.blocks[0].headers[0]) == (title, first_header)
    assert first_column(table.blocks[0]) == ["合计", "东湖镇", "柳塘镇", "石桥乡"]


def test_rectification_rate_changes_in_points_without_a_percent():
    block = standard_tables(REPORT, LABELS)[2].blocks[0]
    row = next(r for r in block.rows if r[0] == "整改率(%)")
    assert [format_cell(c) for c in row] == ["整改率(%)", "92.86", "80.00", "+12.86个百分点", ""]


@pytest.mark.parametrize(
    ("value", "previous", "note"),
    [
        (None, Decimal("0.5"), "本期基数缺失"),
        (Decimal("0.5"), None, "去年同期基数缺失"),
        (None, None, "基数缺失"),
        (Decimal("0.5"), Decimal("0.5"), ""),
    ],
)
def test_a_null_rate_says_its_base_is_missing(value, previous, note):
    report = copy.deepcopy(REPORT)
    change = None if value is None or previous is None else Decimal("0.0")
    report["rates"]["road_deaths_per_10k_vehicles"] = {
        "value": value,
        "previous": previous,
        "change": change,
        "change_pct": None,
    }
    row = next(r for r in standard_tables(report, LABELS)[5].blocks[0].rows if r[0] == "道路交通万车死亡率")
    assert row[-1] == note


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        (Number(12, Kind.COUNT), "12"),
        (Number(3, Kind.COUNT, signed=True), "+3"),
        (Number(-2, Kind.COUNT, signed=True), "-2"),
        (Number(0, Kind.COUNT, signed=True), "0"),
        # every other number with the digits the document gives it, trailing zeros included
        (Number(Decimal("8.60"), Kind.AMOUNT), "8.60"),
        (Number(Decimal("0.00"), Kind.AMOUNT, signed=True), "0.00"),
        (Number(Decimal("-33.85"), Kind.AMOUNT, signed=True), "-33.85"),
        (Number(Decimal("100.00"), Kind.PERCENT, signed=True), "+100.00"),
        (Number(Decimal("10.5"), Kind.PERCENT, signed=True), "+10.5"),  # --decimals 1
        (Number(None, Kind.PERCENT, signed=True), "—"),
        (Number(Decimal("0.00001234"), Kind.RATE), "0.00001234"),
        (Number(Decimal("1.234E-5"), Kind.RATE), "0.00001234"),  # never 1.234E-5
        (Number(Decimal("9.0"), Kind.RATE), "9.0"),
        (Number(Decimal("0.03000"), Kind.RATE), "0.03000"),
        (Number(Decimal("2.000"), Kind.RATE), "2.000"),
        (Number(Decimal("0E-4"), Kind.RATE), "0.0000"),
        (Number(Decimal("-0.1200"), Kind.RATE, signed=True, unit="个千分点"), "-0.1200个千分点"),
        ("其中：工贸", "其中：工贸"),
    ],
)
def test_format_cell(cell, shown):
    assert format_cell(cell) == shown
