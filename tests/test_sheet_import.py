"""Spreadsheet import: real CSV and XLSX files made here, a real encrypted office store."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import from_excel

from conftest import family_document
from elternlotse.domain.consent import Evidence, Purpose
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.sheet_mapping import UNKNOWN_TEXT_VERSION
from elternlotse.i18n import translate_error

HEADER = ["Name", "Telefon", "E-Mail", "Sprache", "Kind", "Klasse", "Einwilligung", "Fotos", "Datum"]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list], merge: str = "") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Liste"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def cached_formula(path: Path, cell: str, value: str) -> None:
    """Give a formula cell the value a spreadsheet program would have computed and saved."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    xml, n = re.subn(rf'<c r="{cell}"([^>]*)>(<f>[^<]*</f>)<v\s*/?>(</v>)?', rf'<c r="{cell}" t="str"\1>\2<v>{value}</v>', xml)
    assert n == 1
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def outcomes(plan) -> list[tuple[int, str]]:
    return [(r.row, r.outcome) for r in plan.rows]


def change_count(services) -> int:
    return services.store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]


def test_csv_dry_run_reports_every_row_and_writes_nothing(office_services, tmp_path):
    path = write_csv(tmp_path / "liste.csv", [
        HEADER,
        ["Ayşe Yılmaz", "0176 1234 5678", "ayse@example.org", "Türkisch", "Elif", "8b", "ja", "nein", "01.11.2026"],
        ["Olena Kovalenko", "1.76123E+10", "", "uk", "", "", "ja", "", ""],
        ["Kein Einverständnis", "0176 5555 5555", "", "", "", "", "", "", ""],
        ["A. Yılmaz", "+49 176 12345678", "", "", "", "", "x", "", "46300"],  # a serial saved as text
        ["Falsche Klasse", "", "", "", "Tom", "17", "ja", "", ""],
        ["Jetzt mit Einverständnis", "0176 5555 5555", "", "", "", "", "ja", "", ""],  # row 4's number
    ])
    before = change_count(office_services)
    plan = office_services.sheet_import.run(path)
    assert outcomes(plan) == [(2, "new"), (3, "refused"), (4, "refused"), (5, "duplicate"), (6, "refused"),
                              (7, "new")]
    reasons = {r.row: translate_error(r.error) for r in plan.rows if r.error}
    assert "Telefon" in reasons[3] and "1.76123E+10" in reasons[3]
    assert "consent to store" in reasons[4]
    assert "row 2" in reasons[5] and plan.rows[3].family.consents[0].at == from_excel(46300).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert "Klasse" in reasons[6]
    assert plan.counts() == {"new": 2, "updated": 0, "duplicate": 1, "refused": 3}
    assert office_services.families.count() == 0 and change_count(office_services) == before


def test_import_writes_families_with_imported_consent_in_one_action(office_services, tmp_path):
    path = write_csv(tmp_path / "liste.csv", [
        HEADER,
        ["Ayşe Yılmaz", "0176 1234 5678", "ayse@example.org", "Türkisch, Deutsch", "Elif", "8", "ja", "nein", "01.11.2026"],
        ["Olena Kovalenko", "0157 1111 2222", "", "uk", "", "", "yes", "", ""],
    ])
    audits = office_services.store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    plan = office_services.sheet_import.run(path, dry_run=False)
    assert plan.counts()["new"] == 2 and plan.imported
    family = office_services.families.get(plan.rows[0].family_id)
    guardian = family.guardians[0]
    assert guardian.name == "Ayşe Yılmaz" and guardian.phones == ["+4917612345678"]
    assert guardian.languages == ["tr", "de"]
    assert family.children[0].first_name == "Elif" and family.children[0].grade == 8
    entries = {e.purpose: e for e in family.consents}
    assert entries[Purpose.STORE].granted and not entries[Purpose.PHOTOS].granted
    assert {e.evidence for e in family.consents} == {Evidence.IMPORTED_LIST}
    assert {e.text_version for e in family.consents} == {UNKNOWN_TEXT_VERSION}
    assert entries[Purpose.STORE].at == "2026-11-01T00:00:00Z"
    # one action: one transaction with its audit entries, found by the search like typed input
    assert office_services.store.conn.execute("SELECT count(*) FROM audit").fetchone()[0] - audits == 2
    assert [r.id for r in office_services.families.list("Kovalenko")] == [plan.rows[1].family_id]


def test_a_failure_in_the_middle_leaves_nothing_half_imported(office_services, tmp_path, monkeypatch):
    from elternlotse.store import families as repo

    rows = [HEADER] + [[f"Person {i} Test", f"0176 1000 {i:04d}", "", "", "", "", "ja", "", ""] for i in range(50)]
    path = write_csv(tmp_path / "liste.csv", rows)
    real, calls = repo.insert_family, []

    def failing(writer, family):
        calls.append(1)
        if len(calls) == 30:
            raise OSError(28, "No space left on device")
        return real(writer, family)

    monkeypatch.setattr(repo, "insert_family", failing)
    with pytest.raises(OSError):
        office_services.sheet_import.run(path, dry_run=False)
    assert office_services.families.count() == 0
    assert office_services.store.conn.execute("SELECT count(*) FROM consents").fetchone()[0] == 0


