"""The `emstat` command. Errors are one line on stderr and a non-zero exit; details go to the log file."""

from __future__ import annotations

import errno
import json
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from core.settings import Home, SettingError, home
from core.terminal import SafeConsole, visible

app = typer.Typer(
    help="emstat: accident and disaster statistics from township records to checked, published figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = SafeConsole(highlight=False, soft_wrap=True)  # lines are read and grepped; never break them


class UserError(Exception):
    """Something the user can fix, said in one line."""


class Format(str, Enum):
    text = "text"
    json = "json"


def _run(
    job: str,
    where: Home,
    paths: list[str] | None = None,
    received_on: date | None = None,
    dated_by_file: bool = False,
    data_through: date | None = None,
):
    from emstat.pipeline import run_job

    with _load_progress():
        outcome = run_job(job, where, paths, received_on, dated_by_file, data_through)
    for line in outcome.file_lines:
        out.print(line, markup=False)
    if outcome.suites:
        warnings = len(outcome.findings) - len(outcome.errors)
        out.print(
            f"quality checks: {outcome.suites} suites, {outcome.expectations} expectations, "
            f"{len(outcome.errors)} errors, {warnings} warnings",
            markup=False,
        )
    for finding in outcome.findings:
        ids = ", ".join(finding.failing_ids[:10])
        out.print(
            f"{finding.severity} {finding.suite}: {finding.expectation} observed={finding.observed}"
            + (f" ids: {ids}" if ids else ""),
            markup=False,
        )
    if outcome.findings:
        out.print("details: emstat quality", markup=False)
    if outcome.passed_tests:
        out.print(f"dbt tests passed: {outcome.passed_tests}")
    for test in outcome.failed_tests:
        out.print(f"[red]dbt test failed[/red] {test}")
    for step in outcome.failed_steps:
        out.print(f"[red]step failed[/red] {step} (details in {outcome.log})")
    return outcome


@contextmanager
def _load_progress() -> Iterator[None]:
    """A live line per load on a terminal: files done, rows, rows per second. The run's own output is
    captured into its log, so this writes to the terminal the command was started from."""
    terminal = sys.__stderr__
    if terminal is None or not terminal.isatty():
        yield
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ingest.progress import FileProgress, listening

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=terminal),
        transient=True,
    )
    task = bar.add_task("loading", total=None)
    totals = {"rows": 0, "seconds": 0.0}

    def show(event: FileProgress) -> None:
        if event.done:
            totals["rows"] += event.rows
            totals["seconds"] += event.seconds
        rate = totals["rows"] / totals["seconds"] if totals["seconds"] else 0
        bar.update(
            task,
            total=event.total,
            completed=event.index - (0 if event.done else 1),
            description=f"{event.file}  {totals['rows']:,} rows  {rate:,.0f} rows/s",
        )

    with bar, listening(show):
        yield


def _report_published(outcome, where: Home) -> None:
    from dagster_project.publish.publication import last_publication

    if outcome.published:
        out.print(f"published {where.published}")
        return
    previous = last_publication(where.published)
    kept = (
        f"the figures published at {previous.published_at:%Y-%m-%d %H:%M:%S} are unchanged"
        if previous
        else "nothing has been published yet"
    )
    raise UserError(f"not published: a check or step failed; {kept}")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of CSV/XLSX records.")],
    received_on: Annotated[
        str | None,
        typer.Option(
            "--received-on",
            help="Day the files reached the bureau (YYYY-MM-DD), for `report --as-of`; today by default.",
        ),
    ] = None,
    then_build: Annotated[
        bool, typer.Option("--build", help="Then build, check and publish, in the same run (as the schedules do).")
    ] = False,
) -> None:
    """Load files (or every file in folders) into the warehouse: accepted rows, revisions, quarantine."""
    found = _existing(paths)
    received = None
    if received_on is not None:
        from core.clock import local_now

        received = _past_day(received_on, "--received-on", local_now().date())
    where = home()
    if (idle := _nothing_to_ingest(where, found)) is not None:
        for line in idle:
            out.print(line, markup=False)
        return
    if then_build:
        outcome = _run("pipeline", where, found, received)
        _report_published(outcome, where)
        _refuse_unloaded(outcome.files)
        return
    outcome = _run("ingest", where, found, received)
    if not outcome.success:
        raise UserError("ingest finished with failures (see above)")
    _refuse_unloaded(outcome.files)


