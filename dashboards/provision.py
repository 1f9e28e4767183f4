"""Apply the dashboards to a running Superset through its REST API, idempotently.

The bundle is imported with overwrite, so every object keeps its id and is updated in place. What was applied
is remembered as one content hash per object (EMSTAT_HOME/superset/provisioned.json): provisioning again with
nothing changed, on a server that still has every object, imports nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from dashboards.bundle import Bundle, build_bundle
from dashboards.server import SupersetHome
from dashboards.spec import Spec, load_spec
from dashboards.warehouse import read_published


class ProvisionError(Exception):
    """Superset refused the dashboards; said in one line."""


@dataclass(frozen=True)
class Provisioned:
    dashboards: dict[str, str]  # slug → URL
    created: list[str]
    updated: list[str]
    unchanged: list[str]


class SupersetApi:
    """The REST calls provisioning and the tests make, on one logged-in session (superset-client)."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        # The client refuses a bearer token over plain http; this server listens on localhost only.
        os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
        from supersetapiclient.client import SupersetClient

        self.base_url = base_url.rstrip("/")
        self.client = SupersetClient(host=self.base_url, username=username, password=password)

    def _url(self, path: str) -> str:
        return self.client.join_urls(self.client.base_url, path)

    def get(self, path: str, **params) -> dict:
        response = self.client.get(self._url(path), params=params or None)
        if response.status_code != 200:
            raise ProvisionError(f"GET {path} answered HTTP {response.status_code}: {response.text[:200]}")
        return response.json()

    def listing(self, resource: str, columns: tuple[str, ...]) -> list[dict]:
        rows: list[dict] = []
        page = 0
        while True:
            query = f"(columns:!({','.join(columns)}),page:{page},page_size:100)"
            result = self.get(f"{resource}/", q=query)["result"]
            rows += result
            if len(result) < 100:
                return rows
            page += 1

    def chart_ids(self) -> dict[str, int]:
        return {row["uuid"]: row["id"] for row in self.listing("chart", ("id", "uuid"))}

    def uuids(self, resource: str) -> set[str]:
        return {row["uuid"] for row in self.listing(resource, ("id", "uuid"))}

    def import_bundle(self, bundle: Bundle) -> None:
        response = self.client.post(
            self._url("assets/import/"),
            files={"bundle": ("emstat_dashboards.zip", bundle.zip_bytes(), "application/zip")},
            data={"overwrite": "true"},
        )
        if response.status_code != 200:
            raise ProvisionError(
                f"Superset refused the dashboards (HTTP {response.status_code}): {response.text[:300]}"
            )


def provision(api: SupersetApi, where: SupersetHome, published: Path, spec: Spec | None = None) -> Provisioned:
    spec = spec or load_spec()
    record = where.root / "provisioned.json"
    applied: dict[str, str] = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    shape = read_published(published, spec)

    def bundle_for(chart_ids: dict[str, int]) -> Bundle:
        return build_bundle(spec, published, shape.columns, shape.substitutions, shape.defaults, chart_ids)

    chart_ids = api.chart_ids()
    on_server = set(chart_ids).union(*(api.uuids(r) for r in ("dataset", "dashboard", "database")))
    bundle = bundle_for(chart_ids)
    created = sorted(name for name, uid in bundle.uuids.items() if uid not in on_server)
    updated = sorted(
        name for name, digest in bundle.digests.items() if name not in created and applied.get(name) != digest
    )
    if created or updated:
        api.import_bundle(bundle)
        # Filters name the charts they apply to by id; charts new to this server only have one now.
        relinked = bundle_for(api.chart_ids())
        if relinked.files != bundle.files:
            api.import_bundle(relinked)
            bundle = relinked
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(bundle.digests, indent=1, sort_keys=True), encoding="utf-8")
    unchanged = sorted(set(bundle.uuids) - set(created) - set(updated))
    return Provisioned(
        {d.slug: f"{api.base_url}/superset/dashboard/{d.slug}/" for d in spec.dashboards}, created, updated, unchanged
    )
