"""Validate one DuckDB table or view with Great Expectations' SQL datasource.

Every metric is computed by DuckDB through SQLAlchemy (duckdb-engine); no table data
is loaded into pandas: failing rows are named by SQL with a LIMIT. The file is opened read-only, and every connection GX opened is
closed before returning, because the caller's next step (dbt, in a subprocess) opens the
same file read-write and DuckDB refuses that while any other process holds it.
"""

from __future__ import annotations

import copy
import os
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

# Must be set before GX is imported: the machine is offline and GX otherwise logs
# telemetry connection errors on every context it creates.
os.environ["GX_ANALYTICS_ENABLED"] = "false"

import great_expectations as gx  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from great_expectations.core.expectation_validation_result import (  # noqa: E402
    ExpectationValidationResult,
)
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.datasource.fluent import SQLDatasource  # noqa: E402
from great_expectations.execution_engine import (  # noqa: E402
    sqlalchemy_execution_engine as _gx_sql_engine,
)
from great_expectations.expectations.expectation_configuration import (  # noqa: E402
    ExpectationConfiguration,
)

SEVERITIES = ("error", "warning")
_COMPOUND_UNIQUE = "expect_compound_columns_to_be_unique"
_UNEXPECTED_ROWS = "unexpected_rows_expectation"
FAILING_ID = "failing_id"  # the column a custom SQL check names each finding in
MEMORY_LIMIT = "256MB"  # DuckDB's, per validation; measured in devtools/bench/validate_accidents.py


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    expectation: str  # meta["name"], else type and columns: "expect_column_values_to_not_be_null(deaths)"
    severity: str  # meta["severity"]: "error" (default) or "warning"
    success: bool
    observed: object  # observed_value of aggregate expectations, else unexpected_count
    failing_ids: tuple[str, ...]  # id_column of failing rows (failing_id of SQL checks), at most max_ids, sorted
    check: str | None = None  # meta["check"]: the policy entry it belongs to
    hint: str | None = None  # meta["hint"]: what to do about a failure


class _DuckDBDialect(str):
    """The string "duckdb" in the shape GX expects of a `GXSqlDialect` member.

    GX tests membership with `dialect_name in ...` (a str comparison) and, when building
    the engine, reads `.value`; a plain "duckdb" string breaks the second use.
    """

    @property
    def value(self) -> str:
        return str(self)


def _persist_duckdb_connections() -> None:
    """Make GX keep one connection open per execution engine for DuckDB.

    Without it GX 1.10-1.24 returns each connection to the pool (which rolls it back)
    before fetching the query result, DuckDB discards the result, and every expectation
    fails with IndexError in `resolve_metric_bundle`. GX does exactly this for sqlite and
    mssql via a private tuple; GX is pinned, and tests fail loudly if this stops working.
    """
    dialects = getattr(_gx_sql_engine, "_PERSISTED_CONNECTION_DIALECTS", None)
    if not isinstance(dialects, tuple):
        raise RuntimeError(
            "great_expectations.execution_engine.sqlalchemy_execution_engine."
            "_PERSISTED_CONNECTION_DIALECTS is missing or no longer a tuple "
            f"(got {type(dialects).__name__}); the DuckDB workaround in {__name__} "
            "must be revisited for this GX version."
        )
    if "duckdb" not in dialects:
        _gx_sql_engine._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DuckDBDialect("duckdb"))


_persist_duckdb_connections()


def validate_table(
    database: Path,
    schema: str,
    table: str,
    suite_name: str,
    expectations: Sequence[gx.expectations.Expectation],
    id_column: str | None = None,
    max_ids: int = 50,
    docs_root: Path | None = None,
) -> list[ExpectationOutcome]:
    """Run `expectations` against `schema.table` in the DuckDB file `database`.

    Outcomes come back in the order of `expectations` (GX drops an expectation equal to an
    earlier one except for its meta). With `id_column`, failing rows of
    map expectations are identified by that column (at most `max_ids` of them; the
    limit is applied in SQL). A custom SQL check names its findings in its `failing_id`
    column. An expectation GX could not evaluate (e.g. a missing
    column) raises RuntimeError rather than being reported as a data failure.
    With `docs_root`, the results are kept in the GX project there, for `update_data_docs`
    to render once the run's suites are done; without it nothing is written anywhere.
    """
    if max_ids < 0:
        raise ValueError(f"max_ids must be >= 0, got {max_ids}")
    for expectation in expectations:
        _severity(expectation.meta)
        compound_unique = expectation.expectation_type == _COMPOUND_UNIQUE
        if id_column and compound_unique and expectation.row_condition:
            raise ValueError(
                f"failing ids of {_COMPOUND_UNIQUE} are computed without row_condition support; pass id_column=None"
            )

    with _context_lock:
        return _validate(
            database,
            schema,
            table,
            suite_name,
            expectations,
            id_column,
            max_ids,
            _context(docs_root),
            keep=docs_root is not None,
        )