def test_cp1252_with_commas_and_plain_utf8(office_services, tmp_path):
    rows = [["Nachname", "Vorname", "Telefon", "Einwilligung"], ["Müller", "Jürgen", "0231 123456", "ja"]]
    for encoding, delimiter in (("cp1252", ","), ("utf-8", ";"), ("utf-8-sig", "\t")):
        path = write_csv(tmp_path / f"{encoding}.csv", rows, delimiter, encoding)
        sheet = office_services.sheet_import.read(path)
        assert sheet.headers == rows[0]
        plan = office_services.sheet_import.plan(sheet, office_services.sheet_import.mapping_for(sheet))
        assert [r.name for r in plan.rows] == ["Jürgen Müller"], encoding


def test_broken_encoding_and_empty_files_are_refused_whole(office_services, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_bytes("Name;Einwilligung\nJürgen;ja\n".encode() + b"Bad \xc3\x28;ja\n")
    with pytest.raises(ValidationError) as refused:
        office_services.sheet_import.run(broken)
    assert "line 3" in translate_error(refused.value)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf\r\n;;\r\n")
    with pytest.raises(ValidationError, match="empty"):
        office_services.sheet_import.run(empty)
    book = tmp_path / "empty.xlsx"
    Workbook().save(book)
    with pytest.raises(ValidationError) as refused:
        office_services.sheet_import.run(book)
    assert "empty" in translate_error(refused.value)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError):
        office_services.sheet_import.run(fake)


def test_xlsx_numbers_dates_formulas_and_merged_cells(office_services, tmp_path):
    path = write_xlsx(tmp_path / "liste.xlsx", [
        ["Nachname", "Vorname", "Handy", "Einwilligung", "Datum", "Klasse", "Kind"],
        ["Kaya", "Mehmet", 17612345679, "x", 46300, 9, "Can"],            # number without its 0, Excel serial date
        ["Formel", "Ohne Wert", "=A1&B1", "ja", None, None, None],        # formula, no cached value
        ["Formel", "Mit Wert", "=C9", "ja", date(2026, 3, 1), None, None],  # formula with a cached value
        ["Plus", "Verloren", 4917612345672, "ja", None, 5, "Ali"],       # +49 or 0491...? refused, not guessed
        ["Gruppe", "Eins", "0176 1234 5670", "ja", None, 5, "Ali"],
        [None, "Zwei", "0176 1234 5671", "ja", None, 5, "Bea"],           # merged with the row above
        ["Float", "Ungenau", 1.76123e10 + 0.5, "ja", None, None, None],
        ["Gerundet", "Wissenschaftlich", 1.76123e10, "ja", None, None, None],  # exact in the file, rounded before
    ], merge="A6:A7")
    cached_formula(path, "C4", "015712345678")
    plan = office_services.sheet_import.run(path)
    assert outcomes(plan) == [(2, "new"), (3, "refused"), (4, "new"), (5, "refused"), (6, "new"), (7, "refused"),
                              (8, "refused"), (9, "refused")]
    first = plan.rows[0].family
    assert first.guardians[0].phones == ["+4917612345679"]
    assert first.consents[0].at == from_excel(46300).strftime("%Y-%m-%dT%H:%M:%SZ")  # a date typed as a number
    assert plan.rows[2].family.guardians[0].phones == ["+4915712345678"]
    assert plan.rows[2].family.consents[0].at == "2026-03-01T00:00:00Z"
    assert plan.rows[4].family.guardians[0].phones == ["+4917612345670"]
    reasons = {r.row: translate_error(r.error) for r in plan.rows if r.error}
    assert "formula" in reasons[3] and "Handy" in reasons[3]
    assert "+4917612345672" in reasons[5] and "+494917612345672" in reasons[5]
    assert "A6:A7" in reasons[7]
    assert "Handy" in reasons[8]
    assert "17612300000" in reasons[9] and "scientific" in reasons[9]


def test_sheet_choice_and_an_unknown_sheet(office_services, tmp_path):
    book = Workbook()
    book.active.title = "Notizen"
    book.active.append(["nichts"])
    other = book.create_sheet("Familien")
    other.append(["Name", "Einwilligung"])
    other.append(["Ayşe Yılmaz", "ja"])
    book.save(tmp_path / "two.xlsx")
    plan = office_services.sheet_import.run(tmp_path / "two.xlsx", sheet="Familien")
    assert outcomes(plan) == [(2, "new")]
    with pytest.raises(ValidationError) as refused:
        office_services.sheet_import.run(tmp_path / "two.xlsx", sheet="Fehlt")
    assert "Familien" in translate_error(refused.value)


