"""Where emstat keeps its files: everything lives under EMSTAT_HOME (default ./var)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
# The dbt installed beside this interpreter, so `.venv/bin/emstat` works without an activated venv.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


@dataclass(frozen=True)
class Home:
    root: Path

    @property
    def warehouse(self) -> Path:
        """The pipeline's own file; only the pipeline opens it, one writer at a time."""
        return self.root / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        """The copy readers open. Same file name as the warehouse so views keep resolving their catalog."""
        return self.root / "published" / "warehouse.duckdb"

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def dagster(self) -> Path:
        return self.root / "dagster"

    @property
    def dbt_target(self) -> Path:
        """dbt's artifacts of this home's builds: run results, compiled SQL, and the parsed project that lets
        the next build parse only the files that changed."""
        return self.root / "dbt"

    @property
    def gx(self) -> Path:
        """The Great Expectations project that keeps validation results; data docs under uncommitted/."""
        return self.root / "gx"

    @property
    def data_docs(self) -> Path:
        return self.gx / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


class SettingError(Exception):
    """An EMSTAT_* environment variable that cannot be used, said in one line."""


def home() -> Home:
    """The resolved EMSTAT_HOME, exported so dbt and other child processes see the same absolute path."""
    root = Path(os.environ.get("EMSTAT_HOME", "var")).expanduser().resolve()
    os.environ["EMSTAT_HOME"] = str(root)
    return Home(root)


def duckdb_memory_limit() -> str:
    """EMSTAT_DUCKDB_MEMORY_LIMIT (default 1GB): the memory DuckDB may take in the steps that read the whole
    warehouse (ingest, dbt through dbt/profiles.yml, the appraisal); past it DuckDB spills to
    warehouse.duckdb.tmp/ instead of growing with the data."""
    return os.environ.get("EMSTAT_DUCKDB_MEMORY_LIMIT", "1GB")
