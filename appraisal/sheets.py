"""An appraisal result laid out for the assessment team: the ranking, then one score sheet per region.

Pure functions of the scores document (scoring.scores_as_json) and the scheme it was scored by: every number is
the document's own, never recomputed, so the workbook and the terminal always agree with the JSON. The scheme
only supplies the Chinese names of sections and rules. Laid out as report.tables' Table and Block, so a
sheet reads like the standard report tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from appraisal.rules import Scheme
from report.tables import Block, Table

RANKING = "排名"  # the first sheet's name
RANKING_HEAD = ("排名", "区划代码", "名称", "总分", "等级")
SHEET_HEAD = ("考核项目", "评分细则", "得分", "说明", "依据记录")
SUBTOTAL, TOTAL = "小计", "合计"
# scoring.section_lines writes a section's bounds as lines "<section>.start" and "<section>.floor|max"
BOUND_NAMES = {"start": "基本分", "floor": "得分调整", "max": "得分调整"}
MAX_SHEET_NAME = 31  # Excel's limit
NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


@dataclass(frozen=True)
class Figure:
    """A number cell with fixed decimals: points to 0.1 as the 考核办法 writes them (18.0, 6.7), ranks whole.
    Not tables.Number: its kinds have no one-decimal one (AMOUNT would show 18.00)."""

    value: int | float
    decimals: int


def points(value: int | float) -> Figure:
    """Points to one decimal, or to as many as they have: a scheme may round a ratio to 0.01, and a sheet
    showing 6.67 as 6.7 would not add up."""
    return Figure(value, max(1, -Decimal(str(value)).as_tuple().exponent))


AppraisalCell = str | Figure


def format_figure(cell: AppraisalCell) -> str:
    return cell if isinstance(cell, str) else f"{cell.value:.{cell.decimals}f}"


def appraisal_tables(document: dict, scheme: Scheme) -> list[Table]:
    """The ranking first, then each region's score sheet in rank order."""
    _check_scheme(document, scheme)
    regions = document["regions"]
    names = sheet_names(regions)
    return [
        ranking_table(document, scheme),
        *(region_table(document["year"], region, scheme, name) for region, name in zip(regions, names)),
    ]


def ranking_table(document: dict, scheme: Scheme) -> Table:
    headers = (*RANKING_HEAD, *(section.name_zh for section in scheme.sections), "否决事项")
    rows = tuple(
        (
            Figure(r["rank"], 0),
            r["code"],
            r["name"],
            points(r["total"]),
            r["grade"],
            *(points(r["sections"][section.key]) for section in scheme.sections),
            "；".join(r["vetoes"]),
        )  # "；", as a reason may hold a "、" itself (瞒报、谎报)
        for r in document["regions"]
    )
    return Table(
        RANKING,
        f"{document['year']}年度考核结果，考核办法：{scheme.name}（{document['rules']}）",
        (Block(headers, rows),),
    )


def region_table(year: int, region: dict, scheme: Scheme, sheet_name: str) -> Table:
    rule_names = {rule.key: rule.name_zh for rule in scheme.rules}
    rows: list[tuple[AppraisalCell, ...]] = []
    for section in scheme.sections:
        for line in (line for line in region["lines"] if line["section"] == section.key):
            rows.append(
                (
                    section.name_zh,
                    _rule_name(line["rule"], rule_names),
                    points(line["points"]),
                    line["explanation"],
                    "、".join(line["evidence"]),
                )
            )
        rows.append((section.name_zh, SUBTOTAL, points(region["sections"][section.key]), f"满分{section.max:f}分", ""))
    rows.append((TOTAL, "", points(region["total"]), "", ""))
    blocks = [Block(SHEET_HEAD, tuple(rows))]
    if region["vetoes"]:
        blocks.append(Block(("否决事项",), tuple((reason,) for reason in region["vetoes"])))
    caption = (
        f"{region['code']} {year}年度 总分 {format_figure(points(region['total']))} "
        f"等级 {region['grade']} 排名 {region['rank']}"
    )
    return Table(sheet_name, caption, tuple(blocks))


def _rule_name(rule: str, rule_names: dict[str, str]) -> str:
    if rule in rule_names:
        return rule_names[rule]
    return BOUND_NAMES[rule.rpartition(".")[2]]


def _check_scheme(document: dict, scheme: Scheme) -> None:
    """Refuse a scheme other than the one the document was scored by: its names would label the wrong points."""
    sections = {section.key for section in scheme.sections}
    known = {rule.key for rule in scheme.rules} | {f"{key}.{bound}" for key in sections for bound in BOUND_NAMES}
    for region in document["regions"]:
        unknown = (set(region["sections"]) ^ sections) | ({line["rule"] for line in region["lines"]} - known)
        if unknown:
            raise ValueError(
                f"{scheme.source} does not fit the scores of {document['rules']}: "
                f"{', '.join(sorted(unknown))}; render with the scheme the scores came from"
            )


def sheet_names(regions: list[dict]) -> list[str]:
    """A sheet name per region, in order: its name as Excel allows it, with the code when two regions (two
    城关镇 of different counties) share a name. Excel compares sheet names ignoring case."""
    taken = {RANKING.casefold()}
    names = []
    for region in regions:
        chosen = next(c for c in _name_candidates(region) if c.casefold() not in taken)
        taken.add(chosen.casefold())
        names.append(chosen)
    return names


def _name_candidates(region: dict) -> Iterator[str]:
    name = NOT_IN_SHEET_NAME.sub("_", region["name"]).strip("' ") or region["code"]
    yield name[:MAX_SHEET_NAME]
    for n in count(1):
        suffix = f"_{region['code']}" + (f"_{n}" if n > 1 else "")
        yield name[: MAX_SHEET_NAME - len(suffix)] + suffix