def test_rows_of_stored_families_are_updates_or_duplicates(office_services, tmp_path):
    stored = office_services.families.add(family_document())
    path = write_csv(tmp_path / "liste.csv", [
        ["ID", "Name", "Telefon", "Einwilligung", "Fotos"],
        ["", "Ayşe Yılmaz", "0176 1234 5678", "ja", "ja"],        # same phone, brings photo consent
        [stored.id, "Ayşe Yılmaz", "", "ja", ""],                 # by id, nothing new
        ["no-such-id", "Jemand", "", "ja", ""],
    ])
    plan = office_services.sheet_import.run(path, dry_run=False)
    assert outcomes(plan) == [(2, "updated"), (3, "duplicate"), (4, "refused")]
    assert plan.rows[0].family_id == stored.id
    family = office_services.families.get(stored.id)
    photos = [e for e in family.consents if e.purpose == Purpose.PHOTOS]
    assert len(photos) == 1 and photos[0].granted and photos[0].evidence == Evidence.IMPORTED_LIST
    assert len(family.consents) == len(stored.consents) + 1  # appended, nothing replaced
    assert office_services.families.count() == 1


def test_saved_mapping_is_reused_and_hostile_mappings_refused(office_services, tmp_path, cli):
    path = write_csv(tmp_path / "liste.csv", [["Wer", "Nummer", "Darf"], ["Ayşe Yılmaz", "0176 1234 5678", "ja"]])
    sheet = office_services.sheet_import.read(path)
    with pytest.raises(ValidationError, match="guardian"):
        office_services.sheet_import.plan(sheet, office_services.sheet_import.mapping_for(sheet))
    good = json.dumps({"format": "elternlotse.import-map/1",
                       "columns": {"Wer": "guardian_name", "Nummer": "phone", "Darf": "consent_store"}})
    mapping = office_services.sheet_import.mapping_for(sheet, good)
    assert outcomes(office_services.sheet_import.plan(sheet, mapping)) == [(2, "new")]
    assert json.loads(json.dumps(mapping.to_json())) == json.loads(good)
    for hostile in ('[]', '{"columns": {"Wer": "password"}}', '{"columns": {"Wer": "phone", "Nummer": "phone"}}',
                    '{"columns": {"Fehlt": "phone"}}', '{"columns": {}}', '{"format": "x", "columns": {"Wer": "phone"}}',
                    '{"columns": {"Wer": "phone"}, "run": "rm"}', "[" * 500, '{"columns": {"Wer": 1e999}}'):
        with pytest.raises(ValidationError):
            office_services.sheet_import.mapping_for(sheet, hostile)


def test_cli_import_dry_run_json_then_import_and_saved_mapping(cli, tmp_path):
    assert cli("init", "--name", "KoKo", "--office").code == 0
    path = write_csv(tmp_path / "liste.csv", [
        HEADER, ["Ayşe Yılmaz", "0176 1234 5678", "", "tr", "", "", "ja", "", ""],
        ["Ohne", "0176 5555 5555", "", "", "", "", "nein", "", ""]])
    result = cli("import", str(path), "--dry-run", "--json", "--save-map", str(tmp_path / "map.json"))
    assert result.code == 0
    report = result.json()
    assert report["counts"] == {"new": 1, "updated": 0, "duplicate": 0, "refused": 1} and not report["imported"]
    assert report["rows"][1]["row"] == 3 and "consent" in report["rows"][1]["reason"]
    assert json.loads((tmp_path / "map.json").read_text())["columns"]["Telefon"] == "phone"
    result = cli("import", str(path), "--map", str(tmp_path / "map.json"))
    assert result.code == 0 and "Row 3" in result.out
    assert len(cli("family", "list", "--json").json()) == 1
    (tmp_path / "bad.json").write_text('{"columns": {"Telefon": "nationality"}}')
    result = cli("import", str(path), "--map", str(tmp_path / "bad.json"))
    assert result.code == 1 and "nationality" in result.err and "Traceback" not in result.err
    result = cli("import", str(tmp_path / "missing.csv"))
    assert result.code == 1 and result.err.count("\n") == 1


@pytest.mark.slow
def test_hundred_thousand_rows_are_imported_in_one_go(office_services, tmp_path):
    rows = [["Name", "Telefon", "Einwilligung"]]
    rows += [[f"Person {i} Beispiel", f"+49 176 {10000000 + i}", "ja" if i % 10 else "nein"] for i in range(100_000)]
    path = write_csv(tmp_path / "gross.csv", rows)
    plan = office_services.sheet_import.run(path, dry_run=False)
    assert plan.counts() == {"new": 90_000, "updated": 0, "duplicate": 0, "refused": 10_000}
    assert office_services.families.count() == 90_000
    too_many = write_csv(tmp_path / "zu-gross.csv", rows + [["Noch eine Person", "", "ja"]])
    with pytest.raises(ValidationError, match="rows"):
        office_services.sheet_import.run(too_many, dry_run=False)
    assert office_services.families.count() == 90_000
