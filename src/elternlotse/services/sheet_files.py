"""Reading an office's list: XLSX (openpyxl, read-only, cached values) and CSV, bounded and hostile-checked.

A sheet is a header row and data rows of cell values.  CSV: UTF-8, UTF-8 with BOM or cp1252
(German Excel), ``;`` or ``,`` (or tab) sniffed from the header line.  XLSX: the values the
spreadsheet program computed (formulas are never evaluated here; a formula without a cached
value becomes a ``Formula`` cell, refused in its row), cells inside merged ranges become
``Merged`` cells (refused in their row: they would repeat or lose a value).  Files that are too
large, zip bombs, broken encodings and sheets with more rows or columns than the bounds are
refused as a whole with one sentence; nothing has been written at that point.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.sheet_cells import MAX_CELL, Formula, Merged
from elternlotse.domain.sheet_mapping import MAX_COLUMNS, MAX_HEADER
from elternlotse.domain.text import N_
from elternlotse.services.xlsx_rows import fast_rows

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_ROWS = 100_000
MAX_MERGED_CELLS = 200_000
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


@dataclass
class Sheet:
    headers: list[str]
    #: ``rows()`` yields (row number as the spreadsheet shows it, cells); one pass per call.
    rows: Callable[[], Iterator[tuple[int, list[Any]]]]
    name: str = ""
    sheet_names: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    close: Callable[[], None] = lambda: None  # releases the workbook (XLSX)


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise ValidationError(N_("The file {path} cannot be read."), path=str(path)) from None
    if size > MAX_FILE_BYTES:
        raise ValidationError(N_("The file {path} is larger than {limit} MB; split the list."), path=str(path),
                              limit=MAX_FILE_BYTES // (1024 * 1024))
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK"):
        return _read_xlsx(path, sheet)
    if sheet:
        raise ValidationError(N_("{field}: a CSV file has no sheets."), field="--sheet")
    return parse_csv(path.read_bytes(), str(path))


# ---------------------------------------------------------------- CSV

def decode(data: bytes, where: str) -> tuple[str, str]:
    """(text, encoding): BOM, else strict UTF-8, else cp1252 unless the bytes are broken UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise _broken(data, error.start, where) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if _UTF8_SEQUENCE.search(data):  # UTF-8 with damaged bytes: cp1252 would garble every umlaut
            raise _broken(data, error.start, where) from None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise _broken(data, error.start, where) from None


def _broken(data: bytes, offset: int, where: str) -> ValidationError:
    line = data.count(b"\n", 0, offset) + 1
    return ValidationError(N_("{path}: line {line} is not valid text (neither UTF-8 nor Windows-1252); save the list "
                              "again as CSV UTF-8."), path=where, line=line)


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of the header line, counted outside quotes; ';' wins a tie (German Excel)."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def parse_csv(data: bytes, where: str = "CSV") -> Sheet:
    text, encoding = decode(data, where)
    if "\x00" in text:
        raise ValidationError(N_("{path}: the file holds NUL bytes; it is not a CSV file."), path=where)
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    records = _csv_records(text, delimiter, where)
    header_number, headers = next(((n, cells) for n, cells in records if any(c.strip() for c in cells)), (0, None))
    if headers is None:
        raise ValidationError(N_("{path}: the sheet is empty."), path=where)
    headers = _headers(headers, where)
    if sum(1 for _record in _csv_records(text, delimiter, where)) - header_number > MAX_ROWS:
        raise _too_many_rows(where)  # said at once, before any row is validated

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in _csv_records(text, delimiter, where):
            if number <= header_number:
                continue
            if number - header_number > MAX_ROWS:
                raise _too_many_rows(where)
            if any(c.strip() for c in cells):
                yield number, [c if len(c) <= MAX_CELL else c[:MAX_CELL + 1] for c in cells[:MAX_COLUMNS + 1]]

    return Sheet(headers, rows, encoding=encoding, delimiter=delimiter)


