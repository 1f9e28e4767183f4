"""emstat.bulletin: the accident paragraph statisticians publish, every form of it, strings written by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from emstat.bulletin import (
    Figure, GradeLine, IndustryLine, bulletin_sentence, comparison_clause, grade_clause, industry_clause,
    period_phrase,
)

NO_MISSING = Figure(0, 0, None)


def figures(accidents: Figure, deaths: Figure, injuries: Figure, missing: Figure = NO_MISSING) -> dict[str, Figure]:
    return {"accidents": accidents, "deaths": deaths, "missing": missing, "injuries": injuries}


def counted(*pairs: tuple[int, int]) -> dict[str, Figure]:
    """accidents, deaths, injuries (and missing) this year and last, with the percentage a report gives them."""
    def figure(value: int, previous: int) -> Figure:
        if previous == 0:
            return Figure(value, previous, None)
        units = (abs(value - previous) * 20_000 + previous) // (2 * previous)
        return Figure(value, previous, Decimal(units).scaleb(-2) * (1 if value >= previous else -1) + 0)

    return figures(*(figure(*pair) for pair in pairs))


# 120 vs 134: -14/134 = -10.447…%; 8 vs 10: -20%; 40 vs 44: -4/44 = -9.0909…%
ALL_DOWN = figures(Figure(120, 134, Decimal("-10.45")), Figure(8, 10, Decimal("-20.00")),
                   Figure(40, 44, Decimal("-9.09")))
NONE_GRAVE = [GradeLine("特别重大", 0, 0), GradeLine("重大", 0, 0), GradeLine("较大", 0, 0)]


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
        # --decimals 1: the percentages as rounded
        (figures(Figure(120, 134, Decimal("-10.4")), Figure(8, 10, Decimal("-20.0")), Figure(40, 44, Decimal("-9.1"))),
         "与去年同期相比分别下降10.4%、20.0%、9.1%"),
    ],
)
def test_comparison_clause(given, expected):
    assert comparison_clause(given) == expected


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (("accidents",), "与去年同期相比下降7.69%"),  # 12 vs 13: -1/13 = -7.692…%
        (("injuries",), "同比增加3人"),  # from nothing: never a percent of zero
        (("deaths",), "与去年同期持平"),
        (("accidents", "deaths"), "与去年同期相比，起数下降7.69%，死亡人数持平"),
    ],
)
def test_comparison_of_some_figures(keys, expected):
    given = figures(Figure(12, 13, Decimal("-7.69")), Figure(2, 2, Decimal("0.00")), Figure(3, 0, None))
    assert comparison_clause(given, keys) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # 30 vs 34: -11.764…%; 6 vs 7: -14.285…%; 40 vs 42: -4.761…%
        (IndustryLine("道路交通", counted((30, 34), (6, 7), (40, 42))),
         "道路交通事故30起、死亡6人、受伤40人，与去年同期相比分别下降11.76%、14.29%、4.76%"),
        # neither deaths nor injuries this period: 无人员伤亡, the count compared alone (12 vs 13)
        (IndustryLine("火灾", counted((12, 13), (0, 1), (0, 2))), "火灾事故12起，与去年同期相比下降7.69%，无人员伤亡"),
        # deaths only zero: 无人员死亡; injuries only zero: 无人员受伤
        (IndustryLine("工贸", counted((1, 1), (0, 0), (1, 2))),
         "工贸事故1起、受伤1人，与去年同期相比，起数持平，受伤人数下降50.00%，无人员死亡"),
        (IndustryLine("煤矿", counted((1, 0), (1, 0), (0, 0))),
         "煤矿事故1起、死亡1人，与去年同期相比，起数同比增加1起，死亡人数同比增加1人，无人员受伤"),
        # records last year only
        (IndustryLine("道路交通", counted((0, 3), (0, 1), (0, 4))), "道路交通事故0起，去年同期3起"),
        # missing persons this year: said, and compared
        (IndustryLine("水上交通", counted((1, 1), (1, 1), (0, 0), (2, 0))),
         "水上交通事故1起、死亡1人、失踪2人，与去年同期相比，起数持平，死亡人数持平，失踪人数同比增加2人，无人员受伤"),
        # the same count as last year and nobody hurt either year
        (IndustryLine("火灾", counted((2, 2), (0, 0), (0, 0))), "火灾事故2起，与去年同期持平，无人员伤亡"),
    ],
)
def test_industry_clause(line, expected):
    assert industry_clause(line) == expected


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        (NONE_GRAVE, "未发生较大及以上生产安全事故"),
        ([GradeLine("特别重大", 0, 0), GradeLine("重大", 0, 0), GradeLine("较大", 1, 3)], "发生较大事故1起、死亡3人"),
        ([GradeLine("特别重大", 0, 0), GradeLine("重大", 1, 12), GradeLine("较大", 2, 7)],
         "发生重大事故1起、死亡12人，较大事故2起、死亡7人"),
    ],
)
def test_grade_clause(grades, expected):
    assert grade_clause(grades) == expected


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


def test_the_paragraph_of_a_county_with_the_industrial_group_in_brackets():
    industries = [
        IndustryLine("道路交通", counted((30, 34), (6, 7), (40, 42))),
        IndustryLine("火灾", counted((12, 13), (0, 1), (0, 2))),
        IndustryLine("建筑施工", counted((5, 4), (2, 1), (0, 0)), is_industrial=True),
        IndustryLine("工贸", counted((2, 0), (0, 0), (3, 0)), is_industrial=True),
        IndustryLine("水上交通", counted((0, 1), (0, 1), (0, 0))),
    ]
    group = IndustryLine("工矿商贸", counted((7, 4), (2, 1), (3, 0)))
    assert bulletin_sentence("全县", date(2025, 1, 1), date(2025, 6, 30), ALL_DOWN, NONE_GRAVE, industries, group) == (
        "截至6月30日，全县共发生各类事故120起、死亡8人、受伤40人，与去年同期相比分别下降10.45%、20.00%、9.09%；"
        "未发生较大及以上生产安全事故。"
        "其中：道路交通事故30起、死亡6人、受伤40人，与去年同期相比分别下降11.76%、14.29%、4.76%；"
        "火灾事故12起，与去年同期相比下降7.69%，无人员伤亡；"
        "工矿商贸事故7起、死亡2人、受伤3人，与去年同期相比，起数上升75.00%，死亡人数上升100.00%，受伤人数同比增加3人"
        "（建筑施工事故5起、死亡2人，与去年同期相比分别上升25.00%、100.00%，无人员受伤；"
        "工贸事故2起、受伤3人，与去年同期相比，起数同比增加2起，受伤人数同比增加3人，无人员死亡）；"
        "水上交通事故0起，去年同期1起。"
    )


def test_a_paragraph_without_any_accident_either_year():
    flat = figures(Figure(0, 0, None), Figure(0, 0, None), Figure(0, 0, None))
    assert bulletin_sentence("全区", date(2025, 3, 1), date(2025, 3, 31), flat, NONE_GRAVE, [], None) == (
        "3月1日至3月31日，全区共发生各类事故0起、死亡0人、受伤0人，与去年同期持平；未发生较大及以上生产安全事故。")


def test_missing_persons_follow_the_deaths_and_a_grave_accident_is_named():
    # 死亡5人、失踪2人: the register's order. 失踪0人 is said when last year had 3, so its fall is not hidden.
    gone = figures(Figure(4, 4, Decimal("0.00")), Figure(5, 3, Decimal("66.67")), Figure(1, 1, Decimal("0.00")),
                   missing=Figure(0, 3, Decimal("-100.00")))
    grades = [GradeLine("特别重大", 0, 0), GradeLine("重大", 0, 0), GradeLine("较大", 1, 3)]
    assert bulletin_sentence("全市", date(2024, 12, 1), date(2025, 2, 28), gone, grades, [], None) == (
        "2024年12月1日至2025年2月28日，全市共发生各类事故4起、死亡5人、失踪0人、受伤1人，"
        "与去年同期相比，起数持平，死亡人数上升66.67%，失踪人数下降100.00%，受伤人数持平；发生较大事故1起、死亡3人。")


def test_figure_change():
    assert Figure(5, 8, Decimal("-37.50")).change == -3