def _validate(database, schema, table, suite_name, expectations, id_column, max_ids, context, keep):
    datasource = context.data_sources.add_or_update_sql(
        name="duckdb",
        connection_string=f"duckdb:///{database.resolve()}",
        # A cap makes DuckDB spill the revision windows to disk rather than hold a big table in memory.
        kwargs={"connect_args": {"read_only": True, "config": {"memory_limit": MEMORY_LIMIT}}},
    )
    asset_name = f"{schema}.{table}"
    try:
        if asset_name in {a.name for a in datasource.assets}:
            datasource.delete_asset(asset_name)
        with warnings.catch_warnings():
            # Deprecated in favour of a schema in the connection config, which the generic
            # SQL datasource has no field for.
            warnings.filterwarnings("ignore", message="`schema_name` is deprecated", category=DeprecationWarning)
            asset = datasource.add_table_asset(name=asset_name, table_name=table, schema_name=schema)
        batch_definition = asset.add_batch_definition_whole_table("whole_table")
        # Copies: adding an Expectation to a suite assigns it an id, after which GX
        # refuses to add the same object to the next call's suite.
        suite = context.suites.add_or_update(
            gx.ExpectationSuite(name=suite_name, expectations=[copy.copy(e) for e in expectations])
        )
        result_format = _result_format(id_column, max_ids)
        if not keep:
            results = batch_definition.get_batch().validate(suite, result_format=result_format).results
        else:
            results = _run_checkpoint(context, suite_name, batch_definition, suite, result_format)
        _raise_for_unevaluated(results)
        position = {e.id: i for i, e in enumerate(suite.expectations)}
        return [
            ExpectationOutcome(
                suite=suite_name,
                expectation=_name(result.expectation_config),
                severity=_severity(result.expectation_config.meta),
                success=bool(result.success),
                observed=result.result.get("observed_value", result.result.get("unexpected_count")),
                failing_ids=_failing_ids(result, datasource, asset_name, id_column, max_ids),
                check=(result.expectation_config.meta or {}).get("check"),
                hint=(result.expectation_config.meta or {}).get("hint"),
            )
            for result in sorted(results, key=lambda r: position[r.expectation_config.id])
        ]
    finally:
        _release_connections(datasource)


_context_lock = threading.Lock()  # a context holds one "duckdb" datasource: one validation at a time
_current: tuple[Path | None, Any] | None = None


def _context(docs_root: Path | None):
    """The process's GX context for `docs_root` (None: ephemeral, nothing written). A run validates every
    suite of one project in turn, so the context is kept until a call names another project, or the
    project's folder is gone (a home removed and made again)."""
    global _current
    key = None if docs_root is None else Path(docs_root).resolve()
    if _current is None or _current[0] != key or (key is not None and not (key / "gx").is_dir()):
        if key is None:
            context = gx.get_context(mode="ephemeral")
        else:
            context = gx.get_context(mode="file", project_root_dir=key)
        # tqdm bars would only clutter the Dagster step's captured stderr.
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        _current = (key, context)
    return _current[1]


def _run_checkpoint(context, name, batch_definition, suite, result_format) -> list[ExpectationValidationResult]:
    """Validate through a checkpoint, which stores the results. Rendering them here would rebuild the data
    docs' index once per suite (0.4 s each, most of a small suite's time): a run renders once, at its end."""
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(name=name, validation_definitions=[definition], actions=[], result_format=result_format)
    )
    run = checkpoint.run()
    return [r for validation in run.run_results.values() for r in validation.results]


def update_data_docs(docs_root: Path, since: datetime) -> int:
    """Render the validation results stored in the GX project at `docs_root` since `since` (a run's start)
    into its data docs, and the index; how many were rendered. Nothing to do before the first validation."""
    if not (docs_root / "gx").is_dir():
        return 0
    with _context_lock:
        context = _context(docs_root)
        new = [key for key in context.validation_results_store.list_keys() if key.run_id.run_time >= since]
        if new:
            context.build_data_docs(resource_identifiers=new)
    return len(new)