def _refuse_unloaded(files: list[dict]) -> None:
    """A file rejected whole, or changed while it was read, ends the command with exit code 1, so that a
    scheduler notices; the files that loaded stay loaded."""
    unloaded = [f for f in files if f["status"] in ("rejected", "changed")]
    if unloaded:
        raise UserError(f"{len(unloaded)} of {_count(len(files), 'file')} not loaded (see above)")


def _nothing_to_ingest(where: Home, found: list[str]) -> list[str] | None:
    """What to print when no file under `found` is new and the published build is current: a run would load
    nothing and its checks would find what the published build's found. None when a run is needed."""
    import duckdb

    from core.clock import local_now
    from core.periods import default_data_through
    from dagster_project.warehouse.build_inputs import current_since
    from ingest.loader import FileSummary, discover, loaded_before
    from ingest.reader import sha256_of

    if not where.warehouse.exists():
        return None
    files = discover(Path(p) for p in found)
    try:
        with duckdb.connect(str(where.warehouse), read_only=True) as con:
            if not all(loaded_before(con, sha256_of(path.read_bytes())) for path in files):
                return None
    except (duckdb.IOException, duckdb.CatalogException):
        return None  # held by a run, or no file loaded yet: the run waits or starts as usual
    today = local_now().date()
    since = current_since(where, today, default_data_through(today))
    if since is None:
        return None
    seen = "every file was loaded before" if files else "no CSV or XLSX file there"
    return [
        *(FileSummary(path.name, None, "unchanged").line() for path in files),
        f"nothing to ingest: {seen}, and the figures published at {since:%Y-%m-%d %H:%M:%S} are current",
    ]


@app.command()
def build(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even when nothing has changed since the last published build.")
    ] = False,
    through: Annotated[
        str | None,
        typer.Option(
            "--through",
            help="The last day the figures run through, YYYY-MM-DD (yesterday by default): a period "
            "still in progress then is cut at that day, and its 去年同期 with it.",
        ),
    ] = None,
) -> None:
    """Build the warehouse with dbt, run the data-quality checks and publish when they pass."""
    from core.clock import local_now
    from core.periods import default_data_through
    from dagster_project.warehouse.build_inputs import current_since

    where = home()
    today = local_now().date()
    data_through = default_data_through(today)
    if through is not None:
        day = _parse_day(through, "--through")
        if day > data_through:
            raise UserError(f"--through {day} has not ended: the records run through {data_through} at the latest")
        data_through = day
    if not where.warehouse.exists():
        raise UserError(f"no warehouse under {where.root}: run `emstat ingest PATH…` first")
    if not force and (since := current_since(where, today, data_through)) is not None:
        out.print(
            f"nothing to build: no record, code or day has changed since the build published at "
            f"{since:%Y-%m-%d %H:%M:%S} (`emstat build --force` rebuilds it)",
            markup=False,
        )
        return
    _report_published(_run("build", where, data_through=data_through), where)


@app.command()
def backfill(
    paths: Annotated[list[Path], typer.Argument(help="Folders (or files) of past returns, as they were archived.")],
) -> None:
    """Load an archive of past returns, each file dated by the day it was last saved and loaded in that order
    (so the latest revision of a record stands), then build, check and publish: one run."""
    where = home()
    _report_published(_run("pipeline", where, _existing(paths), dated_by_file=True), where)


def _existing(paths: list[Path]) -> list[str]:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}")
    return [str(p.resolve()) for p in paths]


def _parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option} must be a date like 2024-05-31, not {value!r}") from None


