"""A rules file (考核办法 as data): its model, and a loader that says exactly what is wrong and where.

The assessment team edits these files by hand, so every problem — YAML syntax, a misspelt key or metric, a
rule without a cap, grade bands that overlap — is raised as one RulesError reading `<file>:<line>: <problem>`.
Unknown keys are errors too: a misspelt optional key would otherwise be silently ignored and change scores.
Numbers are read as exact Decimals (2.5 stays 2.5), never through floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from appraisal.records import (
    ACCIDENT,
    CODES,
    COUNT,
    FILTERS,
    FLAG,
    METRICS,
    Condition,
    Where,
)

SCHEMES_DIR = Path(__file__).with_name("schemes")


class RulesError(ValueError):
    """A rules file that cannot be used, said as `<file>:<line>: <problem>`."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path, self.line, self.problem = path, line, problem


# --------------------------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    name_zh: str
    max: Decimal
    start: Decimal  # 基本分: the max where rules deduct from full marks, 0 where they earn points
    floor: Decimal | None  # None: deductions may take the section below any bound


@dataclass(frozen=True)
class PerUnit:
    """points for every unit counted (each accident, each death …), at most `cap` in all."""

    key: str
    name_zh: str
    section: str
    metric: str
    where: Where
    points: Decimal
    cap: Decimal | None


@dataclass(frozen=True)
class AgainstTarget:
    """points_above per unit above the region's target, points_below per unit under it (at most bonus_cap);
    with loss_per_death_yuan every so many yuan of direct loss counts as one more death."""

    key: str
    name_zh: str
    section: str
    metric: str
    target: str
    where: Where
    points_above: Decimal
    points_below: Decimal
    bonus_cap: Decimal | None
    loss_per_death_yuan: Decimal | None


@dataclass(frozen=True)
class Ratio:
    """points × numerator ÷ denominator, rounded half-up to round_to."""

    key: str
    name_zh: str
    section: str
    numerator: str
    denominator: str
    where: Where
    points: Decimal
    round_to: Decimal
    when_denominator_zero: Decimal


@dataclass(frozen=True)
class TargetRatio:
    """Full points when the count reaches the target, else points × count ÷ target; without a target,
    without_target_any when anything was counted, else without_target_none."""

    key: str
    name_zh: str
    section: str
    metric: str
    target: str
    where: Where
    points: Decimal
    round_to: Decimal
    without_target_any: Decimal
    without_target_none: Decimal


@dataclass(frozen=True)
class ShareAbove:
    """points when the part's share of the base is strictly above `above` (a fraction, 0.5 = 50%)."""

    key: str
    name_zh: str
    section: str
    metric: str
    base: Where
    part: Where  # applied within the base
    above: Decimal
    points: Decimal


@dataclass(frozen=True)
class Doubling:
    """`first` for the first unit, then × factor for each further one (−1, −2, −4 …), at most `cap` in all."""

    key: str
    name_zh: str
    section: str
    metric: str
    where: Where
    first: Decimal
    factor: Decimal
    cap: Decimal | None


@dataclass(frozen=True)
class OpenAtYearEnd:
    """points per hazard (major ones only, or all) still not rectified on 31 December."""

    key: str
    name_zh: str
    section: str
    hazards: str  # "major" or "all"
    points: Decimal
    cap: Decimal | None


@dataclass(frozen=True)
class ManualItem:
    item: str  # as the appraisal_manual file names it
    max: Decimal


@dataclass(frozen=True)
class Manual:
    """The team's scores of the appraisal_manual file for these items; a missing item scores 0."""

    key: str
    name_zh: str
    section: str
    items: tuple[ManualItem, ...]


Rule = PerUnit | AgainstTarget | Ratio | TargetRatio | ShareAbove | Doubling | OpenAtYearEnd | Manual


@dataclass(frozen=True)
class Veto:
    key: str
    reason_zh: str
    metric: str
    where: Where
    at_least: int


