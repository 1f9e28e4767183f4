"""The standard tables a county sends to the prefecture, laid out from the report document (docs/report-json.md).

Pure functions of the document: every number in a table is the document's own, never recomputed, so the Excel
and Markdown renderings always agree with the JSON. A number is shown with the digits the document gives it
(12.50 万元, 0.03000 for a rate of 4 significant digits, 10.5% with --decimals 1), so a document read back from
JSON text is read with parse_float=Decimal. Only the layout and the Chinese wording are decided here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from ingest.codes import CODE_LISTS

MISSING = "—"  # a null figure: a change in percent on a zero base, a rate without its denominator
COMPARED = ("本期", "去年同期", "增减", "增减%")
RATIO_COMPARED = COMPARED[:3]  # ratios are compared by difference only (kpi-rules.md)


class Kind(Enum):
    COUNT = "count"  # whole numbers
    AMOUNT = "amount"  # 万元, 元, hectares
    PERCENT = "percent"
    RATE = "rate"  # 4 significant digits


@dataclass(frozen=True)
class Number:
    """A number cell. The kind is per cell, not per column: a column of 指标 rows mixes 项, 万元 and %."""

    value: int | Decimal | None
    kind: Kind
    signed: bool = False  # a change, shown with its sign
    unit: str = ""  # shown after the number, e.g. 个百分点 for the change of a percentage


Cell = str | Number  # text; "" where a figure does not apply


@dataclass(frozen=True)
class Block:
    """A header row and its rows; a table stacks blocks when its figures do not share one set of columns."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Table:
    title: str  # 事故分行业统计表; the sheet name too
    caption: str  # region, period, 去年同期 and 数据截至
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Labels:
    """Chinese labels of the codes the document is keyed by."""

    industries: Mapping[str, str]
    industry_groups: Mapping[str, str]
    industry_group_of: Mapping[str, str]  # industry code -> its group's code
    grades: Mapping[str, str]
    hazards: Mapping[str, str]
    programs: Mapping[str, str]  # relief programs (救助类别)
    fund_sources: Mapping[str, str]

    @classmethod
    def from_code_lists(cls) -> Labels:
        lists = {code_list.name: code_list.codes for code_list in CODE_LISTS}

        def labels(name: str) -> dict[str, str]:
            return {c.code: c.label for c in lists[name]}

        return cls(
            industries=labels("industries"),
            industry_groups=labels("industry_groups"),
            industry_group_of={c.code: c.group for c in lists["industries"] if c.group is not None},
            grades=labels("accident_grades"),
            hazards=labels("hazards"),
            programs=labels("relief_programs"),
            fund_sources=labels("fund_sources"),
        )


def format_cell(cell: Cell) -> str:
    """As a statistician writes it: 12, 12.35, +3, -2.50, 0, 0.03000, +12.86个百分点, — for null."""
    if isinstance(cell, str):
        return cell
    if cell.value is None:
        return MISSING
    text = f"{cell.value:.0f}" if cell.kind is Kind.COUNT else format(Decimal(cell.value), "f")  # never 1e-05
    return ("+" if cell.signed and cell.value > 0 else "") + text + cell.unit


def decimals(cell: Number) -> int:
    """The decimals a number is shown with: none for a count, else the document's own."""
    return 0 if cell.kind is Kind.COUNT else max(0, -Decimal(cell.value).as_tuple().exponent)


def report_title(report: dict) -> str:
    return f"{report['region']['name']}应急管理统计报表"


def caption(report: dict) -> str:
    text = f"{report['region']['name']} {_span(report['period'])}，去年同期 {_span(report['comparison_period'])}"
    if report["as_of"]:
        text += f"，数据截至 {report['as_of']}"
    if report["comparison_as_of"]:
        text += f"（去年同期数据截至 {report['comparison_as_of']}）"
    return text


def footnote(report: dict) -> str:
    """The basis of the figures, under every rendering: which region tree both years were counted by and the
    boundary changes (区划调整) that moved a region's history with it."""
    boundaries = report["boundaries"]
    text = f"注：本期与去年同期均按{_day(boundaries['valid_on'])}的行政区划统计（可比口径）"
    if boundaries["known_on"]:
        text += f"，区划以{_day(boundaries['known_on'])}所知为准"
    text += "。"
    for change in boundaries["changes"]:
        since = f"自{_day(change['valid_from'])}起" if change["valid_from"] else ""
        text += (
            f"{change['region_name']}{since}由{change['from_name']}划入{change['to_name']}，"
            f"其本期与去年同期数据均计入{change['to_name']}。"
        )
    return text


