"""Read a landing file into strings: detect its encoding, its source and what each header means."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import fastexcel
import polars as pl

from ingest.contract import COUNT_UNITS, MONEY_UNITS, SOURCES, Field, Kind, Source
from ingest.headers import normalise_token, split_unit

ROW_NUMBER = "_row_number"
READ_PROBLEM = "_read_problem"  # why a row could not be read as written; null when it could
FILE_INDEX = "_file_index"  # in a batch of files checked together (`stacked`), the position of the row's file
BOOKKEEPING = (ROW_NUMBER, READ_PROBLEM, FILE_INDEX)  # the columns of a source table that are not the file's own
READABLE_SUFFIXES = (".csv", ".xlsx", ".xls")
FIRST_RECORD_ROW = 2  # row 1 holds the headers, so the first record is row 2, as the clerk sees it in Excel
REPLACEMENT = "\ufffd"  # what an undecodable byte becomes


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
    frame: pl.DataFrame  # every cell a string, plus the spreadsheet row number, the row's read problem, its file
    columns: tuple[Column, ...]
    encoding: str

    @property
    def layout(self) -> tuple:
        """What decides how the rows are read: tables of one layout can be checked as one."""
        return (
            self.source.name,
            tuple(self.frame.schema.items()),
            tuple((c.header, c.field.name, c.factor) for c in self.columns),
        )


def stacked(tables: list[SourceTable]) -> SourceTable:
    """Tables of one layout as one, each row marked with the position of its table in `tables`."""
    frame = pl.concat(
        [table.frame.with_columns(pl.lit(index, pl.Int32).alias(FILE_INDEX)) for index, table in enumerate(tables)]
    )
    return SourceTable(tables[0].source, frame, tables[0].columns, tables[0].encoding)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    is_damaged: bool = False  # a few lines held bytes of no encoding: each became U+FFFD, its row is refused


def decode(data: bytes) -> Decoded:
    """UTF-8 with or without BOM is tried first; otherwise GB18030, a superset of GBK. A file with a few
    undecodable lines is decoded in whichever of the two leaves fewer of them, so that only those rows are
    refused; one whose header or most of whose lines cannot be decoded is not text in either."""
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    candidates = ("utf-8",) if bom else ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return Decoded(body.decode(encoding), "utf-8-sig" if bom else encoding)
        except UnicodeDecodeError:
            pass
    # Byte 0x0A never occurs inside a multi-byte character of either encoding, so lines decode on their own.
    lines = body.split(b"\n")
    bad = {encoding: [not _decodes(line, encoding) for line in lines] for encoding in candidates}
    encoding = min(candidates, key=lambda e: sum(bad[e]))  # UTF-8 on a tie
    if bad[encoding][0] or sum(bad[encoding]) * 2 > sum(1 for line in lines if line.strip()):
        raise FileError("文件编码无法识别(应为UTF-8或GBK)", "encoding not recognised (expected UTF-8 or GBK)")
    text = "\n".join(line.decode(encoding, errors="replace") for line in lines)
    return Decoded(text, "utf-8-sig" if bom else encoding, is_damaged=True)


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


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


def _read_strings(path: Path, data: bytes, named: Source | None) -> tuple[pl.DataFrame, str, dict[int, str]]:
    """The file's cells as strings, its encoding, and the rows that could not be read as written (by spreadsheet
    row number, with the reason)."""
    if path.suffix.lower() in (".xlsx", ".xls"):
        sheet = _sheet_for(fastexcel.read_excel(data).sheet_names, named)
        frame = pl.read_excel(io.BytesIO(data), sheet_name=sheet, infer_schema_length=0, raise_if_empty=False)
        if frame.width == 0:
            raise FileError(f"工作表“{sheet}”是空的", f"sheet '{sheet}' is empty")
        problems = _formulas_without_values(data, sheet, frame.columns) if path.suffix.lower() == ".xlsx" else {}
        return frame, f"xlsx:{sheet}", problems
    decoded = decode(data)
    if not decoded.text.strip():
        raise FileError("文件是空的", "the file is empty")
    try:
        frame, problems = pl.read_csv(io.StringIO(decoded.text), infer_schema=False), {}
    except pl.exceptions.ComputeError:
        # A row with more fields than the header (an unquoted comma): read the file record by record, so that
        # only such rows are refused.
        frame, problems = _ragged_csv(decoded.text)
    if frame.width == 1 and any(separator in frame.columns[0] for separator in (";", "\t")):
        raise FileError(
            "文件似乎用分号或制表符分隔,请另存为逗号分隔的CSV",
            "the file seems separated by semicolons or tabs: save it as a comma-separated CSV",
        )
    if decoded.is_damaged:
        problems |= _undecodable_rows(frame, decoded.encoding)
    return frame, decoded.encoding, problems


def _ragged_csv(text: str) -> tuple[pl.DataFrame, dict[int, str]]:
    """Every record with the header's columns; a record with more fields is refused and keeps the extra ones in
    columns named 第N列, so the quarantine holds all the clerk wrote. A record with fewer fields has its last
    cells empty, as Polars reads it."""
    header, *records = list(csv.reader(io.StringIO(text)))
    width = len(header)
    widest = max((len(record) for record in records), default=width)
    names = _polars_names(header) + [f"第{n}列" for n in range(width + 1, widest + 1)]
    problems = {
        row: (
            f"第{row}行有{len(record)}个字段,多于表头的{width}列(可能有未加引号的逗号) / row {row} has "
            f"{len(record)} fields, more than the {width} columns of the header (an unquoted comma?)"
        )
        for row, record in enumerate(records, start=FIRST_RECORD_ROW)
        if len(record) > width
    }
    cells = [[value or None for value in record] + [None] * (widest - len(record)) for record in records]
    return pl.DataFrame(cells, schema=dict.fromkeys(names, pl.String), orient="row"), problems


def _polars_names(header: list[str]) -> list[str]:
    """A repeated header named as Polars names it ('<name>_duplicated_<n>'), so both readers agree."""
    seen: dict[str, int] = {}
    names = []
    for name in header:
        if name in seen:
            names.append(f"{name}_duplicated_{seen[name]}")
            seen[name] += 1
        else:
            names.append(name)
            seen[name] = 0
    return names


def _undecodable_rows(frame: pl.DataFrame, encoding: str) -> dict[int, str]:
    damaged = frame.with_row_index("row", offset=FIRST_RECORD_ROW).filter(
        pl.any_horizontal(pl.col(c).str.contains(REPLACEMENT, literal=True) for c in frame.columns)
    )
    charset = "UTF-8" if encoding.startswith("utf-8") else "GBK"
    return {
        row: f"第{row}行含无法识别的字符(不是{charset}编码),请检查该行并重新导出 / row {row} holds bytes that are not "
        f"{charset}: check the row and export it again"
        for row in damaged["row"]
    }


SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]+)([0-9]+)\"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)


def _formulas_without_values(data: bytes, sheet: str, headers: list[str]) -> dict[int, str]:
    """Rows with a formula whose value was never computed (a file written by a program, not saved by Excel):
    it reads as empty, and an empty 死亡人数 would count as none."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        xml = book.read(_sheet_path(book, sheet))
    columns: dict[int, list[str]] = {}
    for match in CELL.finditer(xml):
        inner = match.group(3) or b""
        if b"<f" in inner and not re.search(rb"<(?:\w+:)?v>[^<]", inner):
            index = _column_index(match.group(1).decode())
            columns.setdefault(int(match.group(2)), []).append(
                headers[index] if index < len(headers) else match.group(1).decode()
            )
    return {
        row: (
            f"第{row}行“{'”“'.join(names)}”是未计算的公式 — 请在Excel中打开并保存后重新导出 / row {row}: "
            f"{', '.join(names)} hold formulas without computed values: open and save the file in Excel, "
            "then export it again"
        )
        for row, names in columns.items()
        if row >= FIRST_RECORD_ROW
    }


