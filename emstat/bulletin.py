"""The bulletin register: the sentence statisticians publish, from figures already computed.

截至5月31日，全县共发生各类事故120起、死亡8人、受伤40人，与去年同期相比分别下降10.45%、20.00%、9.09%。
其中：道路交通事故30起、死亡6人、受伤40人；工矿商贸事故7起、死亡2人、受伤0人（建筑施工事故5起、死亡2人、受伤0人，
煤矿事故2起、死亡0人、受伤0人）。

With missing persons this year or last, 失踪 follows 死亡 and is compared like the others:
截至5月31日，全区共发生各类事故6起、死亡2人、失踪2人、受伤5人，与去年同期相比分别上升100.00%、100.00%、100.00%、150.00%。
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
    label: str  # 道路交通, 火灾 …
    accidents: int
    deaths: int
    injuries: int
    is_industrial: bool = False  # in the 工矿商贸 group
    missing: int = 0

    def clause(self) -> str:
        return f"{self.label}事故{self.accidents}起、{_casualties(self.deaths, self.missing or None, self.injuries)}"


def _casualties(deaths: int, missing: int | None, injuries: int) -> str:
    """死亡5人、失踪2人、受伤3人; missing None leaves 失踪 out."""
    return f"死亡{deaths}人、" + ("" if missing is None else f"失踪{missing}人、") + f"受伤{injuries}人"


INDUSTRIAL_GROUP = "工矿商贸"


# (name in a per-figure clause, unit), in the order the sentence gives them
FIGURES = (("accidents", "起数", "起"), ("deaths", "死亡人数", "人"), ("missing", "失踪人数", "人"),
           ("injuries", "受伤人数", "人"))


def _says_missing(figures: dict[str, Figure]) -> bool:
    """Missing persons are stated when there are some this year or last: a county without any reads as it always
    has, and one with them never hides them or their change."""
    return bool(figures["missing"].value or figures["missing"].previous)


def _said(figures: dict[str, Figure]) -> list[tuple[Figure, str, str]]:
    return [(figures[key], name, unit) for key, name, unit in FIGURES if key != "missing" or _says_missing(figures)]


def period_phrase(start: date, end: date) -> str:
    if start == date(end.year, 1, 1):
        return f"截至{end.month}月{end.day}日"
    if start == end:  # a month in progress on its first day, or a day asked for
        return f"{end.month}月{end.day}日"
    if start.year == end.year:
        return f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


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


def comparison_clause(figures: dict[str, Figure]) -> str:
    ordered = _said(figures)
    directions = {_direction(f) for f, _, _ in ordered}
    if directions == {"flat"}:
        return "与去年同期持平"
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


def bulletin_sentence(collective_name: str, start: date, end: date, figures: dict[str, Figure],
                      industries: list[IndustryLine]) -> str:
    missing = figures["missing"].value if _says_missing(figures) else None
    casualties = _casualties(figures["deaths"].value, missing, figures["injuries"].value)
    text = (f"{period_phrase(start, end)}，{collective_name}共发生各类事故{figures['accidents'].value}起、{casualties}，"
            f"{comparison_clause(figures)}。")
    clauses = industry_clauses([x for x in industries if x.accidents])
    if clauses:
        text += "其中：" + "；".join(clauses) + "。"
    return text


def industry_clauses(industries: list[IndustryLine]) -> list[str]:
    """One clause per industry in the given order, except that the 工矿商贸 industries are reported together,
    apart from road traffic and fire, as one clause with each of them in brackets."""
    industrial = [x for x in industries if x.is_industrial]
    clauses = []
    for line in industries:
        if not line.is_industrial:
            clauses.append(line.clause())
        elif line is industrial[0]:
            group = IndustryLine(INDUSTRIAL_GROUP, *(sum(getattr(x, f) for x in industrial)
                                                     for f in ("accidents", "deaths", "injuries")),
                                 missing=sum(x.missing for x in industrial))
            clauses.append(group.clause() + "（" + "，".join(x.clause() for x in industrial) + "）")
    return clauses
