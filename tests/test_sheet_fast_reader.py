"""The import's own XLSX row reader gives the rows openpyxl's read-only reader gives, value for value.

Real workbooks made here (openpyxl writes them; some sheet XML is then written by hand as other
programs and scripts write it), read once through ``xlsx_rows.fast_rows`` and once through
openpyxl's ``iter_rows(values_only=True)``: the same row numbers (blank rows aside, which the
import skips either way), the same values of the same types.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from elternlotse.domain.errors import ValidationError
from elternlotse.services import sheet_files
from elternlotse.services.sheet_files import read_sheet
from elternlotse.services.xlsx_rows import fast_rows

WIDTH = 201
SHEET = "xl/worksheets/sheet1.xml"


def both(path: Path) -> tuple[list, list]:
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        name = book.sheetnames[0]
        reference = [(n, list(cells)) for n, cells in
                     enumerate(book[name].iter_rows(max_col=WIDTH, values_only=True), start=1)]
        with zipfile.ZipFile(path) as archive:
            raw = archive.read(book[name]._worksheet_path)
        rows = fast_rows(book, name, WIDTH, raw)
        assert rows is not None
        ours = list(rows())
    finally:
        book.close()
    blank = [None] * WIDTH

    def typed(rows):
        return [(n, [(type(v), v) for v in cells]) for n, cells in rows if cells != blank]

    return typed(reference), typed(ours)


def replace_sheet_xml(path: Path, sheet_data: str, dimension: str | None = None) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    head = '<dimension ref="%s"/>' % dimension if dimension else ""
    parts[SHEET] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    f"{head}<sheetData>{sheet_data}</sheetData></worksheet>").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_values_of_every_kind_are_read_as_openpyxl_reads_them(tmp_path, epoch_1904):
    book = Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["Name", "Telefon", "Datum", "Zeit", "Dauer", "Ja", "Zahl"])
    sheet.append(["Ayşe Yılmaz", "0176 1234567", datetime(2026, 11, 22), time(13, 30), timedelta(hours=3), True, 17612345678])
    sheet.append(["Олена", 1.76123e10, date(2025, 1, 31), None, None, False, 8.5])
    sheet.append([" نعم ", 46000, "22.11.2026", "", "x = 1", 0, -3])
    sheet["C5"] = 46001
    sheet["C5"].number_format = "dd/mm/yyyy"
    sheet["D5"] = 0.25
    sheet["D5"].number_format = "hh:mm"
    sheet["G5"] = 1e300
    sheet.cell(row=9, column=2, value="after blank rows")
    sheet.cell(row=10, column=WIDTH, value="last column read")
    sheet.cell(row=10, column=WIDTH + 5, value="beyond the columns read")
    book.save(tmp_path / "kinds.xlsx")
    reference, ours = both(tmp_path / "kinds.xlsx")
    assert ours == reference
    assert ours[-1][0] == 10


def test_hand_written_sheet_xml_rows_without_numbers_inline_text_errors_and_repeats(tmp_path):
    path = tmp_path / "hand.xlsx"
    Workbook().save(path)
    replace_sheet_xml(path, (
        '<row><c t="inlineStr"><is><t>Name</t></is></c><c t="inlineStr"><is><r><t>Tele</t></r><r><t>fon</t></r>'
        '<rPh sb="0" eb="1"><t>phonetic</t></rPh></is></c><c t="inlineStr"><is><t/></is></c>'
        '<c t="inlineStr"><is><t xml:space="preserve"> padded </t></is></c><c t="inlineStr"><is><t>a</t><t>b</t></is></c></row>'
        '<row><c><v>12</v></c><c t="str"><v>text result</v></c><c t="e"><v>#DIV/0!</v></c><c t="b"><v>1</v></c></row>'
        '<row r="5"><c r="C5" t="d"><v>2026-11-22T10:00:00</v></c><c><v></v></c><c t="inlineStr"/></row>'
        '<row r="4"><c r="A4"><v>4</v></c></row>'
        '<row r="5"><c r="A5"><v>5</v></c></row>'
        '<row r="7.0"><c r="B7"><v>1.5E3</v></c><c t="str"><v>next column</v></c></row>'
    ))
    reference, ours = both(path)
    assert ours == reference
    assert [n for n, _cells in ours] == [1, 2, 5, 7]


def test_rows_after_the_dimension_are_cut_as_openpyxl_cuts_them(tmp_path):
    path = tmp_path / "dimension.xlsx"
    Workbook().save(path)
    replace_sheet_xml(path, "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 8)),
                      dimension="A1:A4")
    reference, ours = both(path)
    assert ours == reference
    assert [n for n, _cells in ours] == [1, 2, 3, 4]


def test_a_sheet_with_formulas_is_read_through_openpyxl(tmp_path, monkeypatch):
    """Formula cells need openpyxl's formula-reading workbook: the fast reader is not used for them."""
    calls = []
    monkeypatch.setattr(sheet_files, "fast_rows", lambda *a: calls.append(fast_rows(*a)) or calls[-1])
    book = Workbook()
    book.active.append(["Name", "Summe"])
    book.active.append(["Ayşe", "=1+1"])
    book.save(tmp_path / "formula.xlsx")
    sheet = read_sheet(tmp_path / "formula.xlsx")
    try:
        assert [type(c).__name__ for c in list(sheet.rows())[0][1][:2]] == ["str", "Formula"]
    finally:
        sheet.close()
    assert calls == [None]
    book = Workbook()
    book.active.append(["Name", "Summe"])
    book.active.append(["Ayşe", 2])
    book.save(tmp_path / "plain.xlsx")
    sheet = read_sheet(tmp_path / "plain.xlsx")
    try:
        assert list(sheet.rows())[0][1][:2] == ["Ayşe", 2]
    finally:
        sheet.close()
    assert calls[0] is None and calls[1] is not None


@pytest.mark.parametrize("bad_row", ['<row r="3"><c r="A3"><v>not a number</v></c></row>',
                                     '<row r="2"><c r="A2"><v>not a number</v></c></row>',  # a skipped repeat
                                     '<row r="2.5"><c r="A3"><v>1</v></c></row>'])
def test_a_damaged_row_fails_as_it_fails_in_openpyxl(tmp_path, bad_row):
    path = tmp_path / "damaged.xlsx"
    Workbook().save(path)
    replace_sheet_xml(path, '<row r="1"><c r="A1" t="str"><v>Name</v></c></row>'
                            '<row r="2"><c r="A2" t="str"><v>Ayşe</v></c></row>' + bad_row)
    with pytest.raises(ValueError):
        both(path)  # openpyxl's reader fails on it
    sheet = read_sheet(path)
    try:
        with pytest.raises(ValidationError, match="damaged"):
            list(sheet.rows())
    finally:
        sheet.close()


def test_comments_and_a_doctype_read_as_openpyxl_reads_them(tmp_path):
    path = tmp_path / "comments.xlsx"
    Workbook().save(path)
    replace_sheet_xml(path, '<row r="1"><!-- a comment --><c t="str"><v>Name</v></c><?pi x?><c t="str"><v>Tel</v></c></row>'
                            '<row r="2"><c t="str"><v>A &amp; B</v></c><c><v>1</v></c></row>')
    reference, ours = both(path)
    assert ours == reference
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[SHEET] = parts[SHEET].replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY e "Ayse">]><worksheet', 1)
    parts[SHEET] = parts[SHEET].replace(b"A &amp; B", b"&e;")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        assert fast_rows(book, book.sheetnames[0], WIDTH, parts[SHEET]) is None  # openpyxl reads such a sheet
    finally:
        book.close()
