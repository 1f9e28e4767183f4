"""The pipeline runs itself: the landing sensor, the monthly close and the failure notifications."""

from __future__ import annotations

import json
import os
import shutil
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from dagster import (
    DagsterEventType,
    DagsterInstance,
    RunRequest,
    SkipReason,
    build_run_status_sensor_context,
    build_schedule_context,
    build_sensor_context,
    job,
    op,
)

from core.clock import local_now
from dagster_project.operations.history import run_history_sensor
from dagster_project.operations.landing import arrivals
from dagster_project.operations.notifications import Failure, failure_notifier, notify
from dagster_project.operations.schedules import close_day, landing_sensor, monthly_close
from dagster_project.resources import EmstatHome

LANDING = Path(__file__).parents[1] / "pipeline" / "fixtures" / "landing"
NOW = 10**19  # far after every file's mtime: nothing is still settling


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_each_file_is_offered_once_and_again_only_when_it_changes(tmp_path):
    first = _write(tmp_path / "事故_2025.csv", "a\n")
    _write(tmp_path / "sub" / "处罚_2025.xlsx", "b")
    _write(tmp_path / "~$事故_2025.xlsx", "excel's lock file")
    _write(tmp_path / ".hidden.csv", "x")
    _write(tmp_path / "说明.txt", "not a record file")
    arrival = arrivals(tmp_path, None, NOW, settle_s=0)
    assert arrival.paths == [str(tmp_path / "sub" / "处罚_2025.xlsx"), str(first)]
    again = arrivals(tmp_path, arrival.cursor, NOW, settle_s=0)
    assert again.paths == [] and again.cursor == arrival.cursor
    first.write_text("a corrected file\n", encoding="utf-8")
    assert arrivals(tmp_path, arrival.cursor, NOW, settle_s=0).paths == [str(first)]


def test_a_file_still_being_copied_waits_for_the_next_tick(tmp_path):
    path = _write(tmp_path / "事故_2025.csv", "a\n")
    modified = path.stat().st_mtime_ns
    waiting = arrivals(tmp_path, None, modified + 5 * 10**9, settle_s=30)
    assert waiting.paths == [] and json.loads(waiting.cursor) == {}
    assert arrivals(tmp_path, waiting.cursor, modified + 31 * 10**9, settle_s=30).paths == [str(path)]


@pytest.fixture
def home(tmp_path, monkeypatch):
    root = tmp_path / "home"
    monkeypatch.setenv("EMSTAT_HOME", str(root))
    monkeypatch.setattr("dagster_project.operations.schedules.SETTLE_S", 0)
    return root


def test_the_landing_sensor_starts_one_run_per_new_file(home):
    shutil.copytree(LANDING, home / "landing")
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance)
        first = landing_sensor(context)
        assert isinstance(first, RunRequest)
        expected = sorted(str(p) for p in (home / "landing").iterdir())
        assert first.run_config == {"ops": {"raw_tables": {"config": {"paths": expected}}}}
        assert first.tags == {"emstat/trigger": "landing_sensor"}
        context = build_sensor_context(instance=instance, cursor=context.cursor)
        assert isinstance(landing_sensor(context), SkipReason)
        late = _write(home / "landing" / "事故_2025_补报.csv", "事故编号\n")
        context = build_sensor_context(instance=instance, cursor=context.cursor)
        second = landing_sensor(context)
        assert second.run_config["ops"]["raw_tables"]["config"]["paths"] == [str(late)]
        assert second.run_key != first.run_key
        context = build_sensor_context(instance=instance, cursor=context.cursor)
        assert isinstance(landing_sensor(context), SkipReason)


def test_the_close_day_comes_from_the_environment(monkeypatch):
    assert close_day() == 5
    assert monthly_close.cron_schedule == "0 6 5 * *"
    monkeypatch.setenv("EMSTAT_CLOSE_DAY", "8")
    assert close_day() == 8
    for wrong in ("0", "31", "five"):
        monkeypatch.setenv("EMSTAT_CLOSE_DAY", wrong)
        with pytest.raises(ValueError, match=f"EMSTAT_CLOSE_DAY must be a day from 1 to 28, not '{wrong}'"):
            close_day()


