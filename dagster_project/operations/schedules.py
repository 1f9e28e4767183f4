"""The month closes itself: a monthly close on a configurable day, a daily refresh, and a landing sensor."""

from __future__ import annotations

import hashlib
import os
import time

from dagster import (
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from core.settings import home
from dagster_project.jobs import PIPELINE_JOB
from dagster_project.operations.landing import arrivals

TIMEZONE = "Asia/Shanghai"
SETTLE_S = float(os.environ.get("EMSTAT_LANDING_SETTLE_SECONDS", "30"))


def close_day() -> int:
    """EMSTAT_CLOSE_DAY: the day of the month the previous month is closed (1–28, default the 5th)."""
    raw = os.environ.get("EMSTAT_CLOSE_DAY", "5")
    if not raw.isdigit() or not 1 <= int(raw) <= 28:
        raise ValueError(f"EMSTAT_CLOSE_DAY must be a day from 1 to 28, not {raw!r}")
    return int(raw)


# Both read the whole landing folder: files already loaded are skipped by their bytes, so a run only loads
# what is new, then builds, checks and publishes.
monthly_close = ScheduleDefinition(
    name="monthly_close",
    job_name=PIPELINE_JOB,
    cron_schedule=f"0 6 {close_day()} * *",
    execution_timezone=TIMEZONE,
    tags={"emstat/trigger": "monthly_close"},
    default_status=DefaultScheduleStatus.RUNNING,
    description="Close the previous month: load the landing folder, build, check, publish.",
)
daily_refresh = ScheduleDefinition(
    name="daily_refresh",
    job_name=PIPELINE_JOB,
    cron_schedule="0 2 * * *",
    execution_timezone=TIMEZONE,
    tags={"emstat/trigger": "daily_refresh"},
    default_status=DefaultScheduleStatus.RUNNING,
    description="Every night: load what arrived, build, check, publish.",
)


@sensor(job_name=PIPELINE_JOB, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING)
def landing_sensor(context: SensorEvaluationContext):
    """New or changed files in EMSTAT_HOME/landing start a run that loads exactly them; each file once."""
    arrival = arrivals(home().landing, context.cursor, time.time_ns(), SETTLE_S)
    context.update_cursor(arrival.cursor)
    if not arrival.paths:
        return SkipReason("no new files in the landing folder")
    run_key = hashlib.sha256("\n".join(arrival.paths).encode() + arrival.cursor.encode()).hexdigest()[:16]
    return RunRequest(
        run_key=run_key,
        run_config={"ops": {"raw_tables": {"config": {"paths": arrival.paths}}}},
        tags={"emstat/trigger": "landing_sensor"},
    )