def _past_day(value: str, option: str, today: date) -> date:
    """A day given for what was known or received then, which cannot be later than today."""
    day = _parse_day(value, option)
    if day > today:
        raise UserError(f"{option} {day} is in the future")
    return day


class ReportFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    xlsx = "xlsx"
    docx = "docx"


@app.command()
def report(
    region: Annotated[str, typer.Option("--region", help="Region code (county or township).")],
    from_: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
    format: Annotated[
        ReportFormat, typer.Option("--format", help="text, markdown, json, xlsx (the tables) or docx (the 通报).")
    ] = ReportFormat.text,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Rebuild the report from the records as known at the end of this day (YYYY-MM-DD)."
        ),
    ] = None,
    as_reported: Annotated[
        bool, typer.Option("--as-reported", help="Take 去年同期 as it was known one year before --as-of (or today).")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write to this file (required for xlsx and docx).")
    ] = None,
    decimals: Annotated[
        int,
        typer.Option(
            "--decimals",
            min=1,
            max=2,
            help="Decimals of every percentage and 万元 figure, 1 or 2; rates keep 4 significant digits.",
        ),
    ] = 2,
) -> None:
    """Accidents, enforcement, relief, disasters and rates of a region and date range against the same period
    last year, with the bulletin's paragraphs."""
    from core.clock import local_now
    from report import build_report

    today = local_now().date()
    known_on = None if as_of is None else _past_day(as_of, "--as-of", today)
    if format in (ReportFormat.xlsx, ReportFormat.docx) and output is None:
        written = "a workbook" if format is ReportFormat.xlsx else "a Word document"
        raise UserError(f"--format {format.value} writes {written}: give it a file with --output PATH.{format.value}")
    _check_output(output)
    result = build_report(
        home().published,
        region,
        _parse_day(from_, "--from"),
        _parse_day(to, "--to"),
        as_of=known_on,
        as_reported=as_reported,
        today=today,
        decimals=decimals,
    )
    _state_cut(result)
    if format is ReportFormat.xlsx:
        from report.xlsx import write_xlsx

        out.print(f"written {write_xlsx(result.as_json(), result.labels, output)}", markup=False)
        return
    if format is ReportFormat.docx:
        from report.word import write_docx

        out.print(f"written {write_docx(result.as_json(), result.labels, output)}", markup=False)
        return
    if format is ReportFormat.text:
        if output is None:
            print_report(result)
            return
        with output.open("w", encoding="utf-8") as fh:
            print_report(result, SafeConsole(file=fh, highlight=False, soft_wrap=True, no_color=True))
        out.print(f"written {output}", markup=False)
        return
    if format is ReportFormat.json:
        from report.document import dumps

        rendered = dumps(result.as_json()) + "\n"
    else:
        from report.markdown import render_markdown

        rendered = render_markdown(result.as_json(), result.labels)
    if output is None:
        sys.stdout.write(visible(rendered))
    else:
        output.write_text(rendered, encoding="utf-8")
        out.print(f"written {output}", markup=False)


def _write_json(document: object) -> None:
    sys.stdout.write(visible(json.dumps(document, ensure_ascii=False, indent=2)) + "\n")


def _check_output(output: Path | None) -> None:
    """Refuse an --output that cannot be written before any work is done."""
    if output is None:
        return
    if output.is_dir():
        raise UserError(f"--output must be a file, not the folder {output}")
    if not output.parent.is_dir():
        raise UserError(f"--output {output}: there is no folder {output.parent}")


def _state_cut(result) -> None:
    """A range that runs past the records' last day is counted through that day on both sides; say so once,
    apart from the figures a clerk copies."""
    if result.is_cut:
        print(f"figures run through {result.end}; last year's through {result.comparison_end}", file=sys.stderr)


