"""The report as JSON, CSV (UTF-8 with BOM, ';' for German Excel) and XLSX (one sheet per table).

Spreadsheet programs run text that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or CR) as a
formula: such text is neutralised (a leading apostrophe in CSV, a plain string cell in XLSX).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from elternlotse.domain.text import N_

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """CSV text a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_atomically(path: Path, data: bytes) -> Path:
    """The whole file or nothing (a temporary file beside it, then a rename), readable by its owner only."""
    path = Path(path)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _table_rows(table, total_label: str) -> list[list]:
    published = table.published
    rows = [[table.row_header, *table.columns, total_label]]
    for label, cells, total in zip(table.rows, published.cells, published.row_totals, strict=True):
        rows.append([label, *cells, total])
    rows.append([total_label, *published.column_totals, published.total])
    return rows


def to_json(report, translate) -> dict:
    return {
        "format": "elternlotse.report/1",
        "period": {"from": report.first.isoformat(), "to": report.last.isoformat()},
        "organisation": report.organisation, "language": report.language, "protection": report.rule,
        "key_figures": [{"label": translate(label), "value": value} for label, value in report.key_published],
        "tables": [{
            "key": t.key, "title": t.title, "row_header": t.row_header, "columns": t.columns,
            "rows": [{"label": label, "cells": cells, "total": total}
                     for label, cells, total in zip(t.rows, t.published.cells, t.published.row_totals, strict=True)],
            "column_totals": t.published.column_totals, "total": t.published.total, "protected": t.protected,
        } for t in report.tables],
    }


def write_json(report, path: Path, translate) -> Path:
    return write_atomically(path, json.dumps(to_json(report, translate), ensure_ascii=False, indent=2).encode("utf-8"))


def write_csv(report, path: Path, translate) -> Path:
    """One file, one block per table (title line, header, rows, total), blank lines between."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(report.organisation), report.first.isoformat(), report.last.isoformat()])
    writer.writerow([translate(N_("Protection")), report.rule])
    writer.writerow([])
    for label, value in report.key_published:
        writer.writerow([neutralise(translate(label)), value])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([neutralise(table.title)])
        for row in _table_rows(table, translate(N_("Total"))):
            writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    return write_atomically(path, ("\ufeff" + out.getvalue()).encode("utf-8"))


def write_xlsx(report, path: Path, translate) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_name(translate(N_("Key figures")), set())
    bold = Font(bold=True)
    _put(sheet, 1, 1, report.organisation, bold)
    _put(sheet, 2, 1, f"{report.first.isoformat()} - {report.last.isoformat()}")
    _put(sheet, 3, 1, translate(N_("Protection")))
    _put(sheet, 3, 2, report.rule)
    for i, (label, value) in enumerate(report.key_published, start=5):
        _put(sheet, i, 1, translate(label))
        _put(sheet, i, 2, value)
    sheet.column_dimensions["A"].width = 40
    used = {sheet.title}
    for table in report.tables:
        ws = book.create_sheet(_sheet_name(table.title, used))
        for r, row in enumerate(_table_rows(table, translate(N_("Total"))), start=1):
            for c, value in enumerate(row, start=1):
                _put(ws, r, c, value, bold if r == 1 or c == 1 else None)
        ws.freeze_panes = "B2"
        ws.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomically(path, buffer.getvalue())


def _put(sheet, row: int, column: int, value, font=None) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if font is not None:
        cell.font = font


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name