@dataclass(frozen=True)
class GradeBand:
    name: str
    min: Decimal | None  # inclusive; None: no lower bound
    below: Decimal | None  # exclusive; None: no upper bound

    def contains(self, total: Decimal) -> bool:
        return (self.min is None or total >= self.min) and (self.below is None or total < self.below)


@dataclass(frozen=True)
class Scheme:
    name: str
    years: tuple[int, ...]
    source: str  # the file it was read from
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...]
    vetoes: tuple[Veto, ...]
    grades: tuple[GradeBand, ...]
    grade_on_veto: str | None
    manual_items: tuple[ManualItem, ...]

    def grade_of(self, total: Decimal) -> str:
        return next(band.name for band in self.grades if band.contains(total))


# --------------------------------------------------------------------------------------------------------------
# YAML with line numbers
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    value: Any  # dict[str, _Node], list[_Node] or a scalar
    line: int
    key_lines: dict[str, int] | None = None  # for a mapping: the line each key is on


# A scheme is a few hundred lines. The limits refuse, in one line, a file that would take the machine with it:
# aliases of aliases expand exponentially (a 500-byte "billion laughs"), deep nesting exhausts the stack.
MAX_BYTES = 1_000_000
MAX_VALUES = 100_000
MAX_DEPTH = 50


def _read_yaml(path: str) -> _Node:
    if Path(path).stat().st_size > MAX_BYTES:
        raise RulesError(path, 1, f"the rules file is larger than {MAX_BYTES:,} bytes")
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RulesError(path, data[: e.start].count(b"\n") + 1, "the file is not UTF-8 text") from None
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as e:  # a control character in the text
        raise RulesError(path, text[: e.position].count("\n") + 1, f"YAML syntax error: {e.reason}") from None
    try:
        root = loader.get_single_node()
        if root is None:
            raise RulesError(path, 1, "the rules file is empty")
        return _convert(loader, root, path, [MAX_VALUES], 0)
    except RecursionError:
        raise RulesError(path, 1, f"the rules file is nested more than {MAX_DEPTH} levels deep") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context
        if e.context and e.context.startswith("expected "):  # "expected a single document …, but found …"
            problem = f"{e.context}, {problem}"
        raise RulesError(path, mark.line + 1, f"YAML syntax error: {problem}") from None
    finally:
        loader.dispose()


