"""The quality policy: each check's severity and thresholds, read from policy.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingest.contract import SOURCES_BY_NAME

POLICY_FILE = Path(__file__).with_name("policy.yaml")
SEVERITIES = ("error", "warning")
CHECKS = (
    "contract",
    "month_without_records",
    "silent_township",
    "volume_shift",
    "value_shift",
    "grade_mismatch",
    "kpi_sums",
    "kpi_plausible",
    "relief_over_approved",
    "freshness",
)


class PolicyError(Exception):
    """The policy file cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Policy:
    checks: dict[str, dict[str, Any]]

    def severity(self, check: str) -> str:
        return self.checks[check]["severity"]

    def setting(self, check: str, name: str) -> Any:
        return self.checks[check][name]


def load_policy(path: Path = POLICY_FILE) -> Policy:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError(f"{path}: cannot be read: {exc}".splitlines()[0]) from exc
    checks = (document or {}).get("checks") if isinstance(document, dict) else None
    if not isinstance(checks, dict):
        raise PolicyError(f"{path}: needs a 'checks:' mapping")
    for name in CHECKS:
        if not isinstance(checks.get(name), dict):
            raise PolicyError(f"{path}: check '{name}' is missing")
        if checks[name].get("severity") not in SEVERITIES:
            raise PolicyError(f"{path}: check '{name}': severity must be one of {', '.join(SEVERITIES)}")
    unknown = sorted(set(checks) - set(CHECKS))
    if unknown:
        raise PolicyError(f"{path}: unknown check '{unknown[0]}' (known: {', '.join(CHECKS)})")
    named_sources = [
        *checks["month_without_records"].get("sources", []),
        *checks["silent_township"].get("sources", []),
        *checks["volume_shift"].get("sources", []),
        *checks["value_shift"].get("columns", {}),
        *checks["freshness"].get("max_age_days", {}),
    ]
    for source in named_sources:
        if source not in SOURCES_BY_NAME:
            raise PolicyError(f"{path}: unknown source '{source}'")
    return Policy(checks)