def _sheet_path(book: zipfile.ZipFile, sheet: str) -> str:
    """The sheet's XML part, through the workbook's list of sheets and its relationships."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for entry in workbook.iter(f"{{{SPREADSHEET}}}sheet"):
        if entry.get("name") == sheet:
            wanted = entry.get(f"{{{RELATIONSHIPS}}}id")
            for relation in relations:
                if relation.get("Id") == wanted:
                    target = relation.get("Target")
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise FileError(f"找不到工作表“{sheet}”", f"sheet '{sheet}' not found")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


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
        raise FileError(
            "缺少必填列" + "、".join(f"“{f.label}”" for f in missing),
            "required columns " + ", ".join(f"'{f.name}'" for f in missing) + " are missing",
        )
    return tuple(columns)


def read_source_table(path: Path, data: bytes | None = None) -> SourceTable:
    """`data`: the file's bytes as already read (and hashed), so what is parsed is what was recorded."""
    frame, encoding, problems = _read_strings(
        path, path.read_bytes() if data is None else data, source_by_name(path.stem)
    )
    headers = [h.strip() for h in frame.columns]
    frame.columns = headers
    source = detect_source(path, headers)
    columns = map_columns(source, headers)
    frame = frame.with_row_index(ROW_NUMBER, offset=FIRST_RECORD_ROW).with_columns(
        pl.col(ROW_NUMBER).cast(pl.Int64),
        (
            pl.col(ROW_NUMBER).replace_strict(problems, default=None, return_dtype=pl.String)
            if problems
            else pl.lit(None, pl.String)
        ).alias(READ_PROBLEM),
    )
    return SourceTable(source, frame, columns, encoding)