def _convert(loader: yaml.SafeLoader, node: yaml.Node, path: str, budget: list[int], depth: int) -> _Node:
    """`budget`: how many more values the file may expand to, aliases counted each time they are used."""
    line = node.start_mark.line + 1
    budget[0] -= 1
    if budget[0] < 0:
        raise RulesError(
            path, line, f"the rules file expands to more than {MAX_VALUES:,} values (aliases that repeat aliases?)"
        )
    if depth > MAX_DEPTH:
        raise RulesError(path, line, f"the rules file is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.MappingNode):
        values: dict[str, _Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise RulesError(path, key_line, f"keys must be text, got {key!r}")
            if key in values:
                raise RulesError(path, key_line, f"duplicate key '{key}' (first at line {key_lines[key]})")
            values[key] = _convert(loader, value_node, path, budget, depth + 1)
            key_lines[key] = key_line
        return _Node(values, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_convert(loader, item, path, budget, depth + 1) for item in node.value], line)
    if node.tag == "tag:yaml.org,2002:float":
        try:
            number = Decimal(node.value.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise RulesError(path, line, f"{node.value} is not a finite number")
        return _Node(number, line)
    return _Node(loader.construct_object(node), line)


# --------------------------------------------------------------------------------------------------------------
# Reading fields
# --------------------------------------------------------------------------------------------------------------

_REQUIRED = object()
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


class _Fields:
    """One YAML mapping being read: hands out its fields by type, then rejects any key nobody asked for."""

    def __init__(self, path: str, node: _Node, what: str) -> None:
        if not isinstance(node.value, dict):
            raise RulesError(path, node.line, f"{what} must be a mapping of key: value, got {_shown(node.value)}")
        self.path, self.node, self.what = path, node, what
        self._asked: list[str] = []

    @property
    def line(self) -> int:
        return self.node.line

    def error_at(self, key: str, problem: str) -> RulesError:
        """An error on the line of the field `key` (the mapping's own line when the key is absent)."""
        return RulesError(self.path, self.node.key_lines.get(key, self.line), problem)

    def error(self, key: str, problem: str) -> RulesError:
        """An error about the field `key`, saying whose field it is."""
        return self.error_at(key, f"{self.what}: {problem}")

    def has(self, key: str) -> bool:
        self._asked.append(key)
        return key in self.node.value

    def _get(self, key: str, default: Any) -> _Node | None:
        self._asked.append(key)
        node = self.node.value.get(key)
        if (node is None or node.value is None) and default is _REQUIRED:
            raise self.error_at(key, f"{self.what} has no {key}")
        return None if node is None or node.value is None else node

    def _wrong(self, key: str, node: _Node, expected: str) -> RulesError:
        return RulesError(self.path, node.line, f"{self.what}: {key} must be {expected}, got {_shown(node.value)}")

    def number(self, key: str, default: Any = _REQUIRED, *, positive: bool = False) -> Any:
        node = self._get(key, default)
        if node is None:
            return default
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self._wrong(key, node, "a number")
        if positive and value <= 0:
            raise self._wrong(key, node, "a number above 0")
        return Decimal(value)

    def count(self, key: str, default: Any = _REQUIRED, *, least: int = 0) -> Any:
        node = self._get(key, default)
        if node is None:
            return default
        if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value < least:
            raise self._wrong(key, node, f"a whole number of at least {least}")
        return node.value

    def flag(self, key: str) -> bool:
        node = self._get(key, _REQUIRED)
        if not isinstance(node.value, bool):
            raise self._wrong(key, node, "true or false")
        return node.value

    def text(self, key: str, default: Any = _REQUIRED) -> Any:
        node = self._get(key, default)
        if node is None:
            return default
        if not isinstance(node.value, str) or not node.value.strip():
            raise self._wrong(key, node, "text")
        return node.value.strip()

    def name(self, key: str) -> str:
        node = self._get(key, _REQUIRED)
        if not isinstance(node.value, str) or not _NAME.match(node.value):
            raise self._wrong(key, node, "a name of lowercase letters, digits and _ (like accident_control)")
        return node.value

    def choice(self, key: str, choices: Any, what: str) -> str:
        """One of `choices`, e.g. a metric name; the error lists them."""
        node = self._get(key, _REQUIRED)
        if not isinstance(node.value, str) or node.value not in choices:
            known = ", ".join(sorted(choices))
            raise RulesError(self.path, node.line, f"{self.what}: unknown {what} {_shown(node.value)} (known: {known})")
        return node.value

    def text_items(self, key: str, default: Any = _REQUIRED) -> Any:
        """A list of text, as nodes: the caller may need each item's line."""
        node = self._get(key, default)
        if node is None:
            return default
        if not isinstance(node.value, list) or not node.value:
            raise self._wrong(key, node, "a list of text")
        for item in node.value:
            if not isinstance(item.value, str) or not item.value.strip():
                raise RulesError(
                    self.path, item.line, f"{self.what}: {key} must be a list of text, got {_shown(item.value)}"
                )
        return node.value

    def mapping(self, key: str, what: str) -> _Fields | None:
        node = self._get(key, None)
        return None if node is None else _Fields(self.path, node, what)

    def each(self, key: str, default: Any = _REQUIRED) -> list[_Node]:
        """The items of a list field, with their lines."""
        node = self._get(key, default)
        if node is None:
            return []
        if not isinstance(node.value, list):
            raise self._wrong(key, node, "a list")
        return node.value

    def finish(self) -> None:
        for key in self.node.value:
            if key not in self._asked:
                expected = ", ".join(dict.fromkeys(self._asked))
                raise RulesError(
                    self.path, self.node.key_lines[key], f"{self.what}: unknown key '{key}' (expected: {expected})"
                )


def _read_where(fields: _Fields, key: str, record_kind: str) -> Where:
    """A filter mapping such as {grade: [larger], min_deaths: 2}, checked against the record kind counted."""
    where = fields.mapping(key, f"{fields.what}, {key}")
    if where is None:
        return ()
    known = FILTERS[record_kind]
    conditions = []
    for name, node in where.node.value.items():
        if name not in known:
            raise where.error(name, f"unknown filter '{name}' for {record_kind} records (known: {', '.join(known)})")
        kind = known[name].value_kind
        if kind == CODES:
            codes = [item.value.strip() for item in where.text_items(name)]
            for item, code in zip(node.value, codes):
                if code not in known[name].codes:
                    raise RulesError(
                        fields.path,
                        item.line,
                        f"{where.what}: unknown {name} code '{code}' (known: {', '.join(known[name].codes)})",
                    )
            value: Any = frozenset(codes)
        elif kind == COUNT:
            value = where.count(name)
        elif kind == FLAG:
            value = where.flag(name)
        else:  # HOURS
            value = where.number(name)
            if value < 0:
                raise where.error(name, f"{name} must be a number of at least 0, got {value}")
        conditions.append(Condition(name, value))
    where.finish()
    return tuple(conditions)


# --------------------------------------------------------------------------------------------------------------
# Rules of each kind
# --------------------------------------------------------------------------------------------------------------


def _bonus_cap(
    fields: _Fields, points_key: str, cap_key: str = "cap", default: Any = _REQUIRED
) -> tuple[Decimal, Decimal | None]:
    """The points of a rule and its cap. A rule that adds points must say how many at most: an uncapped
    bonus could buy off any deduction."""
    points, cap = fields.number(points_key, default), fields.number(cap_key, None, positive=True)
    if points > 0 and cap is None:
        raise fields.error(
            points_key, f"{points_key} {points} is a bonus without a cap; add {cap_key}: the most points it may add"
        )
    return points, cap


def _metric(fields: _Fields, key: str = "metric", allowed: Any = METRICS) -> str:
    return fields.choice(key, allowed, "metric")


def _per_unit(fields: _Fields, head: dict[str, str]) -> PerUnit:
    metric = _metric(fields)
    where = _read_where(fields, "where", METRICS[metric].record_kind)
    points, cap = _bonus_cap(fields, "points")
    return PerUnit(**head, metric=metric, where=where, points=points, cap=cap)


def _against_target(fields: _Fields, head: dict[str, str]) -> AgainstTarget:
    metric = _metric(fields, allowed=("accidents", "deaths"))
    target = fields.choice("target", ("max_deaths", "max_accidents"), "target")
    points_above = fields.number("points_above")
    points_below, bonus_cap = _bonus_cap(fields, "points_below", "bonus_cap", Decimal(0))
    loss = fields.number("loss_per_death_yuan", None, positive=True)
    if loss is not None and metric != "deaths":
        raise fields.error("loss_per_death_yuan", "loss_per_death_yuan needs metric: deaths")
    return AgainstTarget(
        **head,
        metric=metric,
        target=target,
        where=_read_where(fields, "where", ACCIDENT),
        points_above=points_above,
        points_below=points_below,
        bonus_cap=bonus_cap,
        loss_per_death_yuan=loss,
    )


def _ratio(fields: _Fields, head: dict[str, str]) -> Ratio:
    numerator, denominator = _metric(fields, "numerator"), _metric(fields, "denominator")
    kind = METRICS[denominator].record_kind
    if METRICS[numerator].record_kind != kind:
        raise fields.error(
            "denominator", f"numerator '{numerator}' and denominator '{denominator}' count different records"
        )
    return Ratio(
        **head,
        numerator=numerator,
        denominator=denominator,
        where=_read_where(fields, "where", kind),
        points=fields.number("points"),
        round_to=fields.number("round_to", Decimal("0.1"), positive=True),
        when_denominator_zero=fields.number("when_denominator_zero"),
    )


def _target_ratio(fields: _Fields, head: dict[str, str]) -> TargetRatio:
    metric = _metric(fields)
    target = fields.choice("target", ("min_inspections",), "target")
    without = fields.mapping("without_target", f"{fields.what}, without_target")
    if without is None:
        raise fields.error_at(
            "without_target",
            f"{fields.what} has no without_target (the points when no target was given: any: <points>, none: <points>)",
        )
    any_points, none_points = without.number("any"), without.number("none")
    without.finish()
    return TargetRatio(
        **head,
        metric=metric,
        target=target,
        where=_read_where(fields, "where", METRICS[metric].record_kind),
        points=fields.number("points"),
        round_to=fields.number("round_to", Decimal("0.1"), positive=True),
        without_target_any=any_points,
        without_target_none=none_points,
    )


def _share_above(fields: _Fields, head: dict[str, str]) -> ShareAbove:
    metric = _metric(fields)
    kind = METRICS[metric].record_kind
    base, part = _read_where(fields, "base", kind), _read_where(fields, "part", kind)
    if not part:
        raise fields.error_at("part", f"{fields.what} has no part (the filter picking the share out of the base)")
    above = fields.number("above")
    if not 0 <= above < 1:
        raise fields.error("above", f"above must be a share from 0 to below 1 (0.5 = 50%), got {above}")
    return ShareAbove(**head, metric=metric, base=base, part=part, above=above, points=fields.number("points"))


def _doubling(fields: _Fields, head: dict[str, str]) -> Doubling:
    metric = _metric(fields)
    first, cap = _bonus_cap(fields, "first")
    factor = fields.number("factor", Decimal(2))
    if factor < 1:
        raise fields.error("factor", f"factor must be at least 1, got {factor}")
    return Doubling(
        **head,
        metric=metric,
        where=_read_where(fields, "where", METRICS[metric].record_kind),
        first=first,
        factor=factor,
        cap=cap,
    )


def _open_at_year_end(fields: _Fields, head: dict[str, str]) -> OpenAtYearEnd:
    hazards = fields.choice("hazards", ("major", "all"), "hazards")
    points, cap = _bonus_cap(fields, "points")
    return OpenAtYearEnd(**head, hazards=hazards, points=points, cap=cap)


_KINDS = {
    "per_unit": _per_unit,
    "against_target": _against_target,
    "ratio": _ratio,
    "target_ratio": _target_ratio,
    "share_above": _share_above,
    "doubling": _doubling,
    "open_at_year_end": _open_at_year_end,
}


def _manual(fields: _Fields, head: dict[str, str], declared: dict[str, ManualItem]) -> Manual:
    names = fields.text_items("items", None)
    if names is None:
        return Manual(**head, items=tuple(declared.values()))
    items = []
    for node in names:
        name = node.value.strip()
        if name not in declared:
            raise RulesError(fields.path, node.line, f"{fields.what}: item '{name}' is not in manual_items")
        items.append(declared[name])
    return Manual(**head, items=tuple(items))


def _read_rule(
    path: str, node: _Node, sections: dict[str, Section], seen: dict[str, int], manual_items: dict[str, ManualItem]
) -> Rule:
    fields = _Fields(path, node, "a rule")
    key = fields.name("key")
    if key in seen:
        raise fields.error_at("key", f"duplicate rule key '{key}' (first at line {seen[key]})")
    seen[key] = node.line
    fields.what = f"rule '{key}'"
    head = {"key": key, "name_zh": fields.text("name_zh"), "section": fields.name("section")}
    if head["section"] not in sections:
        raise fields.error("section", f"section '{head['section']}' is not in sections (known: {', '.join(sections)})")
    # manual is read apart: it needs the scheme's manual_items
    kind = fields.choice("kind", (*_KINDS, "manual"), "rule kind")
    rule = _manual(fields, head, manual_items) if kind == "manual" else _KINDS[kind](fields, head)
    fields.finish()
    return rule


# --------------------------------------------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------------------------------------------


def _read_years(top: _Fields) -> tuple[int, ...]:
    if top.has("year") == top.has("years"):
        raise top.error_at("years", "give either year: <year> or years: [<year>, …]")
    if top.has("year"):
        return (top.count("year", least=1949),)
    years = []
    for node in top.each("years"):
        if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value < 1949:
            raise RulesError(top.path, node.line, f"years must be a list of years, got {_shown(node.value)}")
        years.append(node.value)
    if not years:
        raise top.error_at("years", "years is empty")
    return tuple(years)


def _read_sections(top: _Fields, lines: dict[str, int]) -> dict[str, Section]:
    """The sections, in order; `lines` gets the line of each."""
    sections: dict[str, Section] = {}
    for node in top.each("sections"):
        fields = _Fields(top.path, node, "a section")
        key = fields.name("key")
        if key in sections:
            raise fields.error_at("key", f"duplicate section key '{key}'")
        fields.what = f"section '{key}'"
        name_zh, most = fields.text("name_zh"), fields.number("max", positive=True)
        start, floor = fields.number("start", Decimal(0)), fields.number("floor", None)
        if floor is not None and floor >= most:
            raise fields.error("floor", f"floor {floor} must be below max {most}")
        if start > most or (floor is not None and start < floor):
            raise fields.error("start", f"start {start} must lie between floor and max {most}")
        fields.finish()
        sections[key] = Section(key, name_zh, most, start, floor)
        lines[key] = node.line
    if not sections:
        raise top.error_at("sections", "the rules file has no sections")
    return sections


def _read_manual_items(top: _Fields, lines: dict[str, int]) -> dict[str, ManualItem]:
    """The manual items by name; `lines` gets the line of each."""
    items: dict[str, ManualItem] = {}
    for node in top.each("manual_items", None):
        fields = _Fields(top.path, node, "a manual item")
        name = fields.text("item")
        if name in items:
            raise fields.error_at("item", f"duplicate manual item '{name}'")
        fields.what = f"manual item '{name}'"
        items[name] = ManualItem(name, fields.number("max", positive=True))
        lines[name] = node.line
        fields.finish()
    return items


def _read_vetoes(top: _Fields) -> tuple[Veto, ...]:
    vetoes: dict[str, Veto] = {}
    for node in top.each("vetoes", None):
        fields = _Fields(top.path, node, "a veto")
        key = fields.name("key")
        if key in vetoes:
            raise fields.error_at("key", f"duplicate veto key '{key}'")
        fields.what = f"veto '{key}'"
        reason, metric = fields.text("reason_zh"), _metric(fields)
        where = _read_where(fields, "where", METRICS[metric].record_kind)
        vetoes[key] = Veto(key, reason, metric, where, fields.count("at_least", least=1))
        fields.finish()
    return tuple(vetoes.values())


def _band_range(band: GradeBand) -> str:
    if band.min is None:
        return f"below {band.below}"
    return f"from {band.min}" if band.below is None else f"from {band.min} to below {band.below}"


def _read_grades(top: _Fields, sections: dict[str, Section]) -> tuple[GradeBand, ...]:
    bands: list[tuple[GradeBand, int]] = []
    for node in top.each("grades"):
        fields = _Fields(top.path, node, "a grade band")
        band = GradeBand(fields.text("name"), fields.number("min", None), fields.number("below", None))
        fields.what = f"grade band '{band.name}'"
        if any(band.name == other.name for other, _ in bands):
            raise fields.error_at("name", f"duplicate grade band '{band.name}'")
        if band.min is not None and band.below is not None and band.min >= band.below:
            raise fields.error("below", f"min {band.min} must be below {band.below}")
        fields.finish()
        bands.append((band, node.line))
    if not bands:
        raise top.error_at("grades", "the rules file has no grade bands")
    bands.sort(key=lambda b: (b[0].min is not None, b[0].min))
    lowest = None if any(s.floor is None for s in sections.values()) else sum(s.floor for s in sections.values())
    highest = sum(s.max for s in sections.values())
    first, first_line = bands[0]
    if first.min is not None and (lowest is None or first.min > lowest):
        raise RulesError(top.path, first_line, f"grade bands give no grade to totals below {first.min}")
    for (band, _), (upper, upper_line) in zip(bands, bands[1:]):
        if band.below is None or upper.min is None or band.below > upper.min:
            raise RulesError(
                top.path,
                upper_line,
                f"grade bands '{band.name}' ({_band_range(band)}) and '{upper.name}' ({_band_range(upper)}) overlap",
            )
        if band.below < upper.min:
            raise RulesError(
                top.path, upper_line, f"grade bands give no grade to totals from {band.below} to below {upper.min}"
            )
    last, last_line = bands[-1]
    if last.below is not None and last.below <= highest:
        raise RulesError(
            top.path,
            last_line,
            f"grade bands give no grade to totals of {last.below} and above (the sections add up to {highest})",
        )
    return tuple(band for band, _ in reversed(bands))


def _check_manual_items_scored_once(
    path: str, rules: tuple[Rule, ...], rule_lines: dict[str, int], item_lines: dict[str, int]
) -> None:
    """Each manual item in exactly one manual rule: twice would count it twice, never would drop it unseen."""
    scored: dict[str, str] = {}
    for rule in rules:
        for item in rule.items if isinstance(rule, Manual) else ():
            if item.item in scored:
                raise RulesError(
                    path,
                    rule_lines[rule.key],
                    f"rule '{rule.key}': manual item '{item.item}' is already scored by rule '{scored[item.item]}'",
                )
            scored[item.item] = rule.key
    for item, line in item_lines.items():
        if item not in scored:
            raise RulesError(path, line, f"manual item '{item}' is not scored by any manual rule")


def load_scheme(path: str | Path) -> Scheme:
    """Read and check a rules file; any problem raises RulesError naming the file and line."""
    path = str(path)
    top = _Fields(path, _read_yaml(path), "the rules file")
    name, years = top.text("scheme"), _read_years(top)
    section_lines: dict[str, int] = {}
    item_lines: dict[str, int] = {}
    sections = _read_sections(top, section_lines)
    manual_items = _read_manual_items(top, item_lines)
    rule_lines: dict[str, int] = {}
    rules = tuple(_read_rule(path, node, sections, rule_lines, manual_items) for node in top.each("rules"))
    for section in sections.values():
        if not any(rule.section == section.key for rule in rules):
            raise RulesError(path, section_lines[section.key], f"section '{section.key}' has no rules")
    _check_manual_items_scored_once(path, rules, rule_lines, item_lines)
    vetoes = _read_vetoes(top)
    grades = _read_grades(top, sections)
    grade_on_veto = top.text("grade_on_veto", _REQUIRED if vetoes else None)
    if grade_on_veto is not None and grade_on_veto not in {band.name for band in grades}:
        known = ", ".join(band.name for band in grades)
        raise top.error_at("grade_on_veto", f"grade_on_veto '{grade_on_veto}' is not a grade band (known: {known})")
    top.finish()
    return Scheme(
        name, years, path, tuple(sections.values()), rules, vetoes, grades, grade_on_veto, tuple(manual_items.values())
    )


def shipped_schemes(directory: Path = SCHEMES_DIR) -> list[Scheme]:
    """The rules files in `directory` (schemes are versioned by year): a year is scored by exactly one, so two
    files that cover the same year are refused, naming both."""
    schemes = [load_scheme(path) for path in sorted(directory.glob("*.yaml"))]
    covering: dict[int, Scheme] = {}
    for scheme in schemes:
        for year in scheme.years:
            if year in covering:
                raise RulesError(
                    scheme.source,
                    _years_line(scheme.source),
                    f"{year} is also covered by {Path(covering[year].source).name}; keep the year in one rules file",
                )
            covering[year] = scheme
    return schemes


def _years_line(path: str) -> int:
    """The line of a rules file that says its years (the top-level `year:` or `years:`)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return next((number for number, text in enumerate(lines, 1) if text.startswith(("year:", "years:"))), 1)


def scheme_for_year(year: int, directory: Path = SCHEMES_DIR) -> Scheme:
    """The scheme in `directory` that is valid for `year`."""
    matching = [s for s in shipped_schemes(directory) if year in s.years]
    if not matching:
        raise LookupError(f"need exactly one rules file for {year} in {directory}, found: none")
    return matching[0]
