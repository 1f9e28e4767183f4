"""What `emstat dashboards up|down|provision` do, and the refresh a publication triggers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from core.settings import Home
from dashboards.provision import Provisioned, ProvisionError, SupersetApi, provision
from dashboards.server import (
    Admin,
    ServerError,
    SupersetHome,
    admin,
    ensure_initialised,
    ensure_installed,
    running,
    start,
    stop,
)
from dashboards.spec import SpecError, load_spec

log = logging.getLogger(__name__)


class DashboardsError(Exception):
    """Anything that stops the dashboards, said in one line."""


@dataclass(frozen=True)
class Up:
    url: str
    admin: Admin
    started: bool  # False when it was already running
    provisioned: Provisioned


def _published(home: Home):
    if not home.published.exists():
        raise DashboardsError(f"nothing published under {home.root} yet: run `emstat demo` or `emstat build` first")
    return home.published


def _apply(where: SupersetHome, state: dict, who: Admin) -> Provisioned:
    try:
        spec = load_spec()
        api = SupersetApi(state["url"], who.username, who.password)
        return provision(api, where, _published(where.home), spec)
    except (SpecError, ProvisionError, LookupError) as exc:
        raise DashboardsError(str(exc)) from None


def up(home: Home, port: int, say: Callable[[str], None]) -> Up:
    _published(home)  # no server to start for a warehouse that has never passed its checks
    where = SupersetHome(home)
    who = admin(where)
    state = running(where)
    started = state is None
    try:
        if state is None:
            ensure_installed(where, say)
            ensure_initialised(where, who, say)
            say(f"starting Superset on port {port}")
            state = start(where, port)
        elif state["port"] != port:
            say(f"Superset is already running for {home.root} on port {state['port']}")
    except ServerError as exc:
        raise DashboardsError(str(exc)) from None
    return Up(state["url"], who, started, _apply(where, state, who))


def down(home: Home) -> bool:
    return stop(SupersetHome(home))


def reprovision(home: Home) -> Provisioned:
    where = SupersetHome(home)
    state = running(where)
    if state is None:
        raise DashboardsError(f"Superset is not running for {home.root}: start it with `emstat dashboards up`")
    return _apply(where, state, admin(where))


def refresh_after_publish(home: Home) -> Provisioned | None:
    """After a publication: charts already read the new file on their next query; what can go stale is the
    period and region the dashboards open on (a new month), so a running Superset is provisioned again.
    A failure here never undoes the publication; it is logged and `emstat dashboards provision` retries it."""
    if running(SupersetHome(home)) is None:
        return None
    try:
        return reprovision(home)
    except DashboardsError as exc:
        log.warning("dashboards not refreshed after publishing: %s", exc)
        return None
