"""The policy file decides each expectation's severity; a broken one is refused in one line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from expectations.policy import POLICY_FILE, PolicyError, load_policy
from expectations.suites import all_suites

TODAY = date(2026, 11, 23)


def edited(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    change(document["checks"])
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def severities(policy) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for suite in all_suites(policy, TODAY):
        for e in suite.expectations:
            found.setdefault(e.meta["check"], set()).add(e.meta["severity"])
    return found


def test_the_shipped_policy_gives_each_check_one_severity():
    assert severities(load_policy()) == {
        "contract": {"error"},
        "freshness": {"warning"},
        "month_without_records": {"warning"},
        "volume_shift": {"warning"},
        "value_shift": {"warning"},
        "grade_mismatch": {"warning"},
        "relief_over_approved": {"error"},
        "silent_township": {"warning"},
        "kpi_plausible": {"error"},
        "kpi_sums": {"error"},
    }


def test_changing_a_severity_in_the_file_changes_the_expectations(tmp_path):
    policy = load_policy(edited(tmp_path, lambda checks: checks["grade_mismatch"].update(severity="error")))
    assert severities(policy)["grade_mismatch"] == {"error"}
    assert severities(policy)["volume_shift"] == {"warning"}


def test_the_policy_lists_decide_which_sources_are_checked(tmp_path):
    policy = load_policy(edited(tmp_path, lambda checks: checks["volume_shift"].update(sources=["relief"])))
    names = [
        e.meta["name"] for s in all_suites(policy, TODAY) for e in s.expectations if e.meta["check"] == "volume_shift"
    ]
    assert names == ["volume_shift(relief)"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["kpi_sums"].update(severity="fatal"), "check 'kpi_sums': severity must be one of error, warning"),
        (lambda c: c.pop("freshness"), "check 'freshness' is missing"),
        (
            lambda c: c.update(spelling={"severity": "error"}),
            "unknown check 'spelling' (known: contract, "
            "month_without_records, silent_township, volume_shift, value_shift, grade_mismatch, kpi_sums, kpi_plausible, "
            "relief_over_approved, freshness)",
        ),
        (lambda c: c["volume_shift"].update(sources=["accidnets"]), "unknown source 'accidnets'"),
    ],
)
def test_a_broken_policy_is_refused_in_one_line(tmp_path, change, message):
    path = edited(tmp_path, change)
    with pytest.raises(PolicyError) as raised:
        load_policy(path)
    assert str(raised.value) == f"{path}: {message}"


def test_a_reference_source_cannot_be_checked_by_month(tmp_path):
    policy = load_policy(edited(tmp_path, lambda checks: checks["month_without_records"].update(sources=["regions"])))
    with pytest.raises(PolicyError) as raised:
        all_suites(policy, TODAY)
    assert str(raised.value) == (
        "policy check 'month_without_records': 'regions' is not a record source "
        "(accidents, inspections, penalties, relief, disasters)"
    )
