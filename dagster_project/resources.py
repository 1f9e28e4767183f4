"""The resource every domain shares: where EMSTAT_HOME is, and the pool of the warehouse's writers."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from core.settings import Home, home

# Everything that writes the warehouse file runs in this pool; its limit is 1 (DuckDB allows one writer).
WAREHOUSE_POOL = "warehouse_writer"


class EmstatHome(ConfigurableResource):
    """`root` pins a home; left empty, EMSTAT_HOME is read when a run uses it, not when the definitions are
    imported, so one process (the test suite, a long-lived daemon) can serve the home of each command."""

    root: str = ""

    @property
    def paths(self) -> Home:
        return Home(Path(self.root)) if self.root else home()
