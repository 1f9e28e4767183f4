"""The bulletin register: the paragraphs statisticians publish, worded from figures already computed.

截至6月30日，全县共发生各类事故120起、死亡8人、受伤40人，与去年同期相比分别下降10.45%、20.00%、9.09%；未发生较大及以上
生产安全事故。其中：道路交通事故30起、死亡6人、受伤40人，与去年同期相比分别下降11.76%、14.29%、4.76%；火灾事故12起，
与去年同期相比下降7.69%，无人员伤亡；工矿商贸事故7起、死亡2人、受伤3人，……（建筑施工事故5起……；工贸事故2起……）。
截至6月30日，全县共执法检查生产经营单位48家次，排查隐患160项、已整改150项，整改率93.75%，……；立案处罚9起，罚款35.60万元，……。
截至6月30日，全县共发放救灾资金215.00万元，救助受灾群众1,200人次，……；其中：应急救助资金……。
截至6月30日，全县共发生自然灾害5次，受灾人口32,000人次，直接经济损失1,250.00万元，……；其中：洪涝3次……。

Every value, change and percentage comes in with the figure (the report computed it); nothing here counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

Number = int | Decimal  # a count, or an amount in 万元 with the digits the report rounded it to


@dataclass(frozen=True)
class Figure:
    value: Number
    previous: Number
    change: Number
    change_pct: Decimal | None  # null on a zero base


@dataclass(frozen=True)
class Said:
    """A figure as a comparison names it: 起数 … 起, 罚款金额 … 万元."""

    figure: Figure
    name: str
    unit: str


@dataclass(frozen=True)
class IndustryLine:
    """An industry (or the 工矿商贸 group) with its accidents, deaths, missing and injuries."""

    label: str  # 道路交通, 火灾 …
    figures: dict[str, Figure]
    is_industrial: bool = False  # in the 工矿商贸 group


@dataclass(frozen=True)
class GradeLine:
    label: str  # 较大, 重大, 特别重大
    accidents: int
    deaths: int


@dataclass(frozen=True)
class Enforcement:
    inspections: Figure  # 家次
    hazards_found: Figure
    major_hazards_found: Figure
    hazards_rectified: Figure
    rectification_rate_pct: Figure  # compared in 个百分点; its value is None when nothing was found
    cases_filed: Figure
    fines_10k_yuan: Figure


@dataclass(frozen=True)
class ReliefLine:
    """The relief funds of a program (or of all programs): 万元 and the persons aided (人次)."""

    label: str
    amount_10k_yuan: Figure
    persons: Figure

    @property
    def is_empty(self) -> bool:
        """Nothing paid and nobody aided this period."""
        return not self.amount_10k_yuan.value and not self.persons.value


@dataclass(frozen=True)
class DisasterLine:
    """The natural disasters of a hazard (or of all hazards)."""

    label: str
    events: Figure
    affected_people: Figure
    deaths: Figure
    missing: Figure
    direct_loss_10k_yuan: Figure

    @property
    def is_empty(self) -> bool:
        """No event this period."""
        return not self.events.value


@dataclass(frozen=True)
class Paragraphs:
    """The four paragraphs of a 通报, in the order it gives them."""

    accidents: str
    enforcement: str
    relief: str
    disasters: str

    @property
    def text(self) -> str:
        return "\n".join((self.accidents, self.enforcement, self.relief, self.disasters))

    def as_json(self) -> dict[str, str]:
        return {
            "accidents": self.accidents,
            "enforcement": self.enforcement,
            "relief": self.relief,
            "disasters": self.disasters,
        }


INDUSTRIAL_GROUP = "工矿商贸"

# (key, name in a per-figure clause, unit), in the order the sentence gives them
FIGURES = (
    ("accidents", "起数", "起"),
    ("deaths", "死亡人数", "人"),
    ("missing", "失踪人数", "人"),
    ("injuries", "受伤人数", "人"),
)
CASUALTIES = {"deaths": "死亡", "missing": "失踪", "injuries": "受伤"}


def number(value: Number) -> str:
    """1,200 and 1,250.00: thousands separated, an amount with the decimals it was rounded to."""
    return f"{value:,}" if isinstance(value, int) else format(value, ",f")


def period_phrase(start: date, end: date) -> str:
    if start == date(end.year, 1, 1):
        return f"截至{end.month}月{end.day}日"
    if start == end:  # a month in progress on its first day, or a day asked for
        return f"{end.month}月{end.day}日"
    if start.year == end.year:
        return f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def _says_missing(figures: dict[str, Figure]) -> bool:
    """Missing persons are stated when there are some this year or last: a county without any reads as it always
    has, and one with them never hides them or their change."""
    return bool(figures["missing"].value or figures["missing"].previous)


def _direction(f: Figure) -> str:
    """By the percentage where there is one: an amount in 万元 is compared on its exact value, as in the tables."""
    if f.change_pct is None:
        return "flat" if f.change == 0 else "new"
    if f.change_pct == 0 and f.change == 0:
        return "flat"
    return "down" if (f.change_pct or f.change) < 0 else "up"


def _pct(f: Figure) -> str:
    """With the decimals the report was rounded to: 10.45% (or 10.4% with --decimals 1)."""
    assert f.change_pct is not None
    return f"{abs(f.change_pct)}%"


def compare(said: list[Said]) -> str:
    """Figures against 去年同期: 分别下降/上升 when all move the same way from a base above zero, 持平 when none
    moves, otherwise one clause per figure; one figure alone reads 与去年同期相比下降7.69% or 同比增加2起."""
    directions = {_direction(s.figure) for s in said}
    if directions == {"flat"}:
        return "与去年同期持平"
    if len(said) == 1:
        f, unit = said[0].figure, said[0].unit
        if _direction(f) == "new":
            return f"同比增加{number(f.change)}{unit}"
        return f"与去年同期相比{'下降' if _direction(f) == 'down' else '上升'}{_pct(f)}"
    if directions in ({"down"}, {"up"}):
        word = "下降" if directions == {"down"} else "上升"
        return f"与去年同期相比分别{word}" + "、".join(_pct(s.figure) for s in said)
    clauses = []
    for s in said:
        match _direction(s.figure):
            case "flat":
                clauses.append(f"{s.name}持平")
            case "new":
                clauses.append(f"{s.name}同比增加{number(s.figure.change)}{s.unit}")
            case "down":
                clauses.append(f"{s.name}下降{_pct(s.figure)}")
            case "up":
                clauses.append(f"{s.name}上升{_pct(s.figure)}")
    return "与去年同期相比，" + "，".join(clauses)


def comparison_clause(figures: dict[str, Figure], keys: tuple[str, ...] | None = None) -> str:
    """The accident figures `keys` (all that are said, by default) against 去年同期."""
    return compare(
        [
            Said(figures[key], name, unit)
            for key, name, unit in FIGURES
            if (keys is None or key in keys) and (key != "missing" or _says_missing(figures))
        ]
    )


def _casualties(figures: dict[str, Figure]) -> str:
    """死亡5人、失踪2人、受伤3人: 失踪 only when there are missing persons this year or last."""
    return "、".join(
        f"{word}{number(figures[key].value)}人"
        for key, word in CASUALTIES.items()
        if key != "missing" or _says_missing(figures)
    )


def grade_clause(grades: list[GradeLine]) -> str:
    """From the legal grade, gravest first: 发生较大事故1起、死亡3人, or 未发生较大及以上生产安全事故."""
    happened = [g for g in grades if g.accidents]
    if not happened:
        return "未发生较大及以上生产安全事故"
    return "发生" + "，".join(f"{g.label}事故{g.accidents}起、死亡{g.deaths}人" for g in happened)


def industry_clause(line: IndustryLine) -> str:
    """An industry's figures with their own comparison. Without deaths or injuries this period it says 无人员伤亡
    and compares its count only (无人员死亡 / 无人员受伤 when only one is zero); with records last year only,
    道路交通事故0起，去年同期3起."""
    figures = line.figures
    accidents = figures["accidents"]
    head = f"{line.label}事故{number(accidents.value)}起"
    if accidents.value == 0:
        return f"{head}，去年同期{number(accidents.previous)}起"
    said = [key for key in CASUALTIES if figures[key].value or (key == "missing" and _says_missing(figures))]
    none = [CASUALTIES[key] for key in ("deaths", "injuries") if not figures[key].value]
    shown = "".join(f"、{CASUALTIES[key]}{number(figures[key].value)}人" for key in said)
    text = f"{head}{shown}，{comparison_clause(figures, ('accidents', *said))}"
    if len(none) == 2 and not said:
        return f"{text}，无人员伤亡"
    return text + "".join(f"，无人员{word}" for word in none)


def industry_clauses(industries: list[IndustryLine], industrial_group: IndustryLine | None) -> list[str]:
    """One clause per industry in the given order, except that the 工矿商贸 industries are reported together, as
    the group's clause with each of them in brackets."""
    industrial = [x for x in industries if x.is_industrial]
    clauses = []
    for line in industries:
        if not line.is_industrial:
            clauses.append(industry_clause(line))
        elif line is industrial[0] and industrial_group is not None:
            clauses.append(
                industry_clause(industrial_group) + "（" + "；".join(industry_clause(x) for x in industrial) + "）"
            )
    return clauses