def print_report(result, console: Console = out) -> None:
    """The standard tables (the same as the Markdown and the workbook), the bulletin's paragraphs and the
    footnote."""
    from rich.cells import cell_len

    from report.tables import Number, footnote, format_cell, standard_tables

    document = result.as_json()
    for table in standard_tables(document, result.labels):
        for index, block in enumerate(table.blocks):
            cells = [[format_cell(cell) for cell in row] for row in block.rows]
            # Never squeeze a statistics table into a narrow terminal: truncated figures are wrong figures.
            width = (
                sum(
                    max(cell_len(text) for text in (header, *(row[i] for row in cells))) + 3
                    for i, header in enumerate(block.headers)
                )
                + 1
            )
            shown = Table(title=f"{table.title}  {table.caption}" if index == 0 else None, title_justify="left")
            for column, header in enumerate(block.headers):
                numeric = any(isinstance(row[column], Number) for row in block.rows)
                shown.add_column(header, justify="right" if numeric else "left")
            for row in cells:
                shown.add_row(*(Text(text) for text in row))
            wide = SafeConsole(
                file=console.file, width=max(console.width, width), highlight=False, no_color=console.no_color
            )
            wide.print(shown)
    for paragraph in document["paragraphs"].values():
        console.print(paragraph, markup=False)
    console.print(footnote(document), markup=False)


@app.command()
def quarantine(
    file: Annotated[str | None, typer.Option("--file", help="Only this file, by name as loaded.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source (accidents, regions …).")] = None,
    format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    export: Annotated[Path | None, typer.Option("--export", help="Write one XLSX per file into this folder.")] = None,
) -> None:
    """Rows refused at ingest, with the reason, to send back to the township that filed them."""
    from ingest.quarantine import export_xlsx, quarantined_rows

    _check_quarantine_options(source, export)
    with _open_quarantine(home(), file) as con:
        if export is not None:
            for path in export_xlsx(con, export, file=file, source=source):
                out.print(f"written {path}", markup=False)
            return
        rows = quarantined_rows(con, file=file, source=source)
    if format is Format.json:
        _write_json({"rows": [r.as_json() for r in rows]})
    else:
        print_quarantine(rows)


def _check_quarantine_options(source: str | None, export: Path | None) -> None:
    from ingest.contract import SOURCES

    if source is not None and source not in {s.name for s in SOURCES}:
        raise UserError(f"--source must be one of {', '.join(s.name for s in SOURCES)}, not {source!r}")
    if export is not None and export.exists() and not export.is_dir():
        raise UserError(f"--export must be a folder, not the file {export}")


@app.command()
def quality(
    format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
) -> None:
    """The latest data-quality results: what failed, where, which rows, what to do; published or not."""
    from emstat.pipeline import is_writing
    from expectations.results import latest_run
    from expectations.text import render_text

    where = home()
    # The working warehouse, not the published copy: a run that failed its checks was never published.
    with _open_own_warehouse(where) as con:
        run = latest_run(con)
    if run is None:
        raise UserError("no quality checks have run yet: run `emstat build`")
    running = is_writing(where)
    if format is Format.json:
        _write_json(run.as_json() | {"is_running": running})
        return
    for line in render_text(run, str(where.data_docs), running):
        out.print(line, markup=False)


@app.command()
def status(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of the latest runs.")] = 10,
    format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
) -> None:
    """The latest runs, newest first: when, what each loaded, what it quarantined, what failed, what it published."""
    where = home()
    if not (where.dagster / "dagster.yaml").exists():
        raise UserError(f"no runs under {where.root} yet: run `emstat ingest PATH…`")
    from dagster_project.runs.history import recent_runs
    from emstat.pipeline import readable_instance

    with readable_instance(where) as instance:
        runs = recent_runs(instance, limit)
    if format is Format.json:
        _write_json({"runs": [r.as_json() for r in runs]})
        return
    if not runs:
        out.print("no runs yet")
    for line in status_lines(runs):
        out.print(line, markup=False)


