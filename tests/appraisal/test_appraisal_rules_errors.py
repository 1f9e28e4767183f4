"""A malformed rules file fails with one message: `<file>:<line>: <problem>`.

Each case edits the shipped default scheme in one place; the expected line is the line of a marker text in
the edited file, so the cases hold whatever comments the default file gains.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from appraisal.rules import RulesError, load_scheme

DEFAULT_SCHEME = Path(__file__).parents[2] / "appraisal" / "schemes" / "default.yaml"
DEFAULT_TEXT = DEFAULT_SCHEME.read_text(encoding="utf-8")

# (what is replaced, by what, the marker on the line the error names, the problem)
CASES = [
    pytest.param(
        "kind: per_unit\n",
        "kind: per_units\n",
        "kind: per_units",
        "rule 'general_accidents_with_deaths': unknown rule kind 'per_units' (known: against_target, "
        "doubling, manual, open_at_year_end, per_unit, ratio, share_above, target_ratio)",
        id="rule kind",
    ),
    pytest.param(
        "metric: accidents\n",
        "metric: accident\n",
        "metric: accident\n",
        "rule 'general_accidents_with_deaths': unknown metric 'accident' (known: accidents, deaths, "
        "hazards_found, hazards_rectified, inspections, major_hazards_found)",
        id="metric",
    ),
    pytest.param(
        "    metric: deaths\n",
        "    metric: inspections\n",
        "metric: inspections\n    target: max_deaths",
        "rule 'deaths_against_target': unknown metric 'inspections' (known: accidents, deaths)",
        id="metric of the kind",
    ),
    pytest.param(
        "min_deaths: 2\n",
        "min_death: 2\n",
        "min_death:",
        "rule 'general_accidents_with_deaths', where: unknown filter 'min_death' for accident records "
        "(known: grade, industry, exclude_industry, industry_group, min_deaths, concealed, "
        "reported_after_hours)",
        id="filter field",
    ),
    pytest.param(
        "    base:\n      with_hazards: true\n",
        "    base:\n      concealed: true\n",
        "concealed: true\n    part",
        "rule 'inspections_without_penalty', base: unknown filter 'concealed' for inspection records "
        "(known: with_hazards, with_major_hazards, has_case_or_fine)",
        id="filter of another record kind",
    ),
    pytest.param(
        "grade: [larger]\n    points",
        "grade: [big]\n    points",
        "grade: [big]",
        "rule 'larger_accidents', where: unknown grade code 'big' (known: general, larger, major, especially_major)",
        id="grade code",
    ),
    pytest.param(
        "section: enforcement\n",
        "section: enforcment\n",
        "section: enforcment",
        "rule 'inspections_against_target': section 'enforcment' is not in sections (known: "
        "accident_control, hazard_governance, enforcement, reporting, work_targets)",
        id="unknown section",
    ),
    pytest.param(
        "    min: 80\n    below: 90\n",
        "    min: 80\n    below: 91\n",
        "- name: 优秀",
        "grade bands '良好' (from 80 to below 91) and '优秀' (from 90) overlap",
        id="overlapping bands",
    ),
    pytest.param(
        "    min: 80\n    below: 90\n",
        "    min: 80\n    below: 89\n",
        "- name: 优秀",
        "grade bands give no grade to totals from 89 to below 90",
        id="gap between bands",
    ),
    pytest.param(
        "  - name: 优秀\n    min: 90\n",
        "  - name: 优秀\n    min: 90\n    below: 100\n",
        "- name: 优秀",
        "grade bands give no grade to totals of 100 and above (the sections add up to 100)",
        id="bands stop short",
    ),
    pytest.param(
        "  - name: 不合格\n    below: 60\n",
        "  - name: 不合格\n    min: 10\n    below: 60\n",
        "- name: 不合格",
        "grade bands give no grade to totals below 10",
        id="bands start late",
    ),
    pytest.param(
        "    bonus_cap: 5\n",
        "",
        "points_below: 1",
        "rule 'deaths_against_target': points_below 1 is a bonus without a cap; add bonus_cap: the most "
        "points it may add",
        id="bonus without cap",
    ),
    pytest.param(
        "points: -15\n",
        "points: 15\n",
        "points: 15",
        "rule 'larger_accidents': points 15 is a bonus without a cap; add cap: the most points it may add",
        id="per_unit bonus without cap",
    ),
    pytest.param(
        "    max: 20\n",
        "",
        "- key: hazard_governance",
        "section 'hazard_governance' has no max",
        id="section without max",
    ),
    pytest.param(
        "    floor: 0         # 扣完为止 / deductions stop at 0\n",
        "    floor: 50\n",
        "floor: 50",
        "section 'accident_control': floor 50 must be below max 50",
        id="floor at max",
    ),
    pytest.param(
        "    first: -1\n",
        "    first: -1\n    caps: 3\n",
        "caps: 3",
        "rule 'late_reports': unknown key 'caps' (expected: key, name_zh, section, kind, metric, first, "
        "cap, factor, where)",
        id="unknown key",
    ),
    pytest.param(
        "    points: -5\n",
        "    points: five\n",
        "points: five",
        "rule 'general_accidents_with_deaths': points must be a number, got 'five'",
        id="not a number",
    ),
    pytest.param(
        "    above: 0.5\n",
        "    above: 50\n",
        "above: 50",
        "rule 'inspections_without_penalty': above must be a share from 0 to below 1 (0.5 = 50%), got 50",
        id="share as a percentage",
    ),
    pytest.param(
        "    numerator: hazards_rectified\n",
        "    numerator: deaths\n",
        "denominator: hazards_found",
        "rule 'rectification_rate': numerator 'deaths' and denominator 'hazards_found' count different records",
        id="ratio of different records",
    ),
    pytest.param(
        "    kind: manual\n",
        "    kind: manual\n    items: [安全会议]\n",
        "安全会议",
        "rule 'work_targets': item '安全会议' is not in manual_items",
        id="undeclared manual item",
    ),
    pytest.param(
        "    kind: manual\n",
        "    kind: manual\n    items: [安全生产会议, 应急预案修订, 应急演练]\n",
        "- item: 宣传培训",
        "manual item '宣传培训' is not scored by any manual rule",
        id="unscored manual item",
    ),
    pytest.param(
        "grade_on_veto: 不合格\n",
        "grade_on_veto: 差\n",
        "grade_on_veto: 差",
        "grade_on_veto '差' is not a grade band (known: 优秀, 良好, 合格, 不合格)",
        id="veto grade",
    ),
    pytest.param(
        "    at_least: 2\n",
        "    at_least: 0\n",
        "at_least: 0",
        "veto 'repeated_larger_accidents': at_least must be a whole number of at least 1, got 0",
        id="veto threshold",
    ),
    pytest.param(
        "years: [2024, 2025, 2026]\n", "", "scheme:", "give either year: <year> or years: [<year>, …]", id="no year"
    ),
    pytest.param(
        "    max: 50\n",
        "    max: [50\n",
        "start: 50",
        "YAML syntax error: expected ',' or ']', but got ':'",
        id="YAML syntax",
    ),
    pytest.param(
        "    max: 50\n",
        "\tmax: 50\n",
        "\tmax: 50",
        "YAML syntax error: found character '\\t' that cannot start any token",
        id="YAML tab",
    ),
]


def _line_of(text: str, marker: str) -> int:
    assert text.count(marker) == 1, marker
    return text[: text.index(marker)].count("\n") + 1


@pytest.mark.parametrize(("old", "new", "marker", "problem"), CASES)
def test_a_malformed_rules_file_says_where_and_what(tmp_path: Path, old, new, marker, problem):
    assert old in DEFAULT_TEXT
    edited = DEFAULT_TEXT.replace(old, new, 1)
    path = tmp_path / "rules.yaml"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(RulesError) as raised:
        load_scheme(path)
    assert str(raised.value) == f"{path}:{_line_of(edited, marker)}: {problem}"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", 1, "the rules file is empty"),
        ("# only a comment\n", 1, "the rules file is empty"),
        ("- a\n- b\n", 1, "the rules file must be a mapping of key: value, got a list"),
        (
            "scheme: x\n---\nscheme: y\n",
            2,
            "YAML syntax error: expected a single document in the stream, but found another document",
        ),
        ("scheme: x\nyear: 2025\n", 1, "the rules file has no sections"),
    ],
)
def test_files_that_are_not_a_scheme(tmp_path: Path, text, line, problem):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match=f"^{path}:{line}: {problem}$"):
        load_scheme(path)


@pytest.mark.parametrize(
    ("old", "new", "first", "second", "problem"),
    [
        (
            "key: larger_accidents\n",
            "key: general_accidents_with_deaths\n",
            "key: general_accidents_with_deaths\n    name_zh: 一般",
            "key: general_accidents_with_deaths\n    name_zh: 较大",
            "duplicate rule key 'general_accidents_with_deaths' (first at line {first})",
        ),
        (
            "    points: -15\n",
            "    points: -15\n    points: -10\n",
            "points: -15",
            "points: -10",
            "duplicate key 'points' (first at line {first})",
        ),
    ],
)
def test_duplicates_name_both_lines(tmp_path: Path, old, new, first, second, problem):
    edited = DEFAULT_TEXT.replace(old, new, 1)
    path = tmp_path / "rules.yaml"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(RulesError) as raised:
        load_scheme(path)
    expected = problem.format(first=_line_of(edited, first))
    assert str(raised.value) == f"{path}:{_line_of(edited, second)}: {expected}"


def test_a_section_without_rules(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text(DEFAULT_TEXT.replace("    section: reporting\n", "    section: enforcement\n"), encoding="utf-8")
    with pytest.raises(RulesError) as raised:
        load_scheme(path)
    assert raised.value.problem == "section 'reporting' has no rules"
    assert raised.value.line == _line_of(DEFAULT_TEXT, "- key: reporting")