def _opening(collective_name: str, start: date, end: date) -> str:
    return f"{period_phrase(start, end)}，{collective_name}"


def bulletin_sentence(
    collective_name: str,
    start: date,
    end: date,
    figures: dict[str, Figure],
    grades: list[GradeLine],
    industries: list[IndustryLine],
    industrial_group: IndustryLine | None = None,
) -> str:
    """The accident paragraph: totals with their comparison, the grade clause, then 其中 each industry with
    records this period or last."""
    text = (
        f"{_opening(collective_name, start, end)}共发生各类事故{number(figures['accidents'].value)}起、"
        f"{_casualties(figures)}，{comparison_clause(figures)}；{grade_clause(grades)}。"
    )
    clauses = industry_clauses(industries, industrial_group)
    if clauses:
        text += "其中：" + "；".join(clauses) + "。"
    return text


def _points(name: str, f: Figure) -> str:
    """A percentage against last year's, in 个百分点: 整改率上升2.50个百分点; nothing when either is undefined."""
    if f.value is None or f.previous is None:
        return ""
    if f.change == 0:
        return f"，{name}持平"
    return f"，{name}{'下降' if f.change < 0 else '上升'}{number(abs(f.change))}个百分点"


def enforcement_paragraph(collective_name: str, start: date, end: date, e: Enforcement) -> str:
    """Inspections and hazards with their comparison and 整改率 in 个百分点; then cases filed and fines."""
    major = e.major_hazards_found.value
    found = f"排查隐患{number(e.hazards_found.value)}项" + (f"（其中重大事故隐患{number(major)}项）" if major else "")
    rate = e.rectification_rate_pct
    text = (
        f"{_opening(collective_name, start, end)}共执法检查生产经营单位{number(e.inspections.value)}家次，"
        f"{found}、已整改{number(e.hazards_rectified.value)}项"
        + (f"，整改率{number(rate.value)}%" if rate.value is not None else "")
        + "，"
        + compare(
            [
                Said(e.inspections, "检查家次", "家次"),
                Said(e.hazards_found, "排查隐患", "项"),
                Said(e.hazards_rectified, "已整改隐患", "项"),
            ]
        )
        + _points("整改率", rate)
    )
    text += f"；立案处罚{number(e.cases_filed.value)}起，罚款{number(e.fines_10k_yuan.value)}万元，" + compare(
        [Said(e.cases_filed, "立案处罚", "起"), Said(e.fines_10k_yuan, "罚款金额", "万元")]
    )
    return text + "。"