# The daemon launches each run in a new process that loads the code location for its EMSTAT_HOME; so does this.
RUN_REQUEST = """
import json, sys
from dagster import DagsterInstance
from dagster_project.definitions import defs
request = json.loads(sys.argv[1])
with DagsterInstance.get() as instance:
    result = defs.resolve_job_def(request["job"]).execute_in_process(
        run_config=request["run_config"], tags=request["tags"], instance=instance, raise_on_error=False)
print("success" if result.success else "failure")
"""


@pytest.mark.slow
def test_a_monthly_close_tick_loads_builds_and_publishes(home, monkeypatch):
    import subprocess
    import sys
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import duckdb

    shutil.copytree(LANDING, home / "landing")
    tick = datetime(2025, 6, 5, 6, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with DagsterInstance.ephemeral() as instance:
        requests = list(
            monthly_close.evaluate_tick(
                build_schedule_context(instance=instance, scheduled_execution_time=tick)
            ).run_requests
        )
    assert len(requests) == 1
    (request,) = requests
    assert request.tags["emstat/trigger"] == "monthly_close"
    (home / "dagster").mkdir(parents=True)
    launched = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN_REQUEST,
            json.dumps({"job": monthly_close.job_name, "run_config": request.run_config, "tags": request.tags}),
        ],
        env={**os.environ, "EMSTAT_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert launched.stdout.strip().splitlines()[-1] == "success", launched.stderr[-2000:]
    # The same rows the command line's load of this folder gives (tests/pipeline): published, not just loaded.
    with duckdb.connect(str(home / "published" / "warehouse.duckdb"), read_only=True) as con:
        counts = [
            con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in ("accidents", "regions", "quarantine", "files")
        ]
        current = con.execute("select count(*) from marts.fct_accidents").fetchone()[0]
    assert (counts, current) == ([14, 7, 4, 4], 14)

    # The daemon's run history sensor finds the finished run (which put itself in the history as it published)
    # and renders its validations into the data docs.
    site = home / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site"
    assert not (site / "index.html").exists()
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    with DagsterInstance.get() as instance:
        recorded = run_history_sensor(build_sensor_context(instance=instance, resources={"emstat": EmstatHome()}))
    assert recorded.skip_message == "recorded 0 finished runs"
    assert "fct_accidents" in (site / "index.html").read_text(encoding="utf-8")
    assert len(list((site / "validations").glob("*/*/*/*.html"))) == 19  # each suite the run validated, once


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Hook.received
    server.shutdown()


FAILURE = Failure("r1", "pipeline", "monthly_close", "dbt build failed", "2026-12-05T06:00:41")


def test_a_failure_is_logged_and_posted(tmp_path, webhook):
    url, received = webhook
    assert notify(FAILURE, tmp_path / "failures.log", url) is True
    assert received == [
        {
            "run_id": "r1",
            "job": "pipeline",
            "trigger": "monthly_close",
            "message": "dbt build failed",
            "failed_at": "2026-12-05T06:00:41",
        }
    ]
    assert [json.loads(line) for line in (tmp_path / "failures.log").read_text().splitlines()] == received


def test_a_webhook_that_is_down_still_leaves_the_log_line(tmp_path):
    assert notify(FAILURE, tmp_path / "failures.log", "http://127.0.0.1:9/nothing-listens") is False
    assert json.loads((tmp_path / "failures.log").read_text())["run_id"] == "r1"


@op
def _breaks():
    raise RuntimeError("the township file server is down")


@job(tags={"emstat/trigger": "daily_refresh"})
def _failing():
    _breaks()


def test_the_failure_sensor_reports_a_real_failed_run(home, webhook, monkeypatch):
    url, received = webhook
    monkeypatch.setenv("EMSTAT_ALERT_WEBHOOK", url)
    before = local_now()
    with DagsterInstance.ephemeral() as instance:
        result = _failing.execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        event = next(e for e in result.all_events if e.event_type == DagsterEventType.RUN_FAILURE)
        context = build_run_status_sensor_context(
            sensor_name="failure_notifier",
            dagster_event=event,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
        ).for_run_failure()
        failure_notifier(context)
    assert len(received) == 1
    assert (received[0]["run_id"], received[0]["job"], received[0]["trigger"]) == (
        result.run_id,
        "_failing",
        "daily_refresh",
    )
    assert "_breaks" in received[0]["message"]
    # Beijing time, as the ledger and the records: a machine on UTC would be eight hours behind.
    assert before <= datetime.fromisoformat(received[0]["failed_at"]) <= local_now()
    logged = json.loads((home / "logs" / "failures.log").read_text(encoding="utf-8"))
    assert logged == received[0]
