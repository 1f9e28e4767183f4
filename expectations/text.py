"""`emstat quality` as text: what failed, where, which rows, what to do."""

from __future__ import annotations

from expectations.results import QualityRun

SHOWN_IDS = 20


def render_text(run: QualityRun, data_docs: str, is_running: bool = False) -> list[str]:
    """`is_running`: a writing command is at work on the home, so an unpublished run may yet publish."""
    failed = [r for r in run.results if not r.success]
    errors = [r for r in failed if r.severity == "error"]
    state = "published" if run.published else ("still running, not published yet" if is_running else "not published")
    lines = [
        f"run {run.run_id} of {run.started_at:%Y-%m-%d %H:%M}: {state}",
        (
            f"{len({r.suite for r in run.results})} suites, {len(run.results)} expectations: "
            f"{len(errors)} errors, {len(failed) - len(errors)} warnings"
        ),
    ]
    # Errors first: they are what stops publication.
    for result in sorted(failed, key=lambda r: r.severity != "error"):
        where = result.suite if result.guards == result.suite else f"{result.suite} ({result.guards})"
        lines += ["", f"{result.severity.upper()} {where}: {result.expectation}, observed {result.observed}"]
        if result.failing_ids:
            # At most 50 ids are kept; a count observed says how many there are in all.
            total = result.observed if isinstance(result.observed, int) else len(result.failing_ids)
            more = max(total, len(result.failing_ids)) - min(SHOWN_IDS, len(result.failing_ids))
            shown = ", ".join(result.failing_ids[:SHOWN_IDS]) + (f" and {more} more" if more > 0 else "")
            lines.append(f"  rows: {shown}")
        if result.hint:
            lines.append(f"  what to do: {result.hint}")
    lines += ["", f"data docs: {data_docs}"]
    return lines