def relief_clause(line: ReliefLine) -> str:
    """应急救助资金120.00万元、救助800人次，与去年同期相比分别上升…; with funds last year only,
    过渡期生活救助资金0.00万元，去年同期35.00万元."""
    amount, persons = line.amount_10k_yuan, line.persons
    head = f"{line.label}资金{number(amount.value)}万元"
    if line.is_empty:
        return f"{head}，去年同期{number(amount.previous)}万元"
    return f"{head}、救助{number(persons.value)}人次，" + compare(
        [Said(amount, "发放金额", "万元"), Said(persons, "救助人次", "人次")]
    )


def relief_paragraph(
    collective_name: str, start: date, end: date, total: ReliefLine, programs: list[ReliefLine]
) -> str:
    """The funds paid out and the persons aided, then 其中 each relief program with funds this period or last."""
    opening = _opening(collective_name, start, end)
    if total.is_empty:
        last = total.amount_10k_yuan.previous
        return f"{opening}未发放救灾资金" + (f"，去年同期发放{number(last)}万元" if last else "") + "。"
    text = (
        f"{opening}共发放救灾资金{number(total.amount_10k_yuan.value)}万元，"
        f"救助受灾群众{number(total.persons.value)}人次，"
        + compare([Said(total.amount_10k_yuan, "发放金额", "万元"), Said(total.persons, "救助人次", "人次")])
    )
    return text + ("；其中：" + "；".join(relief_clause(p) for p in programs) if programs else "") + "。"


