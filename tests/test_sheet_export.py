"""Spreadsheet export: real XLSX files, labels in the chosen language, consent decides what leaves."""

from __future__ import annotations

import os
import zipfile
from datetime import date

from openpyxl import load_workbook

from conftest import family_document
from elternlotse.domain.contact_log import Contact
from elternlotse.i18n import translator


def sheet_rows(path):
    book = load_workbook(path, read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    book.close()
    return rows


def test_families_export_holds_only_what_consent_allows(office_services, tmp_path):
    full = office_services.families.add(family_document())  # store, phone contact, invitations; no e-mail consent
    document = family_document(name="=HYPERLINK(\"http://x\")", phone="0176 9999 0000")
    document["consents"] = [document["consents"][0]]  # store only: no channel may leave
    bare = office_services.families.add(document)
    gone = office_services.families.add(family_document(name="Olena Kovalenko", phone="0157 1111 2222"))
    office_services.consent.withdraw(gone.guardians[0].id, "store", at="2026-11-20T10:00:00Z")
    out = tmp_path / "families.xlsx"
    count = office_services.sheet_export.write("families", out, translator("de"))
    rows = sheet_rows(out)
    assert count == 2 and len(rows) == 3
    assert rows[0][:3] == [translator("de")("Family id"), translator("de")("Guardian's name"), translator("de")("Phone")]
    assert rows[0][1] != "Guardian's name"  # German labels, not the msgids
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == {full.id, bare.id}  # the withdrawn family never leaves
    assert by_id[full.id][2] and not by_id[full.id][3]  # phone with consent; e-mail without consent stays
    assert by_id[bare.id][2] is None and by_id[bare.id][3] is None
    assert os.stat(out).st_mode & 0o777 == 0o600
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml  # the "=HYPERLINK" name is text, never a formula
    assert "=HYPERLINK" in by_id[bare.id][1]


def test_contacts_and_events_exports_and_the_cli_notice(office_services, cli, tmp_path, monkeypatch):
    family = office_services.families.add(family_document())
    office_services.contacts.today = lambda: date(2026, 12, 2)
    office_services.contacts.add(Contact(family_id=family.id, on="2026-11-10", format="phone_call", topics=["pa"],
                                         note="private words"))
    office_services.events.add({"type": "family_cafe", "title": "Potenzialanalyse", "starts": "2026-10-08T16:30"})
    out = tmp_path / "contacts.xlsx"
    assert office_services.sheet_export.write("contacts", out, translator("tr")) == 1
    rows = sheet_rows(out)
    assert rows[1][1] == family.id and "private words" not in [str(c) for c in rows[1]]
    assert rows[0][0] == translator("tr")("Contact id")
    out = tmp_path / "events.xlsx"
    assert office_services.sheet_export.write("events", out, translator("en")) == 1
    assert sheet_rows(out)[1][2] == "Potenzialanalyse"


def test_cli_export_says_once_that_the_file_leaves_the_store(cli, tmp_path):
    assert cli("init", "--name", "KoKo", "--office").code == 0
    assert cli("family", "add", "-", stdin=__import__("json").dumps(family_document())).code == 0
    first = cli("export", "families", "--language", "uk", "-o", str(tmp_path / "a.xlsx"))
    second = cli("export", "families", "-o", str(tmp_path / "b.xlsx"))
    assert first.code == second.code == 0
    assert "1" in first.err and "encrypted store" in first.err and "encrypted store" not in second.err
    bad = cli("export", "families", "-o", str(tmp_path / "a.csv"))
    assert bad.code == 1 and "xlsx" in bad.err
