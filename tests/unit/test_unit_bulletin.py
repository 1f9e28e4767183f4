"""report.bulletin: the paragraphs statisticians publish, every form of them, strings written by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from report.bulletin import (
    DisasterLine,
    Enforcement,
    Figure,
    GradeLine,
    IndustryLine,
    Paragraphs,
    ReliefLine,
    Said,
    bulletin_sentence,
    compare,
    comparison_clause,
    disasters_paragraph,
    enforcement_paragraph,
    grade_clause,
    hazard_clause,
    industry_clause,
    period_phrase,
    relief_clause,
    relief_paragraph,
)


def compared(value, previous, change_pct) -> Figure:
    """A figure as the report hands it over, with its change: this year's value less last year's."""
    change = None if value is None or previous is None else value - previous
    return Figure(value, previous, change, change_pct)


NO_MISSING = compared(0, 0, None)


def figures(accidents: Figure, deaths: Figure, injuries: Figure, missing: Figure = NO_MISSING) -> dict[str, Figure]:
    return {"accidents": accidents, "deaths": deaths, "missing": missing, "injuries": injuries}


def counted(*pairs: tuple[int, int]) -> dict[str, Figure]:
    """accidents, deaths, injuries (and missing) this year and last, with the percentage a report gives them."""

    def figure(value: int, previous: int) -> Figure:
        if previous == 0:
            return compared(value, previous, None)
        units = (abs(value - previous) * 20_000 + previous) // (2 * previous)
        return compared(value, previous, Decimal(units).scaleb(-2) * (1 if value >= previous else -1) + 0)

    return figures(*(figure(*pair) for pair in pairs))


# 120 vs 134: -14/134 = -10.447…%; 8 vs 10: -20%; 40 vs 44: -4/44 = -9.0909…%
ALL_DOWN = figures(
    compared(120, 134, Decimal("-10.45")), compared(8, 10, Decimal("-20.00")), compared(40, 44, Decimal("-9.09"))
)
NONE_GRAVE = [GradeLine("特别重大", 0, 0), GradeLine("重大", 0, 0), GradeLine("较大", 0, 0)]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (ALL_DOWN, "与去年同期相比分别下降10.45%、20.00%、9.09%"),
        # 134 vs 120: 14/120 = 11.666…%; 10 vs 8: 25%; 44 vs 40: 10%
        (
            figures(
                compared(134, 120, Decimal("11.67")),
                compared(10, 8, Decimal("25.00")),
                compared(44, 40, Decimal("10.00")),
            ),
            "与去年同期相比分别上升11.67%、25.00%、10.00%",
        ),
        # 5 vs 4: +25%; 1 vs 3: -66.666…%; 3 vs 3: flat
        (
            figures(
                compared(5, 4, Decimal("25.00")), compared(1, 3, Decimal("-66.67")), compared(3, 3, Decimal("0.00"))
            ),
            "与去年同期相比，起数上升25.00%，死亡人数下降66.67%，受伤人数持平",
        ),
        # zero base: no percentage, the increase in units; 0 vs 0 is flat
        (
            figures(compared(2, 1, Decimal("100.00")), compared(0, 0, None), compared(3, 0, None)),
            "与去年同期相比，起数上升100.00%，死亡人数持平，受伤人数同比增加3人",
        ),
        (
            figures(compared(2, 0, None), compared(1, 0, None), compared(3, 0, None)),
            "与去年同期相比，起数同比增加2起，死亡人数同比增加1人，受伤人数同比增加3人",
        ),
        (
            figures(
                compared(3, 4, Decimal("-25.00")), compared(1, 1, Decimal("0.00")), compared(2, 2, Decimal("0.00"))
            ),
            "与去年同期相比，起数下降25.00%，死亡人数持平，受伤人数持平",
        ),
        (
            figures(compared(5, 5, Decimal("0.00")), compared(1, 1, Decimal("0.00")), compared(0, 0, None)),
            "与去年同期持平",
        ),
        # missing persons this year or last: a fourth figure, after the deaths, in every form
        (
            figures(
                compared(120, 134, Decimal("-10.45")),
                compared(8, 10, Decimal("-20.00")),
                compared(40, 44, Decimal("-9.09")),
                missing=compared(1, 4, Decimal("-75.00")),
            ),
            "与去年同期相比分别下降10.45%、20.00%、75.00%、9.09%",
        ),
        (
            figures(
                compared(3, 4, Decimal("-25.00")),
                compared(1, 2, Decimal("-50.00")),
                compared(2, 3, Decimal("-33.33")),
                missing=compared(2, 0, None),
            ),
            "与去年同期相比，起数下降25.00%，死亡人数下降50.00%，失踪人数同比增加2人，受伤人数下降33.33%",
        ),
        (
            figures(
                compared(3, 3, Decimal("0.00")),
                compared(1, 1, Decimal("0.00")),
                compared(2, 2, Decimal("0.00")),
                missing=compared(0, 2, Decimal("-100.00")),
            ),
            "与去年同期相比，起数持平，死亡人数持平，失踪人数下降100.00%，受伤人数持平",
        ),
        (
            figures(
                compared(3, 3, Decimal("0.00")),
                compared(1, 1, Decimal("0.00")),
                compared(2, 2, Decimal("0.00")),
                missing=compared(2, 2, Decimal("0.00")),
            ),
            "与去年同期持平",
        ),
        # --decimals 1: the percentages as rounded
        (
            figures(
                compared(120, 134, Decimal("-10.4")),
                compared(8, 10, Decimal("-20.0")),
                compared(40, 44, Decimal("-9.1")),
            ),
            "与去年同期相比分别下降10.4%、20.0%、9.1%",
        ),
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
    given = figures(compared(12, 13, Decimal("-7.69")), compared(2, 2, Decimal("0.00")), compared(3, 0, None))
    assert comparison_clause(given, keys) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # 30 vs 34: -11.764…%; 6 vs 7: -14.285…%; 40 vs 42: -4.761…%
        (
            IndustryLine("道路交通", counted((30, 34), (6, 7), (40, 42))),
            "道路交通事故30起、死亡6人、受伤40人，与去年同期相比分别下降11.76%、14.29%、4.76%",
        ),
        # neither deaths nor injuries this period: 无人员伤亡, the count compared alone (12 vs 13)
        (IndustryLine("火灾", counted((12, 13), (0, 1), (0, 2))), "火灾事故12起，与去年同期相比下降7.69%，无人员伤亡"),
        # deaths only zero: 无人员死亡; injuries only zero: 无人员受伤
        (
            IndustryLine("工贸", counted((1, 1), (0, 0), (1, 2))),
            "工贸事故1起、受伤1人，与去年同期相比，起数持平，受伤人数下降50.00%，无人员死亡",
        ),
        (
            IndustryLine("煤矿", counted((1, 0), (1, 0), (0, 0))),
            "煤矿事故1起、死亡1人，与去年同期相比，起数同比增加1起，死亡人数同比增加1人，无人员受伤",
        ),
        # records last year only
        (IndustryLine("道路交通", counted((0, 3), (0, 1), (0, 4))), "道路交通事故0起，去年同期3起"),
        # missing persons this year: said, and compared
        (
            IndustryLine("水上交通", counted((1, 1), (1, 1), (0, 0), (2, 0))),
            "水上交通事故1起、死亡1人、失踪2人，与去年同期相比，起数持平，死亡人数持平，失踪人数同比增加2人，无人员受伤",
        ),
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
        (
            [GradeLine("特别重大", 0, 0), GradeLine("重大", 1, 12), GradeLine("较大", 2, 7)],
            "发生重大事故1起、死亡12人，较大事故2起、死亡7人",
        ),
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
    flat = figures(compared(0, 0, None), compared(0, 0, None), compared(0, 0, None))
    assert bulletin_sentence("全区", date(2025, 3, 1), date(2025, 3, 31), flat, NONE_GRAVE, [], None) == (
        "3月1日至3月31日，全区共发生各类事故0起、死亡0人、受伤0人，与去年同期持平；未发生较大及以上生产安全事故。"
    )


def test_missing_persons_follow_the_deaths_and_a_grave_accident_is_named():
    # 死亡5人、失踪2人: the register's order. 失踪0人 is said when last year had 3, so its fall is not hidden.
    gone = figures(
        compared(4, 4, Decimal("0.00")),
        compared(5, 3, Decimal("66.67")),
        compared(1, 1, Decimal("0.00")),
        missing=compared(0, 3, Decimal("-100.00")),
    )
    grades = [GradeLine("特别重大", 0, 0), GradeLine("重大", 0, 0), GradeLine("较大", 1, 3)]
    assert bulletin_sentence("全市", date(2024, 12, 1), date(2025, 2, 28), gone, grades, [], None) == (
        "2024年12月1日至2025年2月28日，全市共发生各类事故4起、死亡5人、失踪0人、受伤1人，"
        "与去年同期相比，起数持平，死亡人数上升66.67%，失踪人数下降100.00%，受伤人数持平；发生较大事故1起、死亡3人。"
    )


def pct(value, previous) -> Figure:
    """A count or an amount this year and last with its percentage, half-up to 2 decimals (none on a zero base)."""
    if not previous:
        return compared(value, previous, None)
    units = (abs(value - previous) * 20_000 + previous) // (2 * previous)
    return compared(value, previous, Decimal(int(units)).scaleb(-2) * (1 if value >= previous else -1) + 0)


def money(value: str, previous: str, change_pct: str | None) -> Figure:
    return compared(Decimal(value), Decimal(previous), None if change_pct is None else Decimal(change_pct))


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # an amount from nothing: the increase in 万元 with its decimals
        ([Said(money("0.50", "0.00", None), "罚款金额", "万元")], "同比增加0.50万元"),
        # thousands separated
        ([Said(pct(1_200, 0), "救助人次", "人次")], "同比增加1,200人次"),
        # 万元 that round to the same figure are still compared on the exact amounts, as the tables compare them
        ([Said(money("12.35", "12.35", "0.01"), "罚款金额", "万元")], "与去年同期相比上升0.01%"),
        ([Said(money("12.35", "12.35", "0.00"), "罚款金额", "万元")], "与去年同期持平"),
        (
            [Said(pct(9, 10), "立案处罚", "起"), Said(money("35.60", "30.00", "18.67"), "罚款金额", "万元")],
            "与去年同期相比，立案处罚下降10.00%，罚款金额上升18.67%",
        ),
    ],
)
def test_compare_amounts_and_large_counts(said, expected):
    assert compare(said) == expected


def enforcement(inspections, found, rectified, rate, cases, fines, major=(0, 0)) -> Enforcement:
    rate_now, rate_then = (None if r is None else Decimal(r) for r in rate)
    return Enforcement(
        pct(*inspections),
        pct(*found),
        pct(*major),
        pct(*rectified),
        compared(rate_now, rate_then, None),
        pct(*cases),
        fines,
    )


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        # 48 vs 40: +20%; 160 vs 150: +6.666…%; 150 vs 120: +25%; 93.75% against 80.00%: 13.75 points;
        # 9 vs 10: -10%; 35.60 万元 against 30.00 万元
        (
            enforcement(
                (48, 40), (160, 150), (150, 120), ("93.75", "80.00"), (9, 10), money("35.60", "30.00", "18.67")
            ),
            "截至6月30日，全县共执法检查生产经营单位48家次，排查隐患160项、已整改150项，整改率93.75%，"
            "与去年同期相比分别上升20.00%、6.67%、25.00%，整改率上升13.75个百分点；"
            "立案处罚9起，罚款35.60万元，与去年同期相比，立案处罚下降10.00%，罚款金额上升18.67%。",
        ),
        # nothing found this year: no 整改率 and no comparison of it; cases and fines from nothing
        (
            enforcement((3, 3), (0, 2), (0, 2), (None, "100.00"), (1, 0), money("0.50", "0.00", None)),
            "截至6月30日，全县共执法检查生产经营单位3家次，排查隐患0项、已整改0项，"
            "与去年同期相比，检查家次持平，排查隐患下降100.00%，已整改隐患下降100.00%；"
            "立案处罚1起，罚款0.50万元，与去年同期相比，立案处罚同比增加1起，罚款金额同比增加0.50万元。",
        ),
        # major hazards named; the same rate as last year; thousands separated
        (
            enforcement(
                (1_200, 1_000),
                (40, 20),
                (30, 15),
                ("75.00", "75.00"),
                (2, 2),
                money("1.00", "1.00", "0.00"),
                major=(2, 0),
            ),
            "截至6月30日，全县共执法检查生产经营单位1,200家次，排查隐患40项（其中重大事故隐患2项）、已整改30项，"
            "整改率75.00%，与去年同期相比分别上升20.00%、100.00%、100.00%，整改率持平；"
            "立案处罚2起，罚款1.00万元，与去年同期持平。",
        ),
        # a rate this year but none last year: stated, not compared
        (
            enforcement((5, 4), (4, 0), (3, 0), ("75.00", None), (0, 0), money("0.00", "0.00", None)),
            "截至6月30日，全县共执法检查生产经营单位5家次，排查隐患4项、已整改3项，整改率75.00%，"
            "与去年同期相比，检查家次上升25.00%，排查隐患同比增加4项，已整改隐患同比增加3项；"
            "立案处罚0起，罚款0.00万元，与去年同期持平。",
        ),
    ],
)
def test_enforcement_paragraph(figures, expected):
    assert enforcement_paragraph("全县", date(2024, 1, 1), date(2024, 6, 30), figures) == expected


def relief(label, amount: tuple[str, str, str | None], persons: tuple[int, int]) -> ReliefLine:
    return ReliefLine(label, money(*amount), pct(*persons))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # 120.00 against 100.00 万元: +20%; 800 vs 700: +14.285…%
        (
            relief("应急救助", ("120.00", "100.00", "20.00"), (800, 700)),
            "应急救助资金120.00万元、救助800人次，与去年同期相比分别上升20.00%、14.29%",
        ),
        (
            relief("过渡期生活救助", ("95.00", "0.00", None), (400, 0)),
            "过渡期生活救助资金95.00万元、救助400人次，与去年同期相比，发放金额同比增加95.00万元，救助人次同比增加400人次",
        ),
        # funds last year only
        (relief("旱灾救助", ("0.00", "100.00", "-100.00"), (0, 300)), "旱灾救助资金0.00万元，去年同期100.00万元"),
    ],
)
def test_relief_clause(line, expected):
    assert relief_clause(line) == expected


def test_relief_paragraph_with_each_program():
    programs = [
        relief("应急救助", ("120.00", "100.00", "20.00"), (800, 700)),
        relief("过渡期生活救助", ("95.00", "0.00", None), (400, 0)),
        relief("旱灾救助", ("0.00", "100.00", "-100.00"), (0, 300)),
    ]
    total = relief("", ("215.00", "200.00", "7.50"), (1_200, 1_000))  # 15/200 = 7.5%; 200/1000 = 20%
    assert relief_paragraph("全县", date(2024, 1, 1), date(2024, 6, 30), total, programs) == (
        "截至6月30日，全县共发放救灾资金215.00万元，救助受灾群众1,200人次，与去年同期相比分别上升7.50%、20.00%；"
        "其中：应急救助资金120.00万元、救助800人次，与去年同期相比分别上升20.00%、14.29%；"
        "过渡期生活救助资金95.00万元、救助400人次，与去年同期相比，发放金额同比增加95.00万元，救助人次同比增加400人次；"
        "旱灾救助资金0.00万元，去年同期100.00万元。"
    )


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        ("12.50", "3月1日至3月31日，全镇未发放救灾资金，去年同期发放12.50万元。"),
        ("0.00", "3月1日至3月31日，全镇未发放救灾资金。"),
    ],
)
def test_relief_paragraph_without_funds(previous, expected):
    total = relief("", ("0.00", previous, None if previous == "0.00" else "-100.00"), (0, 0))
    assert relief_paragraph("全镇", date(2025, 3, 1), date(2025, 3, 31), total, []) == expected


def disaster(label, events, affected, deaths, missing, loss: tuple[str, str, str | None]) -> DisasterLine:
    return DisasterLine(label, pct(*events), pct(*affected), pct(*deaths), pct(*missing), money(*loss))


FLOOD = disaster("洪涝", (3, 2), (30_000, 25_000), (1, 0), (0, 0), ("1200.00", "800.00", "50.00"))
WIND_HAIL = disaster("风雹", (2, 2), (2_000, 15_000), (0, 0), (0, 0), ("50.00", "200.00", "-75.00"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # 3 vs 2: +50%; 30,000 vs 25,000: +20%; a death from none; 1,200.00 against 800.00 万元: +50%
        (
            FLOOD,
            "洪涝3次，受灾人口30,000人次，因灾死亡1人，直接经济损失1,200.00万元，与去年同期相比，灾害次数上升50.00%，"
            "受灾人口上升20.00%，因灾死亡人数同比增加1人，直接经济损失上升50.00%",
        ),
        # nobody dead or missing either year: not said; 2,000 vs 15,000: -86.666…%
        (
            WIND_HAIL,
            "风雹2次，受灾人口2,000人次，直接经济损失50.00万元，与去年同期相比，灾害次数持平，受灾人口下降86.67%，"
            "直接经济损失下降75.00%",
        ),
        # missing persons only: said, and compared
        (
            disaster("地质灾害", (1, 1), (30, 30), (0, 0), (1, 0), ("5.00", "5.00", "0.00")),
            "地质灾害1次，受灾人口30人次，失踪1人，直接经济损失5.00万元，与去年同期相比，灾害次数持平，受灾人口持平，"
            "失踪人数同比增加1人，直接经济损失持平",
        ),
        # events last year only
        (disaster("干旱", (0, 2), (0, 900), (0, 0), (0, 0), ("0.00", "40.00", "-100.00")), "干旱0次，去年同期2次"),
    ],
)
def test_hazard_clause(line, expected):
    assert hazard_clause(line) == expected


def test_disasters_paragraph_with_each_hazard():
    total = disaster("", (5, 4), (32_000, 40_000), (1, 0), (0, 0), ("1250.00", "1000.00", "25.00"))
    assert disasters_paragraph("全县", date(2024, 1, 1), date(2024, 6, 30), total, [FLOOD, WIND_HAIL]) == (
        "截至6月30日，全县共发生自然灾害5次，受灾人口32,000人次，因灾死亡1人，直接经济损失1,250.00万元，"
        "与去年同期相比，灾害次数上升25.00%，受灾人口下降20.00%，因灾死亡人数同比增加1人，直接经济损失上升25.00%；"
        "其中：洪涝3次，受灾人口30,000人次，因灾死亡1人，直接经济损失1,200.00万元，与去年同期相比，灾害次数上升50.00%，"
        "受灾人口上升20.00%，因灾死亡人数同比增加1人，直接经济损失上升50.00%；"
        "风雹2次，受灾人口2,000人次，直接经济损失50.00万元，与去年同期相比，灾害次数持平，受灾人口下降86.67%，"
        "直接经济损失下降75.00%。"
    )


@pytest.mark.parametrize(
    ("previous", "expected"),
    [(2, "6月1日至6月30日，全区未发生自然灾害，去年同期发生2次。"), (0, "6月1日至6月30日，全区未发生自然灾害。")],
)
def test_disasters_paragraph_without_any(previous, expected):
    total = disaster("", (0, previous), (0, 0), (0, 0), (0, 0), ("0.00", "0.00", None))
    assert disasters_paragraph("全区", date(2025, 6, 1), date(2025, 6, 30), total, []) == expected


def test_paragraphs_make_the_whole_text_in_order():
    paragraphs = Paragraphs("事故。", "执法。", "救灾。", "灾情。")
    assert paragraphs.text == "事故。\n执法。\n救灾。\n灾情。"
    assert list(paragraphs.as_json()) == ["accidents", "enforcement", "relief", "disasters"]