def status_lines(runs) -> Iterator[str]:
    for run in runs:
        started = f"{run.started_at:%Y-%m-%d %H:%M:%S}" if run.started_at else "not started"
        took = f", {(run.ended_at - run.started_at).total_seconds():.0f} s" if run.ended_at and run.started_at else ""
        published = f", published {run.published_at:%Y-%m-%d %H:%M:%S}" if run.published_at else ""
        yield (
            f"{started}  {run.job}  {run.status}  run {run.run_id[:8]} by {run.launched_by}{took}: "
            f"{_count(len(run.files), 'file')}, {_count(run.rows_loaded, 'row')} loaded, "
            f"{run.rows_quarantined} quarantined, {_count(run.checks_failed, 'check')} failed{published}"
        )
        for f in run.files:
            if f.status == "rejected":
                yield f"    {f.file}: rejected: {f.reason}"
            elif f.status == "changed":
                yield f"    {f.file}: not loaded: {f.reason}"
            elif f.status == "unchanged":
                yield f"    {f.file}: already loaded"
            else:
                yield f"    {f.file} [{f.source}]: {f.rows_loaded} loaded, {f.rows_quarantined} quarantined"
        if run.failure:
            yield f"    {run.status}: {run.failure}"


def _open_own_warehouse(where: Home):
    """The pipeline's own warehouse, read-only; a running pipeline holding it is one line, not a traceback."""
    from ingest.quarantine import WarehouseBusy, open_warehouse

    if not where.warehouse.exists():
        raise UserError(f"no warehouse under {where.root}: run `emstat ingest PATH…` first")
    try:
        return open_warehouse(where.warehouse)
    except WarehouseBusy as exc:
        raise UserError(str(exc)) from None


def _open_quarantine(where: Home, file: str | None):
    """The quarantine is wanted right after ingest, before publishing: read from the pipeline's own warehouse."""
    from ingest.quarantine import is_loaded

    con = _open_own_warehouse(where)
    # A mistyped name would otherwise read as "nothing quarantined", which is what a statistician hopes to see.
    if file is not None and not is_loaded(con, file):
        con.close()
        raise UserError(f"no file named {file!r} has been loaded")
    return con


def print_quarantine(rows) -> None:
    table = Table()
    for column in ("file", "row", "id", "reason", "state"):
        table.add_column(column, justify="right" if column == "row" else "left")
    for r in rows:
        # Text cells, so a bracket in a file name or reason is printed, not read as rich markup.
        table.add_row(*(Text(v or "") for v in (r.file_name, str(r.row_number or ""), r.record_id, r.reason, r.state)))
    if rows:
        out.print(table)
    files = len({r.load_id for r in rows})
    resolved = sum(1 for r in rows if r.resolved_at is not None)
    out.print(
        f"{_count(len(rows), 'row')} quarantined in {_count(files, 'file')}"
        + (f", {resolved} since resolved" if resolved else "")
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@app.command()
def demo(
    rows: Annotated[
        int | None,
        typer.Option(
            "--rows", min=1, help="Accidents per year, every other source in proportion (benchmarks: 1000000)."
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Make the records a bureau would hold on this day, YYYY-MM-DD (today by default): "
            "the same day always writes the same files.",
        ),
    ] = None,
) -> None:
    """Make a demo prefecture's records (every source, three years), run the whole pipeline and print the
    year-to-date YoY table and bulletin sentence."""
    from core.clock import local_now
    from core.periods import default_data_through
    from devtools.demo_data import write_demo_files
    from report import build_report

    where = home()
    today = local_now().date()
    if on is not None:
        today = _past_day(on, "--on", today)
    folder = where.landing / ("demo" if rows is None else f"demo-{rows}")
    files = write_demo_files(folder, today=today, accidents_per_year=rows)
    out.print(f"demo records written to {files.folder}: {len(files.files)} files")
    # The records run through the day before `today`, and so do the figures, whatever day the demo is run on.
    through = default_data_through(today)
    _report_published(_run("pipeline", where, [str(files.folder)], data_through=through), where)
    # The year so far, as a bureau reads it on that day: cut at the last day of the records on both sides.
    result = build_report(where.published, files.region_code, date(through.year, 1, 1), date(through.year, 12, 31))
    _state_cut(result)
    print_report(result)


@app.command()
def bench(
    rows: Annotated[
        int, typer.Option("--rows", min=12_000, help="Accidents over the decade; the other sources in proportion.")
    ] = 1_000_000,
    json_path: Annotated[Path | None, typer.Option("--json", help="Also write the results to this JSON file.")] = None,
    work: Annotated[
        Path | None,
        typer.Option(
            "--work", help="Keep the files, warehouses and log here (a temporary folder, removed, by default)."
        ),
    ] = None,
) -> None:
    """Measure the pipeline on generated files (full run, one more month, an empty month) against DuckDB alone
    and pandas doing the same year-over-year marts; print wall time, peak memory and rows per second."""
    import json

    from devtools.bench.measure import CommandFailed
    from devtools.bench.run import FiguresDiffer, WorkNotEmpty
    from devtools.bench.run import bench as run_bench

    try:
        result = run_bench(rows, work, say=lambda line: out.print(line, markup=False))
    except (CommandFailed, FiguresDiffer, WorkNotEmpty) as exc:
        raise UserError(f"bench: {exc}") from None
    for line in result.table():
        out.print(line, markup=False)
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result.as_json(), indent=2) + "\n", encoding="utf-8")


