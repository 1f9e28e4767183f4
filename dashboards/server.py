"""Superset on this host: its own virtual environment, its metadata database and secrets under EMSTAT_HOME,
and a gunicorn server on localhost started in the background and stopped again.

The admin and the secret key come from EMSTAT_SUPERSET_USER / EMSTAT_SUPERSET_PASSWORD /
EMSTAT_SUPERSET_SECRET_KEY; without them a password and a key are generated once and kept (mode 0600) under
EMSTAT_HOME/superset, so nothing secret is ever in the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from core.settings import REPO_ROOT, Home

REQUIREMENTS = REPO_ROOT / "dashboards" / "requirements.txt"
CONFIG = REPO_ROOT / "dashboards" / "superset_config.py"
SET_ADMIN = REPO_ROOT / "dashboards" / "superset_admin.py"
# The password is remembered only as a salted, slow hash: enough to tell that it changed.
PASSWORD_ROUNDS = 200_000
DEFAULT_PORT = 8088
START_TIMEOUT_S = 180


class ServerError(Exception):
    """Superset could not be installed, set up, started or reached; said in one line."""


@dataclass(frozen=True)
class Admin:
    username: str
    password: str
    generated: bool  # the password came from EMSTAT_HOME, not the environment


@dataclass(frozen=True)
class SupersetHome:
    """Superset's files under EMSTAT_HOME/superset; the venv beside the repository (shared by every home)."""

    home: Home

    @property
    def root(self) -> Path:
        return self.home.root / "superset"

    @property
    def venv(self) -> Path:
        return Path(os.environ.get("EMSTAT_SUPERSET_VENV", REPO_ROOT / ".venv-superset"))

    @property
    def state(self) -> Path:
        """The running server: pid and port."""
        return self.root / "server.json"

    @property
    def log(self) -> Path:
        return self.home.logs / "superset.log"

    def executable(self, name: str) -> Path:
        return self.venv / "bin" / name


def _secret_file(path: Path, make) -> str:
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    return value


def admin(where: SupersetHome) -> Admin:
    username = os.environ.get("EMSTAT_SUPERSET_USER") or "admin"
    password = os.environ.get("EMSTAT_SUPERSET_PASSWORD")
    if password:
        return Admin(username, password, generated=False)
    return Admin(username, _secret_file(where.root / "admin-password", lambda: secrets.token_urlsafe(12)), True)


def secret_key(where: SupersetHome) -> str:
    return os.environ.get("EMSTAT_SUPERSET_SECRET_KEY") or _secret_file(
        where.root / "secret-key", lambda: secrets.token_urlsafe(48)
    )


def superset_env(where: SupersetHome) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env |= {
        "SUPERSET_CONFIG_PATH": str(CONFIG),
        "SUPERSET_HOME": str(where.root),
        "EMSTAT_SUPERSET_HOME": str(where.root),
        "EMSTAT_SUPERSET_SECRET_KEY": secret_key(where),
        "FLASK_APP": "superset",
        "PATH": f"{where.venv / 'bin'}:{env.get('PATH', '')}",
    }
    return env


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(
    command: list[str], where: SupersetHome, what: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> None:
    """`stdin`: what a secret is passed as, never an argument (arguments are public in `ps`)."""
    where.log.parent.mkdir(parents=True, exist_ok=True)
    with where.log.open("a", encoding="utf-8") as log:
        log.write(f"$ {' '.join(command[:3])} …\n")
        log.flush()
        done = subprocess.run(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
            text=True,
            input=stdin if stdin is not None else "",
        )
    if done.returncode != 0:
        raise ServerError(f"{what} failed (exit {done.returncode}); see {where.log}")


def ensure_installed(where: SupersetHome, say) -> None:
    """Create Superset's venv from its pins when missing or when the pins changed."""
    stamp = where.venv / ".installed"
    wanted = _digest(REQUIREMENTS)
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == wanted:
        return
    say(f"installing Superset into {where.venv} (a few minutes, once)")
    if not where.executable("python").exists():
        _run([sys.executable, "-m", "venv", str(where.venv)], where, "creating Superset's venv")
    pip = [str(where.executable("python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run(pip + ["-r", str(REQUIREMENTS)], where, "installing Superset's pins")
    stamp.write_text(wanted + "\n", encoding="utf-8")


def ensure_initialised(where: SupersetHome, who: Admin, say) -> None:
    """Metadata database, roles and the admin; repeated only when Superset's pins or the admin changed."""
    marker = where.root / "initialised.json"
    done = json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else {}
    salt = done.get("salt") or secrets.token_hex(16)
    wanted = {
        "requirements": _digest(REQUIREMENTS),
        "admin": who.username,
        "salt": salt,
        "password": password_hash(who.password, salt),
    }
    if done == wanted:
        return
    env = superset_env(where)
    superset = str(where.executable("superset"))
    if done.get("requirements") != wanted["requirements"]:
        say("setting up Superset's metadata database")
        _run([superset, "db", "upgrade"], where, "superset db upgrade", env)
        _run([superset, "init"], where, "superset init", env)
    _run(
        [str(where.executable("python")), str(SET_ADMIN), who.username],
        where,
        "setting up the admin",
        env,
        stdin=who.password,
    )
    _write_private(marker, json.dumps(wanted))


def password_hash(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), PASSWORD_ROUNDS).hex()


def _write_private(path: Path, text: str) -> None:
    """Readable by the owner only, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as fh:
        fh.write(text)


def running(where: SupersetHome) -> dict | None:
    """The server's pid, port and url when it is alive; a stale state file is removed."""
    if not where.state.exists():
        return None
    state = json.loads(where.state.read_text(encoding="utf-8"))
    try:
        os.kill(state["pid"], 0)
    except ProcessLookupError:
        where.state.unlink(missing_ok=True)
        return None
    return state


def url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"{url(port)}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(where: SupersetHome, port: int) -> dict:
    if _healthy(port):
        raise ServerError(f"port {port} is already serving something else: choose another with --port")
    where.log.parent.mkdir(parents=True, exist_ok=True)
    with where.log.open("a", encoding="utf-8") as log:
        # One worker with threads: a few readers on one host, and about 400 MB instead of that per worker.
        process = subprocess.Popen(
            [
                str(where.executable("gunicorn")),
                "--workers",
                "1",
                "--threads",
                "8",
                "--timeout",
                "120",
                "--bind",
                f"127.0.0.1:{port}",
                "superset.app:create_app()",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=superset_env(where),
            start_new_session=True,
            cwd=where.root,
        )
    state = {"pid": process.pid, "port": port, "url": url(port)}
    where.state.write_text(json.dumps(state), encoding="utf-8")
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            where.state.unlink(missing_ok=True)
            raise ServerError(f"Superset exited while starting (exit {process.returncode}); see {where.log}")
        if _healthy(port):
            return state
        time.sleep(0.5)
    stop(where)
    raise ServerError(f"Superset did not answer on port {port} within {START_TIMEOUT_S} s; see {where.log}")


def stop(where: SupersetHome) -> bool:
    """Stop the server and its workers; False when none was running."""
    state = running(where)
    if state is None:
        return False
    try:
        os.killpg(state["pid"], signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(state["pid"], 0)
        except ProcessLookupError:
            break
        # reap it when it is our own child (the same command started it)
        try:
            os.waitpid(state["pid"], os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    else:
        os.killpg(state["pid"], signal.SIGKILL)
    where.state.unlink(missing_ok=True)
    return True
