"""The Superset admin's password reaches Superset on standard input, never as an argument (arguments are public
in `ps`), and what emstat keeps to tell that it changed is a salted hash in a file only its owner reads.

Superset itself is played by two scripts in a stand-in venv that record their arguments and their input: what is
under test is what emstat hands a process, not Superset (the real one: test_dashboards_superset.py)."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

from core.settings import Home
from dashboards.server import Admin, SupersetHome, ensure_initialised, password_hash

PASSWORD = "s3cret-Pw-9"
RECORDER = """#!/bin/sh
echo "$0 $*" >> "{log}/argv"
cat >> "{log}/stdin"
"""


def _stand_in_venv(tmp_path: Path) -> Path:
    venv, log = tmp_path / "venv", tmp_path / "recorded"
    (venv / "bin").mkdir(parents=True)
    log.mkdir()
    for name in ("python", "superset"):
        script = venv / "bin" / name
        script.write_text(RECORDER.format(log=log), encoding="utf-8")
        script.chmod(0o755)
    return log


def test_the_password_goes_on_stdin_and_is_kept_only_salted_and_private(tmp_path, monkeypatch):
    log = _stand_in_venv(tmp_path)
    monkeypatch.setenv("EMSTAT_SUPERSET_VENV", str(tmp_path / "venv"))
    monkeypatch.delenv("EMSTAT_SUPERSET_PASSWORD", raising=False)
    where = SupersetHome(Home(tmp_path / "home"))
    ensure_initialised(where, Admin("admin", PASSWORD, generated=False), say=lambda line: None)

    argv = (log / "argv").read_text(encoding="utf-8")
    assert PASSWORD not in argv
    assert argv.splitlines()[-1].endswith("dashboards/superset_admin.py admin")
    assert (log / "stdin").read_text(encoding="utf-8") == PASSWORD

    marker = where.root / "initialised.json"
    kept = json.loads(marker.read_text(encoding="utf-8"))
    assert stat.S_IMODE(marker.stat().st_mode) == 0o600
    assert PASSWORD not in json.dumps(kept)
    assert hashlib.sha256(PASSWORD.encode()).hexdigest() not in json.dumps(kept)
    assert kept["password"] == password_hash(PASSWORD, kept["salt"]) and len(kept["salt"]) == 32

    # The same admin again sets nothing up again; a changed password does, with the same salt kept.
    before = argv
    ensure_initialised(where, Admin("admin", PASSWORD, generated=False), say=lambda line: None)
    assert (log / "argv").read_text(encoding="utf-8") == before
    ensure_initialised(where, Admin("admin", "changed-Pw-1", generated=False), say=lambda line: None)
    assert (log / "stdin").read_text(encoding="utf-8").endswith("changed-Pw-1")
    assert json.loads(marker.read_text(encoding="utf-8"))["salt"] == kept["salt"]
