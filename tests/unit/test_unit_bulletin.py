"""emstat.bulletin: the sentence statisticians publish, every form of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from emstat.bulletin import Figure, IndustryLine, bulletin_sentence, comparison_clause, period_phrase


NO_MISSING = Figure(0, 0, None)


def figures(accidents: Figure, deaths: Figure, injuries: Figure, missing: Figure = NO_MISSING) -> dict[str, Figure]:
    return {"accidents": accidents, "deaths": deaths, "missing": missing, "injuries": injuries}


# 120 vs 134: -14/134 = -10.447…%; 8 vs 10: -20%; 40 vs 44: -4/44 = -9.0909…%
ALL_DOWN = figures(Figure(120, 134, Decimal("-10.45")), Figure(8, 10, Decimal("-20.00")),
                   Figure(40, 44, Decimal("-9.09")))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (ALL_DOWN, "与去年同期相比分别下降10.45%、20.00%、9.09%"),
        # 134 vs 120: 14/120 = 11.666…%; 10 vs 8: 25%; 44 vs 40: 10%
        (figures(Figure(134, 120, Decimal("11.67")), Figure(10, 8, Decimal("25.00")), Figure(44, 40, Decimal("10.00"))),
         "与去年同期相比分别上升11.67%、25.00%、10.00%"),
        # 5 vs 4: +25%; 1 vs 3: -66.666…%; 3 vs 3: flat
        (figures(Figure(5, 4, Decimal("25.00")), Figure(1, 3, Decimal("-66.67")), Figure(3, 3, Decimal("0.00"))),
         "与去年同期相比，起数上升25.00%，死亡人数下降66.67%，受伤人数持平"),
        # zero base: no percentage, the increase in units; 0 vs 0 is flat
        (figures(Figure(2, 1, Decimal("100.00")), Figure(0, 0, None), Figure(3, 0, None)),
         "与去年同期相比，起数上升100.00%，死亡人数持平，受伤人数同比增加3人"),
        (figures(Figure(2, 0, None), Figure(1, 0, None), Figure(3, 0, None)),
         "与去年同期相比，起数同比增加2起，死亡人数同比增加1人，受伤人数同比增加3人"),
        # down and flat mixed: one clause per figure
        (figures(Figure(3, 4, Decimal("-25.00")), Figure(1, 1, Decimal("0.00")), Figure(2, 2, Decimal("0.00"))),
         "与去年同期相比，起数下降25.00%，死亡人数持平，受伤人数持平"),
        (figures(Figure(5, 5, Decimal("0.00")), Figure(1, 1, Decimal("0.00")), Figure(0, 0, None)),
         "与去年同期持平"),
        # missing persons this year or last: a fourth figure, after the deaths, in every form
        (figures(Figure(120, 134, Decimal("-10.45")), Figure(8, 10, Decimal("-20.00")),
                 Figure(40, 44, Decimal("-9.09")), missing=Figure(1, 4, Decimal("-75.00"))),
         "与去年同期相比分别下降10.45%、20.00%、75.00%、9.09%"),
        (figures(Figure(3, 4, Decimal("-25.00")), Figure(1, 2, Decimal("-50.00")), Figure(2, 3, Decimal("-33.33")),
                 missing=Figure(2, 0, None)),
         "与去年同期相比，起数下降25.00%，死亡人数下降50.00%，失踪人数同比增加2人，受伤人数下降33.33%"),
        (figures(Figure(3, 3, Decimal("0.00")), Figure(1, 1, Decimal("0.00")), Figure(2, 2, Decimal("0.00")),
                 missing=Figure(0, 2, Decimal("-100.00"))),
         "与去年同期相比，起数持平，死亡人数持平，失踪人数下降100.00%，受伤人数持平"),
        (figures(Figure(3, 3, Decimal("0.00")), Figure(1, 1, Decimal("0.00")), Figure(2, 2, Decimal("0.00")),
                 missing=Figure(2, 2, Decimal("0.00"))),
         "与去年同期持平"),
    ],
)
def test_comparison_clause(given, expected):
    assert comparison_clause(given) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 1, 1), date(2025, 5, 31), "截至5月31日"),  # year to date
        (date(2024, 1, 1), date(2024, 6, 30), "截至6月30日"),
        (date(2025, 3, 1), date(2025, 5, 31), "3月1日至5月31日"),
        (date(2025, 1, 2), date(2025, 1, 31), "1月2日至1月31日"),
        (date(2024, 12, 1), date(2025, 2, 28), "2024年12月1日至2025年2月28日"),
        (date(2025, 6, 1), date(2025, 6, 1), "6月1日"),  # a month in progress on its first day
        (date(2025, 1, 1), date(2025, 1, 1), "截至1月1日"),
    ],
)
def test_period_phrase(start, end, expected):
    assert period_phrase(start, end) == expected


def test_bulletin_sentence_ytd_county_with_industry_clause():
    industries = [
        IndustryLine("道路交通", 30, 6, 40),
        IndustryLine("火灾", 0, 0, 0),  # no accidents: left out of 其中
        IndustryLine("建筑施工", 5, 2, 0, is_industrial=True),
        IndustryLine("煤矿", 0, 0, 0, is_industrial=True),  # in the group, but no accidents: not named
        IndustryLine("工贸", 2, 0, 3, is_industrial=True),
        IndustryLine("水上交通", 1, 1, 0),
    ]
    assert bulletin_sentence("全县", date(2025, 1, 1), date(2025, 5, 31), ALL_DOWN, industries) == (
        "截至5月31日，全县共发生各类事故120起、死亡8人、受伤40人，与去年同期相比分别下降10.45%、20.00%、9.09%。"
        "其中：道路交通事故30起、死亡6人、受伤40人；"
        "工矿商贸事故7起、死亡2人、受伤3人（建筑施工事故5起、死亡2人、受伤0人，工贸事故2起、死亡0人、受伤3人）；"
        "水上交通事故1起、死亡1人、受伤0人。"
    )


def test_bulletin_sentence_district_range_without_industries():
    flat = figures(Figure(2, 2, Decimal("0.00")), Figure(0, 0, None), Figure(1, 1, Decimal("0.00")))
    text = bulletin_sentence("全区", date(2025, 3, 1), date(2025, 5, 31), flat, [IndustryLine("火灾", 0, 0, 0)])
    assert text == "3月1日至5月31日，全区共发生各类事故2起、死亡0人、受伤1人，与去年同期持平。"


def test_bulletin_sentence_cross_year_mixed():
    mixed = figures(Figure(5, 4, Decimal("25.00")), Figure(1, 3, Decimal("-66.67")), Figure(3, 0, None))
    text = bulletin_sentence("全市", date(2024, 12, 1), date(2025, 2, 28), mixed, [IndustryLine("道路交通", 5, 1, 3)])
    assert text == (
        "2024年12月1日至2025年2月28日，全市共发生各类事故5起、死亡1人、受伤3人，"
        "与去年同期相比，起数上升25.00%，死亡人数下降66.67%，受伤人数同比增加3人。"
        "其中：道路交通事故5起、死亡1人、受伤3人。"
    )


def test_missing_persons_follow_the_deaths_and_are_said_while_last_year_had_some():
    # 死亡5人、失踪2人: the register's order. 失踪0人 is said when last year had 3, so its fall is not hidden.
    this_year = figures(Figure(4, 4, Decimal("0.00")), Figure(5, 3, Decimal("66.67")), Figure(1, 1, Decimal("0.00")),
                        missing=Figure(2, 0, None))
    gone = figures(Figure(4, 4, Decimal("0.00")), Figure(5, 3, Decimal("66.67")), Figure(1, 1, Decimal("0.00")),
                   missing=Figure(0, 3, Decimal("-100.00")))
    lines = [IndustryLine("水上交通", 1, 3, 0, missing=2), IndustryLine("道路交通", 3, 2, 1)]
    assert bulletin_sentence("全县", date(2025, 1, 1), date(2025, 5, 31), this_year, lines) == (
        "截至5月31日，全县共发生各类事故4起、死亡5人、失踪2人、受伤1人，"
        "与去年同期相比，起数持平，死亡人数上升66.67%，失踪人数同比增加2人，受伤人数持平。"
        "其中：水上交通事故1起、死亡3人、失踪2人、受伤0人；道路交通事故3起、死亡2人、受伤1人。"
    )
    assert bulletin_sentence("全县", date(2025, 1, 1), date(2025, 5, 31), gone, lines[1:]).startswith(
        "截至5月31日，全县共发生各类事故4起、死亡5人、失踪0人、受伤1人，"
        "与去年同期相比，起数持平，死亡人数上升66.67%，失踪人数下降100.00%，受伤人数持平。")


def test_the_industrial_group_adds_up_its_missing_persons():
    lines = [IndustryLine("建筑施工", 1, 1, 0, is_industrial=True, missing=1),
             IndustryLine("煤矿", 1, 2, 0, is_industrial=True, missing=3)]
    flat = figures(Figure(2, 2, Decimal("0.00")), Figure(3, 3, Decimal("0.00")), Figure(0, 0, None),
                   missing=Figure(4, 4, Decimal("0.00")))
    assert bulletin_sentence("全县", date(2025, 3, 1), date(2025, 3, 31), flat, lines) == (
        "3月1日至3月31日，全县共发生各类事故2起、死亡3人、失踪4人、受伤0人，与去年同期持平。"
        "其中：工矿商贸事故2起、死亡3人、失踪4人、受伤0人（建筑施工事故1起、死亡1人、失踪1人、受伤0人，"
        "煤矿事故1起、死亡2人、失踪3人、受伤0人）。"
    )


def test_figure_change():
    assert Figure(5, 8, Decimal("-37.50")).change == -3
