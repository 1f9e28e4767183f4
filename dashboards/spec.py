"""The dashboards as code: datasets, filters and dashboards read from dashboards/spec/, checked as a whole.

A mistake in the spec (an unknown dataset, a chart without a metric, a duplicate key) is refused in one line
naming the file and the problem before anything reaches Superset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

SPEC_DIR = Path(__file__).resolve().parent / "spec"
KINDS = ("big_number", "table", "line", "bar", "pie")
GRID_COLUMNS = 12


class SpecError(Exception):
    """The dashboards spec is not usable; said in one line."""


@dataclass(frozen=True)
class Metric:
    """A figure a chart shows: SUM of a column, or a SQL aggregate with its own label."""

    label: str
    column: str | None = None
    sql: str | None = None


@dataclass(frozen=True)
class Dataset:
    key: str
    table: str | None  # schema.table of a mart
    sql: str | None  # a view over the pipeline's own tables
    labels: dict[str, str]
    metrics: dict[str, str]

    @property
    def schema(self) -> str | None:
        return self.table.split(".", 1)[0] if self.table else None

    @property
    def table_name(self) -> str:
        return self.table.split(".", 1)[1] if self.table else self.key


@dataclass(frozen=True)
class Filter:
    key: str
    name: str
    dataset: str
    column: str
    sort_metric: str | None = None
    required: bool = True
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str
    dataset: str
    metrics: tuple[Metric, ...] = ()
    columns: tuple[str, ...] = ()
    x: str | None = None
    where: str | None = None
    order_by: tuple[str, ...] = ()  # ascending, in this order
    number_format: str | None = None
    width: int = 6
    height: int = 50


@dataclass(frozen=True)
class Dashboard:
    title: str
    slug: str
    filters: tuple[Filter, ...]
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class Spec:
    datasets: dict[str, Dataset]
    dashboards: tuple[Dashboard, ...] = field(default_factory=tuple)


def load_spec(folder: Path = SPEC_DIR) -> Spec:
    datasets = {
        key: _dataset(key, body, folder / "datasets.yaml") for key, body in _read(folder / "datasets.yaml").items()
    }
    filters = _read(folder / "filters.yaml")
    dashboards = []
    for path in sorted((folder / "dashboards").glob("*.yaml")):
        dashboards.append(_dashboard(_read(path), path, datasets, filters))
    slugs = [d.slug for d in dashboards]
    if len(set(slugs)) != len(slugs):
        raise SpecError(f"{folder / 'dashboards'}: two dashboards share a slug")
    return Spec(datasets, tuple(dashboards))


def _read(path: Path) -> dict:
    try:
        body = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(body, dict):
        raise SpecError(f"{path}: expected a mapping at the top")
    return body


def _dataset(key: str, body: dict, path: Path) -> Dataset:
    if ("table" in body) == ("sql" in body):
        raise SpecError(f"{path}: dataset {key} needs exactly one of table or sql")
    table = body.get("table")
    if table is not None and table.count(".") != 1:
        raise SpecError(f"{path}: dataset {key}: table must be schema.table, not {table!r}")
    return Dataset(key, table, body.get("sql"), dict(body.get("labels") or {}), dict(body.get("metrics") or {}))


def _dashboard(body: dict, path: Path, datasets: dict[str, Dataset], filters: dict) -> Dashboard:
    for required in ("title", "slug", "charts"):
        if required not in body:
            raise SpecError(f"{path}: missing {required}")
    charts = tuple(_chart(c, path, datasets) for c in body["charts"])
    keys = [c.key for c in charts]
    if len(set(keys)) != len(keys):
        raise SpecError(f"{path}: two charts share a key")
    chosen = []
    for entry in body.get("filters") or []:
        key, overrides = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if key not in filters:
            raise SpecError(f"{path}: unknown filter {key!r} (filters.yaml has {', '.join(filters)})")
        spec = {**filters[key], **overrides}
        unknown = set(spec.get("exclude", ())) - set(keys)
        if unknown:
            raise SpecError(f"{path}: filter {key} excludes unknown charts {sorted(unknown)}")
        if spec["dataset"] not in datasets:
            raise SpecError(f"{path}: filter {key} reads unknown dataset {spec['dataset']!r}")
        chosen.append(
            Filter(
                key,
                spec["name"],
                spec["dataset"],
                spec["column"],
                spec.get("sort_metric"),
                spec.get("required", True),
                tuple(spec.get("exclude", ())),
            )
        )
    return Dashboard(body["title"], body["slug"], tuple(chosen), charts)


def _chart(body: dict, path: Path, datasets: dict[str, Dataset]) -> Chart:
    key = body.get("key", "?")
    where = f"{path}: chart {key}"
    for required in ("key", "title", "kind", "dataset"):
        if required not in body:
            raise SpecError(f"{where}: missing {required}")
    if body["kind"] not in KINDS:
        raise SpecError(f"{where}: kind must be one of {', '.join(KINDS)}, not {body['kind']!r}")
    dataset = datasets.get(body["dataset"])
    if dataset is None:
        raise SpecError(f"{where}: unknown dataset {body['dataset']!r}")
    raw = [body["metric"]] if "metric" in body else list(body.get("metrics") or [])
    metrics = tuple(_metric(m, dataset, where) for m in raw)
    kind = body["kind"]
    if kind == "table" and not body.get("columns"):
        raise SpecError(f"{where}: a table needs columns")
    if kind in ("big_number", "pie") and len(metrics) != 1:
        raise SpecError(f"{where}: a {kind} shows exactly one metric")
    if kind in ("line", "bar", "pie") and not body.get("x"):
        raise SpecError(f"{where}: a {kind} needs x")
    if kind in ("line", "bar") and not metrics:
        raise SpecError(f"{where}: a {kind} needs metrics")
    width = int(body.get("width", 6))
    if not 1 <= width <= GRID_COLUMNS:
        raise SpecError(f"{where}: width must be 1 to {GRID_COLUMNS}")
    return Chart(
        body["key"],
        body["title"],
        kind,
        body["dataset"],
        metrics,
        tuple(body.get("columns") or ()),
        body.get("x"),
        body.get("where"),
        _names(body.get("order_by")),
        body.get("format"),
        width,
        int(body.get("height", 50 if kind != "big_number" else 30)),
    )


def _names(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _metric(value, dataset: Dataset, where: str) -> Metric:
    if isinstance(value, str):
        return Metric(dataset.labels.get(value, value), column=value)
    if isinstance(value, dict) and len(value) == 1:
        label, sql = next(iter(value.items()))
        return Metric(str(label), sql=str(sql))
    raise SpecError(f"{where}: a metric is a column name or {{label: SQL}}, not {value!r}")
