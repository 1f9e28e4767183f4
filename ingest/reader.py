"""Read a landing file into strings: detect its encoding, its source and what each header means."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from ingest.contract import COUNT_UNITS, MONEY_UNITS, SOURCES, Field, Kind, Source
from ingest.headers import normalise_token, split_unit

ROW_NUMBER = "_row_number"
READABLE_SUFFIXES = (".csv", ".xlsx", ".xls")


class FileError(Exception):
    """The file as a whole cannot be read; every row of it is quarantined with this reason."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")


@dataclass(frozen=True)
class Column:
    header: str  # as written in the file
    field: Field
    factor: float  # multiply by this to reach the stored unit


@dataclass(frozen=True)
class SourceTable:
    source: Source
    frame: pl.DataFrame  # every cell a string, plus the spreadsheet row number
    columns: tuple[Column, ...]
    encoding: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 with or without BOM is tried first; otherwise GB18030, a superset of GBK."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise FileError("文件编码无法识别(应为UTF-8或GBK)", "encoding not recognised (expected UTF-8 or GBK)") from exc


def source_by_name(name: str) -> Source | None:
    """The source a file or sheet name announces (prefix or Chinese label), if any."""
    token = normalise_token(name)
    for source in SOURCES:
        if any(token.startswith(normalise_token(p)) for p in (*source.prefixes, source.label)):
            return source
    return None


def _sheet_for(sheets: list[str], named: Source | None) -> str:
    """The sheet named after the file's source (or after any source, when the file name does not tell);
    otherwise the first sheet."""
    for sheet in sheets:
        source = source_by_name(sheet)
        if source is not None and (named is None or source is named):
            return sheet
    return sheets[0]


def _read_strings(path: Path, named: Source | None) -> tuple[pl.DataFrame, str]:
    if path.suffix.lower() in (".xlsx", ".xls"):
        sheet = _sheet_for(fastexcel.read_excel(path).sheet_names, named)
        frame = pl.read_excel(path, sheet_name=sheet, infer_schema_length=0, raise_if_empty=False)
        if frame.width == 0:
            raise FileError(f"工作表“{sheet}”是空的", f"sheet '{sheet}' is empty")
        return frame, f"xlsx:{sheet}"
    text, encoding = decode(path.read_bytes())
    if not text.strip():
        raise FileError("文件是空的", "the file is empty")
    frame = pl.read_csv(
        io.StringIO(text), infer_schema=False
    )
    return frame, encoding


def _header_lookup(source: Source) -> dict[str, Field]:
    lookup: dict[str, Field] = {}
    for f in source.fields:
        for spelling in (f.name, f.label, *f.aliases):
            lookup[normalise_token(spelling)] = f
    return lookup


def detect_source(path: Path, headers: list[str]) -> Source:
    named = source_by_name(path.stem)
    if named is not None:
        return named
    # No telling file name: of the sources whose record id column is present, the one that knows most headers
    # (every record source has a region code column too, so the regions reference must not win on that alone).
    names = {split_unit(h)[0] for h in headers}
    candidates = []
    for order, source in enumerate(SOURCES):
        key = source.id_field
        if names & {normalise_token(s) for s in (key.name, key.label, *key.aliases)}:
            candidates.append((len(names & set(_header_lookup(source))), not source.is_reference, -order, source))
    if candidates:
        return max(candidates, key=lambda c: c[:3])[3]
    raise FileError("无法从文件名或表头判断数据类别", "cannot tell the source from the file name or the header row")


def _factor(field: Field, header: str, unit: str | None) -> float:
    if unit is None:
        return 1
    if field.kind is Kind.MONEY and unit in MONEY_UNITS:
        return MONEY_UNITS[unit]
    if field.kind is Kind.COUNT and unit in COUNT_UNITS:
        return 1
    if field.kind is Kind.DECIMAL and field.units and unit in field.units:
        return field.units[unit]
    raise FileError(f"列“{header}”的单位“{unit}”无法识别", f"unit '{unit}' of column '{header}' is not recognised")


def _as_written(header: str, headers: list[str]) -> str:
    """Polars renames a repeated header to '<name>_duplicated_<n>'; map it as the clerk wrote it."""
    repeated = re.match(r"^(?P<name>.+)_duplicated_[0-9]+$", header)
    return repeated.group("name") if repeated and repeated.group("name") in headers else header


def map_columns(source: Source, headers: list[str]) -> tuple[Column, ...]:
    lookup = _header_lookup(source)
    columns: list[Column] = []
    seen: set[str] = set()
    for header in headers:
        name, unit = split_unit(_as_written(header, headers))
        field = lookup.get(name) or lookup.get(normalise_token(_as_written(header, headers)))
        if field is None:
            continue  # extra columns are kept in the quarantine's raw values, not in the typed table
        if field.name in seen:
            raise FileError(f"列“{field.label}”出现了两次", f"column '{field.name}' appears twice")
        seen.add(field.name)
        unit = None if lookup.get(normalise_token(_as_written(header, headers))) is field else unit
        columns.append(Column(header, field, _factor(field, header, unit)))
    present = {c.field.name for c in columns}
    stands_in = {"region_code"} if source.region_name_field in present else set()
    missing = [f for f in source.fields if f.required and f.name not in present | stands_in]
    if len(missing) == 1:
        raise FileError(f"缺少必填列“{missing[0].label}”", f"required column '{missing[0].name}' is missing")
    if missing:
        # All of them: a clerk who sent another register under this name sees at once it is the wrong file.
        raise FileError("缺少必填列" + "、".join(f"“{f.label}”" for f in missing),
                        "required columns " + ", ".join(f"'{f.name}'" for f in missing) + " are missing")
    return tuple(columns)


def read_source_table(path: Path) -> SourceTable:
    frame, encoding = _read_strings(path, source_by_name(path.stem))
    headers = [h.strip() for h in frame.columns]
    frame.columns = headers
    source = detect_source(path, headers)
    columns = map_columns(source, headers)
    # Row 1 holds the headers, so the first record is row 2, as the clerk sees it in Excel.
    frame = frame.with_row_index(ROW_NUMBER, offset=2).with_columns(pl.col(ROW_NUMBER).cast(pl.Int64))
    return SourceTable(source, frame, columns, encoding)
