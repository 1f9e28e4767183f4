"""How GX validation of raw.accidents scales with row count: wall time and peak memory.

The batch suite runs as SQL inside DuckDB (GX's SQL datasource), so validating a million rows should take
seconds and the Python process should not grow with the table. For each row count this script builds a
fresh warehouse of valid accidents with 7 planted negative death counts, validates it with the real
`batch_accidents` suite in a child process (so each peak RSS is that run's alone), checks that exactly
the planted rows were found, and prints the timings next to a 1,000-row baseline.

A peak that grows with N means some query makes DuckDB hold every column of every row. GX learns the
columns of a query asset by running the query whole, and the revision window (`qualify row_number() over
(partition by accident_id ...)`) buffers the table before emitting a row: +470 MiB per million rows. Suites
over a query are therefore validated through a view or a table, whose columns come from the catalog (the
pipeline stores a raw suite's rows in a table, computed once under DuckDB's memory cap).

Usage: .venv/bin/python devtools/bench/validate_accidents.py [N ...]   (default: 100000 1000000)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

# Run as a plain script from anywhere: the project packages live two folders up.
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ingest.codes import ACCIDENT_GRADES, INDUSTRIES  # noqa: E402
from ingest.warehouse import ensure_raw_schema  # noqa: E402

TODAY = date(2026, 11, 23)
BASELINE_ROWS = 1_000
PLANTED = 7
FAILING = "expect_column_values_to_be_between(deaths)"
REGIONS = ("530102001", "530102002", "530103001", "530103002", "530111001")
# Every row comes from load 1; `i` is the row's index in the generating range.
LINEAGE = (
    "1 as _load_id, 'accidents_bench.xlsx' as _file_name, repeat('0', 64) as _file_sha256, "
    "i + 2 as _row_number, timestamp '2026-01-05 09:00' as _loaded_at"
)


def planted_ids(rows: int) -> list[str]:
    return sorted(f"A{k * rows // PLANTED}" for k in range(PLANTED))


def sql_list(values) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def generate(database: Path, rows: int) -> float:
    started = time.perf_counter()
    con = duckdb.connect(str(database))
    try:
        ensure_raw_schema(con)
        con.execute(
            """insert into raw.files values (1, 'accidents_bench.xlsx', '/bench/accidents_bench.xlsx',
            repeat('0', 64), 'accidents', 'utf-8', timestamp '2026-01-05 09:00', date '2026-01-05', 'loaded',
            null, ?, ?, 0, 0, 0)""",
            [rows, rows],
        )
        con.execute(f"""insert into raw.regions by name select {sql_list(REGIONS)}[i + 1] as region_code,
            'Township ' || i as name, 'township' as level, '530102' as parent_code, {LINEAGE}
            from range({len(REGIONS)}) as t(i)""")
        planted = ", ".join(i[1:] for i in planted_ids(rows))
        # Codes are picked by index so every value of each list occurs; the 7 planted rows break only the
        # deaths >= 0 rule, so the suite has a single failure whose ids are known in advance.
        con.execute(f"""insert into raw.accidents by name select
            'A' || i as accident_id,
            timestamp '2024-01-01' + to_seconds((i * 7919) % 63000000) as occurred_at,
            timestamp '2024-01-01' + to_seconds((i * 7919) % 63000000 + 3600) as reported_at,
            {sql_list(REGIONS)}[1 + i % {len(REGIONS)}] as region_code,
            {sql_list(INDUSTRIES.code_set)}[1 + i % {len(INDUSTRIES.code_set)}] as industry,
            'Enterprise ' || (i % 5000) as enterprise_name,
            case when i in ({planted}) then -1 else i % 4 end as deaths,
            0 as missing, i % 3 as serious_injuries, i % 3 + i % 5 as injuries,
            (i % 100000) * 10.5 as direct_loss,
            case when i % 10 = 0 then null else {sql_list(ACCIDENT_GRADES.code_set)}[1 + i % 4] end as grade,
            i % 2 = 0 as written_off, false as concealed, 'benchmark row ' || i as description,
            {LINEAGE}
            from range({rows}) as t(i)""")
    finally:
        # The child opens the file read-only, which DuckDB refuses while a writer holds it.
        con.close()
    return time.perf_counter() - started


def child(database: Path) -> None:
    """Validate in this process and print one JSON line: seconds, peak RSS and the failures found."""
    from expectations.contract_suites import batch_suite
    from expectations.gate import validate_suite_file
    from expectations.policy import load_policy
    from ingest.contract import ACCIDENTS

    suite = batch_suite(ACCIDENTS, load_policy(), TODAY)
    started = time.perf_counter()
    outcomes = validate_suite_file(database, suite)
    seconds = time.perf_counter() - started
    failed = [
        {"expectation": o.expectation, "observed": o.observed, "ids": list(o.failing_ids)}
        for o in outcomes
        if not o.success
    ]
    # Linux reports ru_maxrss in KiB.
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "checked": len(outcomes),
                "failed": failed,
            },
            default=str,
        )
    )


def measure(rows: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="emstat-bench-") as folder:
        database = Path(folder) / "warehouse.duckdb"
        generated = generate(database, rows)
        run = subprocess.run(
            [sys.executable, __file__, "--child", str(database)], capture_output=True, text=True, cwd=ROOT
        )
    if run.returncode != 0:
        sys.exit(f"validation of {rows:,} rows failed in the child process:\n{run.stderr}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    expected = [{"expectation": FAILING, "observed": PLANTED, "ids": planted_ids(rows)}]
    if result["failed"] != expected:
        sys.exit(
            f"{rows:,} rows: expected only {FAILING} to fail, observed {PLANTED}, ids {planted_ids(rows)};"
            f" got {result['failed']}"
        )
    return {"rows": rows, "generate": generated, **result}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        child(Path(argv[1]))
        return
    counts = [int(a) for a in argv] or [100_000, 1_000_000]
    print(f"{'rows':>16} {'generate s':>11} {'validate s':>11} {'peak RSS MiB':>13}", flush=True)
    for rows in [BASELINE_ROWS, *counts]:
        r = measure(rows)
        label = f"{rows:,}" + (" (baseline)" if rows == BASELINE_ROWS else "")
        print(f"{label:>16} {r['generate']:>11.2f} {r['seconds']:>11.2f} {r['rss_mib']:>13.0f}", flush=True)
    print(f"each run: {r['checked']} expectations; only {FAILING} failed, on the {PLANTED} planted rows")


if __name__ == "__main__":
    main(sys.argv[1:])
