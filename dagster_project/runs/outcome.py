"""What a run did, read from its Dagster events: the command line reads them from the run it has just executed,
the run history from Dagster's event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dagster import AssetCheckSeverity, DagsterEventType


@dataclass(frozen=True)
class Finding:
    """An expectation that failed in a GX suite: an error stops publish, a warning does not."""

    suite: str
    expectation: str
    severity: str
    observed: object
    failing_ids: list[str]


@dataclass(frozen=True)
class RunOutcome:
    success: bool
    published: bool
    log: Path | None
    file_lines: list[str] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # FileSummary fields, one dict per file
    suites: int = 0  # GX suites validated
    expectations: int = 0  # in those suites
    findings: list[Finding] = field(default_factory=list)
    passed_tests: int = 0  # dbt tests, which dagster-dbt reports as asset checks too
    failed_tests: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    blocked: bool = False  # an error-severity check failed, so nothing downstream of it ran
    published_at: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def outcome_of(events: list, success: bool, log: Path | None = None) -> RunOutcome:
    file_lines: list[str] = []
    files: list[dict] = []
    published_at = None
    for event in events:
        if not event.is_step_materialization:
            continue
        materialization = event.event_specific_data.materialization
        key = materialization.asset_key.to_user_string()
        if key == "raw/files":
            summary = materialization.metadata.get("summary")
            file_lines = [line for line in (summary.value if summary else "").splitlines() if line]
            files = materialization.metadata["file_summaries"].value
        if key == "published_warehouse":
            published_at = materialization.metadata["published_at"].value
    evaluations = [e.event_specific_data for e in events if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION]
    # GX suites carry the size of their suite; dbt tests do not. A suite the policy left empty is not counted.
    suites = [e for e in evaluations if "expectations" in e.metadata and e.metadata["expectations"].value]
    tests = [e for e in evaluations if "expectations" not in e.metadata]
    findings = [
        Finding(
            e.asset_check_key.name.removesuffix("_expectations"),
            f["expectation"],
            f["severity"],
            f["observed"],
            f["failing_ids"],
        )
        for e in suites
        for f in (e.metadata["failures"].value if "failures" in e.metadata else [])
    ]
    failed_tests = [_check_name(e) for e in tests if not e.passed]
    # A blocking check that fails ends its step with DagsterAssetCheckFailedError: already reported above.
    failed_steps = [
        e.step_key
        for e in events
        if e.is_step_failure and e.step_key and e.step_failure_data.error.cls_name != "DagsterAssetCheckFailedError"
    ]
    blocked = any(f.severity == "error" for f in findings) or any(
        not e.passed and e.severity == AssetCheckSeverity.ERROR for e in tests
    )
    return RunOutcome(
        success=success and not blocked,
        published=published_at is not None,
        log=log,
        file_lines=file_lines,
        suites=len(suites),
        expectations=sum(e.metadata["expectations"].value for e in suites),
        findings=findings,
        passed_tests=sum(1 for e in tests if e.passed),
        failed_tests=failed_tests,
        failed_steps=failed_steps,
        blocked=blocked,
        files=files,
        published_at=published_at,
    )


def _check_name(evaluation) -> str:
    return f"{evaluation.asset_check_key.asset_key.to_user_string()}:{evaluation.asset_check_key.name}"