def _result_format(id_column: str | None, max_ids: int) -> dict[str, Any]:
    if id_column is None:
        return {"result_format": "BASIC"}
    # SUMMARY already carries the failing ids (partial_unexpected_index_list, queried with
    # LIMIT partial_unexpected_count). COMPLETE would only add up to 200 unexpected values,
    # fetched by a query without LIMIT, and SQL text we do not return.
    return {
        "result_format": "SUMMARY",
        "unexpected_index_column_names": [id_column],
        "partial_unexpected_count": max_ids,
    }


def _name(config: ExpectationConfiguration) -> str:
    if (config.meta or {}).get("name"):
        return config.meta["name"]
    kwargs = config.kwargs
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    columns += kwargs.get("column_list", [])
    return f"{config.type}({', '.join(columns)})"


def _raise_for_unevaluated(results: Sequence[ExpectationValidationResult]) -> None:
    errors = []
    for result in results:
        info = result.exception_info
        # GX reports an exception raised by the expectation itself at the top level, and
        # exceptions raised while computing its metrics as one entry per metric.
        raised = [info] if "raised_exception" in info else list(info.values())
        messages = dict.fromkeys(e["exception_message"] for e in raised if e["raised_exception"])
        errors += [f"{_name(result.expectation_config)}: {m}" for m in messages]
    if errors:
        raise RuntimeError("GX could not evaluate:\n" + "\n".join(errors))


def _failing_ids(
    result: ExpectationValidationResult,
    datasource: SQLDatasource,
    batch_sql: str,
    id_column: str | None,
    max_ids: int,
) -> tuple[str, ...]:
    config = result.expectation_config
    if config.type == _UNEXPECTED_ROWS:
        if not result.result.get("observed_value"):
            return ()
        return tuple(
            str(v) for v in _custom_failing_ids(datasource, config.kwargs["unexpected_rows_query"], batch_sql, max_ids)
        )
    if id_column is None or not result.result.get("unexpected_count"):
        return ()
    if config.type == _COMPOUND_UNIQUE:
        ids = _duplicate_key_ids(datasource, batch_sql, id_column, config.kwargs["column_list"], max_ids)
    else:
        ids = [row[id_column] for row in result.result.get("partial_unexpected_index_list", [])]
    # Sort on the column's own type, so integer ids come out as 2, 10 rather than 10, 2.
    return tuple(str(v) for v in sorted(ids, key=lambda v: (v is None, v)))


def _custom_failing_ids(datasource: SQLDatasource, query: str, batch_sql: str, max_ids: int) -> list[Any]:
    """The first `max_ids` findings of a custom SQL check, in order; GX only counts them."""
    # The placeholders as GX fills them: {batch} is the batch, a doubled brace is a literal one.
    sql = query.replace("{batch}", batch_sql).replace("{{", "{").replace("}}", "}")
    statement = sa.text(f"select {FAILING_ID} from ({sql}) as findings order by 1 limit :limit")
    with datasource.get_engine().connect() as connection:
        return list(connection.execute(statement, {"limit": max_ids}).scalars())


def _duplicate_key_ids(
    datasource: SQLDatasource,
    batch_sql: str,
    id_column: str,
    key_columns: list[str],
    max_ids: int,
) -> list[Any]:
    """Ids of rows whose compound key occurs more than once, smallest first.

    GX does not produce failing-row ids for this expectation on SQL. Its SQL counts a row
    as unexpected only if no key column is NULL (the count is joined back on `=`), so the
    same rule applies here whatever `ignore_row_if` says.
    """
    keys = ", ".join(key_columns)
    present = " and ".join(f"{c} is not null" for c in key_columns)
    statement = sa.text(
        f"select {id_column} from (select {id_column}, count(*) over (partition by {keys}) as key_rows "
        f"from {batch_sql} where {present}) as counted where key_rows > 1 order by 1 limit :limit"
    )
    with datasource.get_engine().connect() as connection:
        return list(connection.execute(statement, {"limit": max_ids}).scalars())


def _severity(meta: dict[str, Any] | None) -> str:
    severity = (meta or {}).get("severity", "error")
    if severity not in SEVERITIES:
        raise ValueError(f"meta severity must be one of {SEVERITIES}, got {severity!r}")
    return severity


def _release_connections(datasource: SQLDatasource) -> None:
    """Close every connection GX opened, so DuckDB releases the file lock now.

    GX has no close step for datasources: the datasource's own engine (used to probe the
    table) keeps a pooled connection, and the execution engine keeps its persisted one.
    `close()` disposes the execution engine's StaticPool, which closes that connection
    even though it is still checked out.
    """
    if datasource.execution_engine is not None:
        datasource.execution_engine.close()
    datasource.get_engine().dispose()