class AppraisalFormat(str, Enum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


@app.command()
def appraise(
    year: Annotated[int, typer.Option("--year", help="The year appraised.")],
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="A rules file (YAML) to score with instead of the scheme shipped for that year: a what-if "
            "that changes nothing in the warehouse.",
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="Score the regions one level below this one (a county scores its townships); "
            "every township by default.",
        ),
    ] = None,
    format: Annotated[AppraisalFormat, typer.Option("--format", help="text, json or xlsx.")] = AppraisalFormat.text,
    output: Annotated[Path | None, typer.Option("--output", help="Write to this file (required for xlsx).")] = None,
) -> None:
    """The annual appraisal (安全生产目标管理责任制考核): every region's score, grade, rank and vetoes, each point
    with the records behind it, from the published warehouse."""
    from appraisal.run import AppraisalError, appraise_published

    if format is AppraisalFormat.xlsx and output is None:
        raise UserError("--format xlsx writes a workbook: give it a file with --output PATH.xlsx")
    if rules is not None and not rules.is_file():
        raise UserError(f"no such rules file: {rules}")
    _check_output(output)
    try:
        document, scheme = appraise_published(home().published, year, rules, region)
    except AppraisalError as exc:
        raise UserError(str(exc)) from None
    if format is AppraisalFormat.xlsx:
        from appraisal.xlsx import write_appraisal_xlsx

        out.print(f"written {write_appraisal_xlsx(document, scheme, output)}", markup=False)
    elif format is AppraisalFormat.json:
        rendered = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            sys.stdout.write(visible(rendered))
        else:
            output.write_text(rendered, encoding="utf-8")
            out.print(f"written {output}", markup=False)
    else:
        from appraisal.text import print_appraisal

        print_appraisal(document, scheme, out)


dashboards_app = typer.Typer(
    help="Leadership dashboards in Apache Superset, on localhost, reading the published warehouse.",
    no_args_is_help=True,
)
app.add_typer(dashboards_app, name="dashboards")


@dashboards_app.command("up")
def dashboards_up(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")] = 8088,
) -> None:
    """Install Superset when missing, start it in the background and apply the dashboards; prints the URL.
    The admin is EMSTAT_SUPERSET_USER / EMSTAT_SUPERSET_PASSWORD (default: admin and a password generated once
    under EMSTAT_HOME)."""
    from dashboards import service

    where = home()
    try:
        result = service.up(where, port, lambda line: out.print(line, markup=False))
    except service.DashboardsError as exc:
        raise UserError(str(exc)) from None
    out.print(f"Superset {'started' if result.started else 'already running'}: {result.url}", markup=False)
    password = result.admin.password if result.admin.generated else "(from EMSTAT_SUPERSET_PASSWORD)"
    out.print(f"log in as {result.admin.username} / {password}", markup=False)
    _print_provisioned(result.provisioned)


