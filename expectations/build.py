"""How an expectation is tagged: the policy check it belongs to, its severity, what to tell the statistician."""

from __future__ import annotations

from typing import Any

import great_expectations.expectations as gxe

from expectations.policy import Policy


def meta(policy: Policy, check: str, hint: str, name: str | None = None) -> dict[str, Any]:
    found = {"severity": policy.severity(check), "check": check, "hint": hint}
    return found | ({"name": name} if name else {})


def sql_expectation(policy: Policy, check: str, name: str, hint: str, query: str) -> gxe.UnexpectedRowsExpectation:
    """A finding per row of `query`, named in its failing_id column; `{batch}` stands for the suite's table."""
    return gxe.UnexpectedRowsExpectation(unexpected_rows_query=query, meta=meta(policy, check, hint, name))
