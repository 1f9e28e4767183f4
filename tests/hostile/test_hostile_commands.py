"""Hostile commands and homes: each ends with its exit code and one line on stderr, never a traceback, and
whatever loaded stays loaded. A home on a read-only or a full file system is a real tmpfs where this machine can
mount one (CI runs as root); elsewhere those cases are skipped, saying why."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.runner import run_emstat

pytestmark = pytest.mark.slow

COMMANDS = Path(__file__).parent / "fixtures" / "commands"
BOMB = (
    "\n".join(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]" for previous, name in zip("abcdefgh", "bcdefghi"))
    + "\n"
)


def _lines(done) -> list[str]:
    return done.stderr.splitlines()


def _no_traceback(done) -> None:
    assert "Traceback" not in done.stdout + done.stderr


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> tuple[Path, object]:
    """An empty home after `emstat ingest` of fixtures/commands and a binary file named with an escape sequence:
    the regions and one accident load, the empty and the binary file are refused, a row with an escape sequence is
    quarantined."""
    root = tmp_path_factory.mktemp("hostile")
    landing = root / "landing_in"
    shutil.copytree(COMMANDS, landing)
    (landing / "accidents_\x1b[31m.csv").write_bytes(b"\x00\xff\xfe\xfd")
    home = root / "home"
    return home, run_emstat(home, "ingest", str(landing))


def test_ingest_exits_1_when_a_file_is_refused_and_keeps_what_loaded(ingested):
    home, done = ingested
    _no_traceback(done)
    assert done.returncode == 1
    assert _lines(done) == ["emstat: 2 of 4 files not loaded (see above)"]
    assert "accidents_empty.csv: rejected: 文件是空的 / the file is empty" in done.stdout.splitlines()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select accident_id from raw.accidents").fetchall() == [("E1",)]
        assert con.execute("select count(*) from raw.regions").fetchone() == (5,)


def test_escape_sequences_in_file_names_and_cells_never_reach_the_terminal(ingested):
    home, done = ingested
    assert (
        "accidents_\\u001b[31m.csv: rejected: 文件编码无法识别(应为UTF-8或GBK) / encoding not recognised (expected "
        "UTF-8 or GBK)"
    ) in done.stdout.splitlines()
    for args in (("quarantine",), ("status",), ("quarantine", "--format", "json"), ("status", "--format", "json")):
        shown = run_emstat(home, *args)
        assert shown.returncode == 0, shown.stderr
        assert "\x1b" not in shown.stdout, args
    quarantine = run_emstat(home, "quarantine").stdout
    assert "\\u001b[2J9901" in quarantine and "accidents_\\u001b[31m.csv" in quarantine
    # JSON keeps the value: the escape read back is the character itself.
    rows = json.loads(run_emstat(home, "quarantine", "--format", "json").stdout)["rows"]
    (escaped,) = [row for row in rows if row["record_id"] == "E2"]
    assert escaped["raw_values"]["行政区划代码"] == "\x1b[2J9901"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            (
                "report",
                "--region",
                "990121",
                "--from",
                "2025-01-01",
                "--to",
                "2025-05-31",
                "--format",
                "json",
                "--output",
                "{tmp}/no/such/folder/r.json",
            ),
            "emstat: --output {tmp}/no/such/folder/r.json: there is no folder {tmp}/no/such/folder",
        ),
        (
            ("appraise", "--year", "2025", "--format", "xlsx", "--output", "{tmp}/no/such/folder/a.xlsx"),
            "emstat: --output {tmp}/no/such/folder/a.xlsx: there is no folder {tmp}/no/such/folder",
        ),
        (
            ("appraise", "--year", "2025", "--rules", "{tmp}/bomb.yaml"),
            "emstat: {tmp}/bomb.yaml:1: the rules file expands to more than 100,000 values (aliases that repeat aliases?)",
        ),
        (
            ("appraise", "--year", "2025", "--rules", "{tmp}/deep.yaml"),
            "emstat: {tmp}/deep.yaml:1: the rules file is nested more than 50 levels deep",
        ),
        (
            ("appraise", "--year", "2025", "--rules", "{tmp}/big.yaml"),
            "emstat: {tmp}/big.yaml:1: the rules file is larger than 1,000,000 bytes",
        ),
    ],
    ids=[
        "report_output_folder_missing",
        "appraise_output_folder_missing",
        "rules_alias_bomb",
        "rules_nested_deep",
        "rules_too_large",
    ],
)
def test_refused_in_one_line(tmp_path, args, line):
    (tmp_path / "bomb.yaml").write_text("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + BOMB, encoding="utf-8")
    (tmp_path / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (tmp_path / "big.yaml").write_text("# " + "x" * 1_000_000 + "\n", encoding="utf-8")
    done = run_emstat(tmp_path / "home", *(arg.format(tmp=tmp_path) for arg in args))
    _no_traceback(done)
    assert (done.returncode, _lines(done)) == (1, [line.format(tmp=tmp_path)])


@contextmanager
def _tmpfs(place: Path, size: str, read_only: bool = False) -> Iterator[Path]:
    place.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(place)], capture_output=True, text=True
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield place
    finally:
        subprocess.run(["umount", "-l", str(place)], check=False)


def test_a_full_disk_is_one_line_and_exit_1(tmp_path):
    with _tmpfs(tmp_path / "full", "600k") as home:
        done = run_emstat(home, "ingest", str(COMMANDS))
    _no_traceback(done)
    assert (done.returncode, _lines(done)) == (1, ["emstat: the disk is full"])


def test_a_read_only_home_is_read_and_refuses_writes_in_one_line(tmp_path, shelf):
    built = shelf.get("pipeline")
    with _tmpfs(tmp_path / "ro", "512m") as home:
        shutil.copytree(built.root, home, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
        report = run_emstat(
            home, "report", "--region", "990121", "--from", "2025-01-01", "--to", "2025-05-31", "--format", "json"
        )
        status = run_emstat(home, "status", "--limit", "1")
        quarantine = run_emstat(home, "quarantine")
        build = run_emstat(home, "build", "--force")
        ingest = run_emstat(home, "ingest", str(COMMANDS))
    for done in (report, status, quarantine, build, ingest):
        _no_traceback(done)
    assert [report.returncode, status.returncode, quarantine.returncode] == [0, 0, 0]
    assert json.loads(report.stdout)["region"] == {"code": "990121", "name": "青山县"}
    assert "  published  run " in status.stdout
    assert (build.returncode, _lines(build)) == (1, [f"emstat: the file system is read-only ({home}/pipeline.lock)"])
    assert (ingest.returncode, _lines(ingest)) == (1, [f"emstat: the file system is read-only ({home}/pipeline.lock)"])


def test_quality_during_a_run_says_it_is_still_running(tmp_path, shelf):
    import fcntl

    home = shelf.get("pipeline").copy_to(tmp_path / "home")
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:  # the checks have run, the publish has not yet
        con.execute("update quality.validation_runs set published_at = null")
    idle = run_emstat(home, "quality")
    with (home / "pipeline.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running `emstat build` holds it
        running = run_emstat(home, "quality")
        as_json = json.loads(run_emstat(home, "quality", "--format", "json").stdout)
    assert idle.stdout.splitlines()[0].endswith(": not published")
    assert running.stdout.splitlines()[0].endswith(": still running, not published yet")
    assert (as_json["published"], as_json["is_running"]) == (False, True)