@dashboards_app.command("provision")
def dashboards_provision() -> None:
    """Apply the dashboards (dashboards/spec/) to the running Superset again; unchanged ones stay as they are."""
    from dashboards import service

    try:
        result = service.reprovision(home())
    except service.DashboardsError as exc:
        raise UserError(str(exc)) from None
    _print_provisioned(result)


@dashboards_app.command("down")
def dashboards_down() -> None:
    """Stop the Superset server started for this EMSTAT_HOME."""
    from dashboards import service

    where = home()
    out.print("Superset stopped" if service.down(where) else f"Superset is not running for {where.root}", markup=False)


def _print_provisioned(result) -> None:
    out.print(
        f"dashboards: {len(result.created)} objects created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged",
        markup=False,
    )
    for link in result.dashboards.values():
        out.print(f"  {link}", markup=False)


@app.command()
def contract() -> None:
    """Print the data contract (every source, field, Chinese name, unit and rule) as Markdown."""
    from ingest.contract_doc import render_markdown

    sys.stdout.write(render_markdown() + "\n")


def main(argv: list[str] | None = None) -> None:
    """The console script; `argv` (the arguments after `emstat`) lets a caller in the same process run it."""
    try:
        app(args=argv, prog_name="emstat", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into one line
        from emstat.pipeline import PipelineBusy
        from report import ReportError

        if _is_usage_error(exc):
            print(f"emstat: {visible(exc.format_message())}", file=sys.stderr)  # type: ignore[attr-defined]
            sys.exit(2)
        if isinstance(exc, UserError | ReportError | PipelineBusy | SettingError):
            print(f"emstat: {visible(str(exc))}", file=sys.stderr)
            sys.exit(1)
        if (disk := _disk_error(exc)) is not None:
            print(f"emstat: {_os_reason(disk)}", file=sys.stderr)
            sys.exit(1)
        try:
            kept = _log_traceback()
        except OSError as disk:
            print(f"emstat: {_os_reason(disk)}", file=sys.stderr)
            sys.exit(1)
        first_line = next((line for line in str(exc).splitlines() if line.strip()), "")
        print(visible(f"emstat: internal error: {type(exc).__name__}: {first_line} ({kept})"), file=sys.stderr)
        sys.exit(3)


def _is_usage_error(exc: Exception) -> bool:
    """Click's usage errors (Typer ships its own copy of click, so match the shape, not the class)."""
    return hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)


def _log_traceback() -> str:
    """Where the traceback was kept: the home's error log, or why it could not be (a full disk, a read-only
    home), so the one line still comes out."""
    try:
        logs = home().logs
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / "emstat-errors.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
    except Exception as exc:  # noqa: BLE001 - the error report must not fail in turn
        if (disk := _disk_error(exc)) is not None:
            raise disk from None  # the home itself cannot be written: that, not the symptom, is the message
        return f"traceback not kept: {_os_reason(exc)}"
    return f"traceback in {log}"


# What the disk or the home says, as a person can act on it: not a program error.
DISK_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


# How SQLite and DuckDB word the same conditions inside their own exceptions.
DISK_WORDS = {
    "no space left on device": errno.ENOSPC,
    "database or disk is full": errno.ENOSPC,
    "read-only file system": errno.EROFS,
    "readonly database": errno.EROFS,
}


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in DISK_ERRORS:
        return f"{DISK_ERRORS[exc.errno]}" + (f" ({exc.filename})" if exc.filename else "")
    return f"{type(exc).__name__}: {exc}"


def _disk_error(exc: BaseException | None) -> OSError | None:
    """The disk or permission error behind `exc`, however deep (DuckDB, SQLite and Dagster wrap them in their
    own exceptions)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in DISK_ERRORS:
            return exc
        said = str(exc).lower()
        for words, code in DISK_WORDS.items():
            if words in said:
                return OSError(code, os.strerror(code))
        exc = exc.__cause__ or exc.__context__
    return None