def _disaster_said(line: DisasterLine) -> list[Said]:
    """Events, affected people, deaths and missing when there were any this year or last, direct loss."""
    said = [Said(line.events, "灾害次数", "次"), Said(line.affected_people, "受灾人口", "人次")]
    said += [
        Said(f, name, "人")
        for f, name in ((line.deaths, "因灾死亡人数"), (line.missing, "失踪人数"))
        if f.value or f.previous
    ]
    return said + [Said(line.direct_loss_10k_yuan, "直接经济损失", "万元")]


def _disaster_figures(line: DisasterLine) -> str:
    """受灾人口32,000人次，因灾死亡1人、失踪0人，直接经济损失1,250.00万元."""
    dead = [
        f"{word}{number(f.value)}人"
        for f, word in ((line.deaths, "因灾死亡"), (line.missing, "失踪"))
        if f.value or f.previous
    ]
    return (
        f"受灾人口{number(line.affected_people.value)}人次，"
        + ("、".join(dead) + "，" if dead else "")
        + f"直接经济损失{number(line.direct_loss_10k_yuan.value)}万元"
    )


def hazard_clause(line: DisasterLine) -> str:
    head = f"{line.label}{number(line.events.value)}次"
    if line.is_empty:
        return f"{head}，去年同期{number(line.events.previous)}次"
    return f"{head}，{_disaster_figures(line)}，{compare(_disaster_said(line))}"


def disasters_paragraph(
    collective_name: str, start: date, end: date, total: DisasterLine, hazards: list[DisasterLine]
) -> str:
    """The natural disasters with their toll and comparison, then 其中 each hazard with events this period or
    last; 未发生自然灾害 in a period without any."""
    opening = _opening(collective_name, start, end)
    if total.is_empty:
        last = total.events.previous
        return f"{opening}未发生自然灾害" + (f"，去年同期发生{number(last)}次" if last else "") + "。"
    text = f"{opening}共发生自然灾害{number(total.events.value)}次，{_disaster_figures(total)}，" + compare(
        _disaster_said(total)
    )
    return text + ("；其中：" + "；".join(hazard_clause(h) for h in hazards) if hazards else "") + "。"