def _day(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def _span(period: Mapping[str, str]) -> str:
    start, end = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    text = f"{start.year}年{start.month}月{start.day}日"
    if end == start:
        return text
    return text + "至" + (f"{end.year}年" if end.year != start.year else "") + f"{end.month}月{end.day}日"


def standard_tables(report: dict, labels: Labels) -> list[Table]:
    line = caption(report)
    subregion = _subregion_word(report["region"]["code"])
    return [
        Table("事故分行业统计表", line, _accident_blocks(report, labels)),
        Table(f"事故分{subregion}统计表", line, (_subregion_block(report, subregion),)),
        Table("执法检查统计表", line, (_enforcement_block(report["enforcement"]),)),
        Table("救灾资金发放统计表", line, _relief_blocks(report["relief"], labels)),
        Table("自然灾害灾情统计表", line, _disaster_blocks(report["disasters"], labels)),
        Table("主要指标", line, (_rates_block(report["rates"]),)),
    ]


def _subregion_word(region_code: str) -> str:
    """by_subregion holds the regions one level down; GB/T 2260 codes tell the level of the region asked for."""
    if len(region_code) > 6:
        return "村（社区）"
    if region_code.endswith("0000"):
        return "市州"
    if region_code.endswith("00"):
        return "区县"
    return "乡镇"


def _compared(figure: Mapping, kind: Kind) -> tuple[Number, ...]:
    return (*_ratio(figure, kind), Number(figure["change_pct"], Kind.PERCENT, signed=True))


def _ratio(figure: Mapping, kind: Kind, change_unit: str = "") -> tuple[Number, ...]:
    return (
        Number(figure["value"], kind),
        Number(figure["previous"], kind),
        Number(figure["change"], kind, signed=True, unit=change_unit),
    )


def _grouped_headers(first: str, figures: Iterable[tuple[str, str, Kind]]) -> tuple[str, ...]:
    return (first, *(f"{name} {column}" for _, name, _ in figures for column in COMPARED))


def _grouped_row(label: str, figures: Mapping, layout: Iterable[tuple[str, str, Kind]]) -> tuple[Cell, ...]:
    return (label, *(cell for key, _, kind in layout for cell in _compared(figures[key], kind)))


def _indicator_rows(figures: Mapping, layout: Iterable[tuple[str, str, Kind]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple((name, *_compared(figures[key], kind)) for key, name, kind in layout)


ACCIDENTS = (
    ("accidents", "事故起数", Kind.COUNT),
    ("deaths", "死亡人数", Kind.COUNT),
    ("missing", "失踪人数", Kind.COUNT),
    ("injuries", "受伤人数", Kind.COUNT),
)
ACCIDENT_TOTALS_ONLY = (
    ("serious_injuries", "重伤人数", Kind.COUNT),
    ("direct_loss_10k_yuan", "直接经济损失(万元)", Kind.AMOUNT),
)


def _accident_blocks(report: dict, labels: Labels) -> tuple[Block, ...]:
    rows = [_grouped_row("合计", report["totals"], ACCIDENTS)]
    rows += [_grouped_row(label, figures, ACCIDENTS) for label, figures in _industry_lines(report, labels)]
    others = _indicator_rows(report["totals"], ACCIDENT_TOTALS_ONLY) + tuple(
        (f"{labels.grades[code]}事故起数", *_compared(figure, Kind.COUNT))
        for code, figure in report["by_grade"].items()
    )
    return (Block(_grouped_headers("行业", ACCIDENTS), tuple(rows)), Block(("指标", *COMPARED), others))


def _industry_lines(report: dict, labels: Labels) -> list[tuple[str, Mapping]]:
    """Industries as in the national table: a group of several industries (工矿商贸) first as a whole, then each
    of its industries as 其中; an industry that is a group by itself (道路交通, 火灾) once, on its own."""
    groups = report["by_industry_group"]
    members = Counter(labels.industry_group_of.values())
    lines: list[tuple[str, Mapping]] = []
    shown: set[str] = set()
    for code, figures in report["by_industry"].items():
        group = labels.industry_group_of[code]
        if members[group] == 1 or group not in groups:
            lines.append((labels.industries[code], figures))
            continue
        if group not in shown:
            lines.append((labels.industry_groups[group], groups[group]))
            shown.add(group)
        lines.append((f"其中：{labels.industries[code]}", figures))
    return lines


def _subregion_block(report: dict, word: str) -> Block:
    rows = [_grouped_row("合计", report["totals"], ACCIDENTS)]
    rows += [_grouped_row(region["name"], region, ACCIDENTS) for region in report["by_subregion"].values()]
    return Block(_grouped_headers(word, ACCIDENTS), tuple(rows))


ENFORCEMENT = (
    ("inspections", "检查次数", Kind.COUNT),
    ("units_inspected", "检查单位数", Kind.COUNT),
    ("hazards_found", "发现隐患(项)", Kind.COUNT),
    ("major_hazards_found", "其中重大事故隐患(项)", Kind.COUNT),
    ("hazards_rectified", "已整改隐患(项)", Kind.COUNT),
    ("rectification_rate_pct", "整改率(%)", Kind.PERCENT),
    ("overdue_hazards", "逾期未整改隐患(项)", Kind.COUNT),
    ("cases_filed", "立案数", Kind.COUNT),
    ("penalty_decisions", "处罚决定数", Kind.COUNT),
    ("fines_10k_yuan", "罚款金额(万元)", Kind.AMOUNT),
    ("double_penalty_cases", "一案双罚案件数", Kind.COUNT),
    ("inspections_without_penalty", "发现隐患未处罚检查数", Kind.COUNT),
)


def _enforcement_block(enforcement: Mapping) -> Block:
    rows = []
    for key, name, kind in ENFORCEMENT:
        if key == "rectification_rate_pct":  # a percentage: compared in 个百分点, never in percent
            rows.append((name, *_ratio(enforcement[key], kind, "个百分点"), ""))
        else:
            rows.append((name, *_compared(enforcement[key], kind)))
    return Block(("指标", *COMPARED), tuple(rows))


RELIEF = (
    ("amount_10k_yuan", "金额(万元)", Kind.AMOUNT),
    ("households", "户数", Kind.COUNT),
    ("persons", "人数", Kind.COUNT),
)
RELIEF_RATIOS = (
    ("amount_per_person_yuan", "人均救助金额(元)", Kind.AMOUNT),
    ("days_to_first_disbursement", "灾后首次发放平均天数", Kind.RATE),
)


def _relief_blocks(relief: Mapping, labels: Labels) -> tuple[Block, ...]:
    rows = [_grouped_row("合计", relief, RELIEF)]
    rows += [
        _grouped_row(f"救助类别：{labels.programs[code]}", figures, RELIEF)
        for code, figures in relief["by_program"].items()
    ]
    rows += [
        _grouped_row(f"资金来源：{labels.fund_sources[code]}", figures, RELIEF)
        for code, figures in relief["by_source"].items()
    ]
    ratios = tuple((name, *_ratio(relief[key], kind)) for key, name, kind in RELIEF_RATIOS)
    return (Block(_grouped_headers("项目", RELIEF), tuple(rows)), Block(("指标", *RATIO_COMPARED), ratios))


DISASTER_TOTALS = (
    ("events", "灾害事件(次)", Kind.COUNT),
    ("affected_people", "受灾人口(人次)", Kind.COUNT),
    ("deaths", "死亡人口(人)", Kind.COUNT),
    ("missing", "失踪人口(人)", Kind.COUNT),
    ("relocated", "紧急转移安置人口(人次)", Kind.COUNT),
    ("houses_collapsed", "倒塌房屋(间)", Kind.COUNT),
    ("houses_severe", "严重损坏房屋(间)", Kind.COUNT),
    ("houses_damaged", "一般损坏房屋(间)", Kind.COUNT),
    ("crop_affected_ha", "农作物受灾面积(公顷)", Kind.AMOUNT),
    ("crop_failed_ha", "农作物成灾面积(公顷)", Kind.AMOUNT),
    ("crop_lost_ha", "农作物绝收面积(公顷)", Kind.AMOUNT),
    ("direct_loss_10k_yuan", "直接经济损失(万元)", Kind.AMOUNT),
)
BY_HAZARD = tuple(
    f for f in DISASTER_TOTALS if f[0] in ("events", "affected_people", "deaths", "missing", "direct_loss_10k_yuan")
)


def _disaster_blocks(disasters: Mapping, labels: Labels) -> tuple[Block, ...]:
    hazards = tuple(
        _grouped_row(labels.hazards[code], figures, BY_HAZARD) for code, figures in disasters["by_hazard"].items()
    )
    return (
        Block(("指标", *COMPARED), _indicator_rows(disasters, DISASTER_TOTALS)),
        Block(_grouped_headers("灾种", BY_HAZARD), hazards),
    )


# (key, name, unit of the change: the difference of two percentages is in 个百分点, of two permilles in 个千分点)
RATES = (
    ("deaths_per_100m_gdp", "亿元GDP生产安全事故死亡率", ""),
    ("industrial_deaths_per_100k_workers", "工矿商贸就业人员十万人生产安全事故死亡率", ""),
    ("road_deaths_per_10k_vehicles", "道路交通万车死亡率", ""),
    ("coal_deaths_per_mt", "煤矿百万吨死亡率", ""),
    ("disaster_deaths_per_million", "每百万人口因灾死亡率", ""),
    ("disaster_loss_pct_of_gdp", "因灾直接经济损失占GDP比例(%)", "个百分点"),
    ("forest_fire_damage_permille", "森林火灾受害率(‰)", "个千分点"),
)


def _rates_block(rates: Mapping) -> Block:
    rows = tuple((name, *_ratio(rates[key], Kind.RATE, unit), _missing_base(rates[key])) for key, name, unit in RATES)
    return Block(("指标", *RATIO_COMPARED, "备注"), rows)


def _missing_base(figure: Mapping) -> str:
    """A null rate is a denominator nobody filed (GDP, workers, vehicles …): say so, rather than show a bare —."""
    if figure["value"] is None and figure["previous"] is None:
        return "基数缺失"
    if figure["value"] is None:
        return "本期基数缺失"
    if figure["previous"] is None:
        return "去年同期基数缺失"
    return ""
