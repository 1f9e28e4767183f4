"""Run the `emstat` command against a throwaway EMSTAT_HOME: in this process (the default), or as the console
script of this venv where the process itself is under test (kill -9, a lock held by another process)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

# Tests read the command's tables line by line: wide enough that no reason or figure wraps.
COLUMNS = "400"
os.environ["COLUMNS"] = COLUMNS

EMSTAT = Path(sys.executable).with_name("emstat")
# What a command sets for itself (core.settings.home, emstat.pipeline.prepare_instance): put back after
# each in-process command, so the next one starts from the same environment as a new process would.
_COMMAND_ENVIRONMENT = ("EMSTAT_HOME", "DAGSTER_HOME")


def run_emstat(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`emstat ARGS` through `emstat.cli.main` in this process: the same code, exit codes and output as the
    console script, without paying its start (Dagster, dbt's project and GX imported again) on every call."""
    from emstat.cli import main

    saved = {name: os.environ.get(name) for name in _COMMAND_ENVIRONMENT}
    os.environ["EMSTAT_HOME"] = str(home)
    stdout, stderr = io.StringIO(), io.StringIO()
    code: int = 0
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(["emstat", *args], code, stdout.getvalue(), stderr.getvalue())


def emstat_environment(home: Path) -> dict[str, str]:
    return {**os.environ, "EMSTAT_HOME": str(home), "COLUMNS": COLUMNS}


def run_emstat_process(home: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """The console script in a process of its own."""
    return subprocess.run(
        [str(EMSTAT), *args], env=emstat_environment(home), capture_output=True, text=True, timeout=timeout
    )
