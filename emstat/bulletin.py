"""The bulletin register: the accident paragraph statisticians publish, worded from figures already computed.

截至6月30日，全县共发生各类事故120起、死亡8人、受伤40人，与去年同期相比分别下降10.45%、20.00%、9.09%；未发生较大及以上
生产安全事故。其中：道路交通事故30起、死亡6人、受伤40人，与去年同期相比分别下降11.76%、14.29%、4.76%；火灾事故12起，
与去年同期相比下降7.69%，无人员伤亡；工矿商贸事故7起、死亡2人、受伤3人，……（建筑施工事故5起……；工贸事故2起……）。

Every value, change and percentage comes in with the figure (the report computed it); nothing here counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    value: int
    previous: int
    change_pct: Decimal | None  # null on a zero base

    @property
    def change(self) -> int:
        return self.value - self.previous


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


INDUSTRIAL_GROUP = "工矿商贸"

# (key, name in a per-figure clause, unit), in the order the sentence gives them
FIGURES = (("accidents", "起数", "起"), ("deaths", "死亡人数", "人"), ("missing", "失踪人数", "人"),
           ("injuries", "受伤人数", "人"))
CASUALTIES = {"deaths": "死亡", "missing": "失踪", "injuries": "受伤"}


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
    if f.change == 0:
        return "flat"
    if f.previous == 0:
        return "new"
    return "down" if f.change < 0 else "up"


def _pct(f: Figure) -> str:
    """With the decimals the report was rounded to: 10.45% (or 10.4% with --decimals 1)."""
    assert f.change_pct is not None
    return f"{abs(f.change_pct)}%"


def comparison_clause(figures: dict[str, Figure], keys: tuple[str, ...] | None = None) -> str:
    """The figures `keys` (all that are said, by default) against 去年同期: 分别下降/上升 when all move the same way
    from a base above zero, 持平 when none moves, otherwise one clause per figure; one figure alone reads
    与去年同期相比下降7.69% or 同比增加2起."""
    ordered = [(figures[key], name, unit) for key, name, unit in FIGURES
               if (keys is None or key in keys) and (key != "missing" or _says_missing(figures))]
    directions = {_direction(f) for f, _, _ in ordered}
    if directions == {"flat"}:
        return "与去年同期持平"
    if len(ordered) == 1:
        ((f, _, unit),) = ordered
        if f.previous == 0:
            return f"同比增加{f.change}{unit}"
        return f"与去年同期相比{'下降' if f.change < 0 else '上升'}{_pct(f)}"
    if directions in ({"down"}, {"up"}):
        word = "下降" if directions == {"down"} else "上升"
        return f"与去年同期相比分别{word}" + "、".join(_pct(f) for f, _, _ in ordered)
    clauses = []
    for f, name, unit in ordered:
        match _direction(f):
            case "flat":
                clauses.append(f"{name}持平")
            case "new":
                clauses.append(f"{name}同比增加{f.change}{unit}")
            case "down":
                clauses.append(f"{name}下降{_pct(f)}")
            case "up":
                clauses.append(f"{name}上升{_pct(f)}")
    return "与去年同期相比，" + "，".join(clauses)


def _casualties(figures: dict[str, Figure]) -> str:
    """死亡5人、失踪2人、受伤3人: 失踪 only when there are missing persons this year or last."""
    return "、".join(f"{word}{figures[key].value}人" for key, word in CASUALTIES.items()
                    if key != "missing" or _says_missing(figures))


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
    head = f"{line.label}事故{accidents.value}起"
    if accidents.value == 0:
        return f"{head}，去年同期{accidents.previous}起"
    said = [key for key in CASUALTIES if figures[key].value or (key == "missing" and _says_missing(figures))]
    none = [CASUALTIES[key] for key in ("deaths", "injuries") if not figures[key].value]
    shown = "".join(f"、{CASUALTIES[key]}{figures[key].value}人" for key in said)
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
            clauses.append(industry_clause(industrial_group)
                           + "（" + "；".join(industry_clause(x) for x in industrial) + "）")
    return clauses


def bulletin_sentence(collective_name: str, start: date, end: date, figures: dict[str, Figure],
                      grades: list[GradeLine], industries: list[IndustryLine],
                      industrial_group: IndustryLine | None = None) -> str:
    """The accident paragraph: totals with their comparison, the grade clause, then 其中 each industry with
    records this period or last."""
    text = (f"{period_phrase(start, end)}，{collective_name}共发生各类事故{figures['accidents'].value}起、"
            f"{_casualties(figures)}，{comparison_clause(figures)}；{grade_clause(grades)}。")
    clauses = industry_clauses(industries, industrial_group)
    if clauses:
        text += "其中：" + "；".join(clauses) + "。"
    return text
