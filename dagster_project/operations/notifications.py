"""Tell someone when a run fails: a line in EMSTAT_HOME/logs/failures.log always, and a JSON POST to
EMSTAT_ALERT_WEBHOOK when one is configured (a chat robot, an SMS gateway, anything that takes JSON)."""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from dagster import DefaultSensorStatus, RunFailureSensorContext, run_failure_sensor

from core.clock import local_now
from core.settings import home

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failure:
    run_id: str
    job: str
    trigger: str
    message: str
    failed_at: str


def notify(failure: Failure, log_file: Path, webhook: str | None) -> bool:
    """Write the failure down; POST it when a webhook is set. True when the webhook took it."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(failure), ensure_ascii=False) + "\n")
    if not webhook:
        return False
    request = urllib.request.Request(
        webhook,
        data=json.dumps(asdict(failure), ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as exc:
        # The log line is written; a webhook that is down must not hide the failure it reports.
        log.warning("failure webhook %s unreachable: %s", webhook, exc)
        return False


@run_failure_sensor(default_status=DefaultSensorStatus.RUNNING, minimum_interval_seconds=30)
def failure_notifier(context: RunFailureSensorContext) -> None:
    run = context.dagster_run
    failure = Failure(
        run.run_id,
        run.job_name,
        run.tags.get("emstat/trigger", "manual"),
        context.failure_event.message or "run failed",
        local_now().isoformat(timespec="seconds"),
    )
    notify(failure, home().logs / "failures.log", os.environ.get("EMSTAT_ALERT_WEBHOOK"))
