"""Bad commands fail with one clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import pytest

from tests.runner import run_emstat, run_emstat_process


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (
            ["report", "--region", "990121", "--from", "2025-01-01", "--to", "2025-05-31"],
            1,
            "emstat: nothing is published yet under {home}: run `emstat build` first",
        ),
        (
            ["report", "--region", "990121", "--from", "2025-13-01", "--to", "2025-05-31"],
            1,
            "emstat: --from must be a date like 2024-05-31, not '2025-13-01'",
        ),
        (["ingest", "no/such/folder"], 1, "emstat: no such file or folder: no/such/folder"),
        (["backfill", "no/such/archive"], 1, "emstat: no such file or folder: no/such/archive"),
        (["build"], 1, "emstat: no warehouse under {home}: run `emstat ingest PATH…` first"),
        (["quality"], 1, "emstat: no warehouse under {home}: run `emstat ingest PATH…` first"),
        (
            ["quality", "--format", "xml"],
            2,
            "emstat: Invalid value for '--format': Value error, 'xml' is not one of 'text', 'json'.",
        ),
        (["demo", "--on", "2999-01-01"], 1, "emstat: --on 2999-01-01 is in the future"),
        (["demo", "--on", "yesterday"], 1, "emstat: --on must be a date like 2024-05-31, not 'yesterday'"),
        (["bench", "--work", "tests"], 1, "emstat: bench: --work tests is not empty: give a new or empty folder"),
        (["frobnicate"], 2, "emstat: No such command 'frobnicate'."),
        (["report", "--region", "990121"], 2, "emstat: Missing option '--from'."),
        (
            ["report", "--region", "990121", "--from", "2025-01-01", "--to", "2025-05-31", "--decimals", "3"],
            2,
            "emstat: Invalid value for '--decimals': Input should be less than or equal to 2",
        ),
        (
            ["dashboards", "up"],
            1,
            "emstat: nothing published under {home} yet: run `emstat demo` or `emstat build` first",
        ),
        (
            ["dashboards", "provision"],
            1,
            "emstat: Superset is not running for {home}: start it with `emstat dashboards up`",
        ),
        (
            ["dashboards", "up", "--port", "0"],
            2,
            "emstat: Invalid value for '--port': Input should be greater than or equal to 1",
        ),
    ],
)
def test_one_line_and_a_non_zero_exit(emstat_home, args, code, line):
    done = run_emstat(emstat_home, *args)
    assert done.returncode == code
    assert done.stderr.splitlines() == [line.format(home=emstat_home)]
    assert "Traceback" not in done.stdout + done.stderr


def test_the_console_script_ends_its_process_with_the_code_and_one_line(emstat_home):
    """The commands above run in this process; the installed script itself exits the same way."""
    usage = run_emstat_process(emstat_home, "frobnicate")
    assert (usage.returncode, usage.stderr.splitlines()) == (2, ["emstat: No such command 'frobnicate'."])
    missing = run_emstat_process(emstat_home, "build")
    assert (missing.returncode, missing.stderr.splitlines()) == (
        1,
        [f"emstat: no warehouse under {emstat_home}: run `emstat ingest PATH…` first"],
    )


def test_help_lists_the_commands(emstat_home):
    done = run_emstat(emstat_home, "--help")
    assert done.returncode == 0
    for command in ("demo", "ingest", "build", "backfill", "status", "report", "quality", "dashboards"):
        assert command in done.stdout


def test_a_second_writer_is_refused_in_one_line(emstat_home):
    import fcntl

    emstat_home.mkdir(parents=True)
    with (emstat_home / "pipeline.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running `emstat build` holds it
        done = run_emstat(emstat_home, "ingest", str(emstat_home))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"emstat: another emstat command is running on {emstat_home}; try again when it has finished"
    ]


def test_quality_before_any_check_has_run(emstat_home):
    import duckdb

    from ingest.warehouse import ensure_raw_schema

    emstat_home.mkdir(parents=True)
    with duckdb.connect(str(emstat_home / "warehouse.duckdb")) as con:
        ensure_raw_schema(con)
    done = run_emstat(emstat_home, "quality")
    assert (done.returncode, done.stderr.splitlines()) == (
        1,
        ["emstat: no quality checks have run yet: run `emstat build`"],
    )