def _csv_records(text: str, delimiter: str, where: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ValidationError(N_("{path}: line {line} cannot be read as CSV (a cell longer than the limit or "
                                     "a broken quote)."), path=where, line=reader.line_num) from None
        number += 1
        yield number, cells


def _headers(cells: list[Any], where: str) -> list[str]:
    headers = ["" if c is None else str(c).strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ValidationError(N_("{path}: the sheet has more than {limit} columns."), path=where, limit=MAX_COLUMNS)
    return [h[:MAX_HEADER] for h in headers]


def _too_many_rows(where: str) -> ValidationError:
    return ValidationError(N_("{path}: the sheet has more than {limit} rows; split the list."), path=where,
                           limit=f"{MAX_ROWS:,}")


# ---------------------------------------------------------------- XLSX

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters.decode():
        index = index * 26 + ord(ch) - 64
    return index - 1


def _read_xlsx(path: Path, sheet_name: str | None) -> Sheet:
    where = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(N_("{path}: the file is neither an XLSX workbook nor a CSV file."), path=where) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(N_("The file {path} is larger than {limit} MB; split the list."), path=where,
                              limit=MAX_UNPACKED_BYTES // (1024 * 1024))
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a damaged file; none may reach a person)
        raise ValidationError(N_("{path}: the file is neither an XLSX workbook nor a CSV file."), path=where) from None
    names = list(book.sheetnames)
    if sheet_name is not None and sheet_name not in names:
        book.close()
        raise ValidationError(N_("{field}: the workbook has no sheet '{value}' (sheets: {allowed})."), field="--sheet",
                              value=sheet_name[:60], allowed=", ".join(names))
    name = sheet_name or names[0]
    raw = _raw_xml(book[name])
    merged: dict[tuple[int, int], str] = {}
    for c1, r1, c2, r2 in _MERGE.findall(raw):
        ref = f"{c1.decode()}{r1.decode()}:{c2.decode()}{r2.decode()}"
        rows_span = range(int(r1), min(int(r2), MAX_ROWS + 2) + 1)
        cols_span = range(_column_index(c1), min(_column_index(c2), MAX_COLUMNS) + 1)
        if len(merged) + len(rows_span) * len(cols_span) > MAX_MERGED_CELLS:
            book.close()
            raise ValidationError(N_("{path}: the sheet has more than {limit} merged cells; unmerge them."),
                                  path=where, limit=f"{MAX_MERGED_CELLS:,}")
        for r in rows_span:
            for c in cols_span:
                if (r, c) != (int(r1), _column_index(c1)):
                    merged[(r, c)] = ref
    has_formulas = bool(_FORMULA.search(raw))
    # The sheet's XML read directly (same values, a fraction of the time); openpyxl's cells when
    # the sheet has formulas or anything else the fast reader does not handle (xlsx_rows).
    fast = fast_rows(book, name, MAX_COLUMNS + 1, raw)
    del raw
    # One read-only workbook for every pass (each pass reopens the sheet inside the archive): opening
    # one again parses the whole sheet when it lacks a <dimension> element (files written by scripts).
    formulas = load_workbook(path, read_only=True, data_only=False) if has_formulas else None

    def rows_with_numbers() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from _cells(book, formulas, name, merged, fast)
        except ValidationError:
            raise
        except Exception:  # noqa: BLE001 (a damaged sheet's XML fails inside openpyxl; nothing is written yet)
            raise ValidationError(N_("{path}: the sheet cannot be read to its end; the file is damaged."),
                                  path=where) from None

    header_number, header_cells = 0, None
    try:
        for number, cells in rows_with_numbers():
            if any(c is not None and str(c).strip() for c in cells if not isinstance(c, Formula | Merged)):
                header_number, header_cells = number, cells
                break
        if header_cells is None:
            raise ValidationError(N_("{path}: the sheet is empty."), path=where)
    except BaseException:
        _close(book, formulas)  # refused: the workbook's file is released at once
        raise
    headers = _headers([c if not isinstance(c, Formula | Merged) else "" for c in header_cells], where)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in rows_with_numbers():
            if number <= header_number:
                continue
            if number - header_number > MAX_ROWS:
                raise _too_many_rows(where)
            if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                yield number, cells

    return Sheet(headers, rows, name=name, sheet_names=names, close=lambda: _close(book, formulas))


def _cells(book, formulas, name: str, merged: dict, fast=None) -> Iterator[tuple[int, list[Any]]]:
    """Rows of cached values; formula cells without one and merged cells marked."""
    if fast is not None:
        numbered = fast()
    else:
        numbered = enumerate(book[name].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1)
    raw_rows = formulas[name].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True) if formulas else None
    for number, cells in numbered:
        cells = list(cells)
        if raw_rows is not None:
            raw_cells = next(raw_rows, ())
            for i, raw_value in enumerate(raw_cells):
                if i < len(cells) and cells[i] is None and isinstance(raw_value, str) and raw_value.startswith("="):
                    cells[i] = Formula()
        if merged:
            for i in range(len(cells)):
                ref = merged.get((number, i))
                if ref is not None:
                    cells[i] = Merged(ref)
        yield number, cells


def _close(*books) -> None:
    for book in books:
        if book is not None:
            book.close()


def _raw_xml(worksheet) -> bytes:
    """The sheet's XML (to find merged ranges and formulas: read-only mode does not report them)."""
    source = getattr(worksheet, "_get_source", None)
    if source is None:
        return b""
    with source() as handle:
        return handle.read(MAX_UNPACKED_BYTES)
