"""Roll-up files: an office's protected aggregates, signed and encrypted for its Land office; the Land report.

The done-when path of issue 15: an office store filled from three navigators' sync files and a Land
store filled from two offices' roll-ups each write a PDF (a page rendered to PNG), an XLSX (opened
with openpyxl) and a CSV, every published people count protected.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from elternlotse.app import create_store
from elternlotse.domain.contact_log import Contact, Tally
from elternlotse.domain.errors import ValidationError
from elternlotse.i18n import translator
from elternlotse.reports import tabular
from elternlotse.reports.pdf import write_pdf
from elternlotse.sync.fileformat import read_header
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.sync_helpers import link, send, shared_document

TODAY = date(2026, 12, 2)
LANGUAGES = ("tr", "ar", "uk")


def _store(folder: Path, name: str, organisation: str, office: bool = False):
    services = create_store(folder, PASSPHRASE, name, organisation, office=office, key_derivation=TEST_KDF)
    services.contacts.today = lambda: TODAY
    services.reports.today = lambda: TODAY
    return services


def _record(services, families: int, language: str, tag: str) -> None:
    for i in range(families):
        fid = services.families.add(shared_document(name=f"{tag} Familie {i}", phone=f"0176 2000 {i:04d}")).id
        services.contacts.add(Contact(family_id=fid, on="2026-10-0{}".format(1 + i % 9), format="phone_call",
                                      language=language, topics=["pa"]))
        if i % 2:
            services.contacts.add(Contact(family_id=fid, on="2026-11-12", format="home_visit", language=language))
    services.contacts.tally(Tally(on="2026-11-20", format="parent_teacher_day", count=7, language=language))


@pytest.fixture
def world(tmp_path):
    """Land <- office A (three navigators' files) and office B (its own records)."""
    opened = []

    def make(*args, **kwargs):
        services = _store(*args, **kwargs)
        opened.append(services)
        return services

    land = make(tmp_path / "land", "KAUSA-Landesstelle", "Landesstelle NRW", office=True)
    office_a = make(tmp_path / "a", "KoKo Hagen", "Stadt Hagen", office=True)
    office_b = make(tmp_path / "b", "KoKo Unna", "Kreis Unna", office=True)
    for i, language in enumerate(LANGUAGES):
        navigator = make(tmp_path / f"n{i}", f"Navigator {i}", "Stadt Hagen")
        link(navigator, office_a)
        _record(navigator, 6 + 3 * i, language, f"N{i}")
        office_a.sync.import_files([send(navigator, office_a, tmp_path, f"n{i}.elsync")])
    _record(office_b, 8, "fa", "B")
    for office in (office_a, office_b):
        link(office, land)   # an office and its Land office trust each other's cards like any two installations
    yield land, office_a, office_b, tmp_path
    for services in opened:
        services.store.close()


def _people_cells(report):
    return [v for t in report.tables if t.protected for row in t.published.cells for v in row]


def _write_all(report, folder: Path, stem: str) -> dict[str, Path]:
    translate = translator(report.language)
    return {"pdf": write_pdf(report, folder / f"{stem}.pdf", translate),
            "xlsx": tabular.write_xlsx(report, folder / f"{stem}.xlsx", translate),
            "csv": tabular.write_csv(report, folder / f"{stem}.csv", translate)}


def _check_files(files: dict[str, Path], names: list[str], expected_sheet_rows: str) -> None:
    sheets = load_workbook(files["xlsx"], read_only=True)
    values = [v for sheet in sheets.worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    assert all(not (isinstance(v, int) and 0 < v < 5) for v in values)
    assert expected_sheet_rows in values
    rows = list(csv.reader(io.StringIO(files["csv"].read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert all(not (c.isdigit() and 0 < int(c) < 5) for row in rows for c in row)
    text = "".join(page.extract_text() for page in PdfReader(files["pdf"]).pages)
    assert not any(name in text for name in names), "no family name in a report"
    if shutil.which("pdftoppm"):
        out = files["pdf"].with_suffix("")
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(files["pdf"]), str(out)], check=True)
        assert list(out.parent.glob(f"{out.name}-*.png"))


def test_office_and_land_reports_from_files_are_protected(world):
    land, office_a, office_b, folder = world
    report_a = office_a.reports.build("2026-01-01", "2026-12-02").protected("suppress")
    figures = dict(report_a.key_figures)
    assert figures["Families reached"] == 6 + 9 + 12    # every shared family of the three navigators
    assert all(not (isinstance(v, int) and 0 < v < 5) for v in _people_cells(report_a))
    names = [f"N{i} Familie {k}" for i in range(3) for k in range(12)] + [f"B Familie {k}" for k in range(8)]
    _check_files(_write_all(report_a, folder, "office-a"), names, "Türkisch")

    paths = [folder / "a.elrollup", folder / "b.elrollup"]
    for office, path in zip((office_a, office_b), paths, strict=True):
        office.rollups.export(path, "2026-01-01", "2026-12-02")
        header, _ = read_header(path.read_bytes(), str(path))
        assert header.recipient == land.store.info.node_id
    plain = office_a.rollups.document("2026-01-01", "2026-12-02")
    dumped = json.dumps(plain, ensure_ascii=False)
    assert not any(name in dumped for name in names) and "0176" not in dumped
    assert all(v % 5 == 0 for t in plain["tables"].values() for row in t for v in row[1:])

    stored = land.rollups.import_files(paths)
    assert {s.name for s in stored} == {"Stadt Hagen", "Kreis Unna"}
    report = land.reports.build("2026-01-01", "2026-12-02", ("language", "format", "month")).protected("suppress")
    by_office = next(t for t in report.tables if t.key == "by-office")
    assert by_office.rows == ["Kreis Unna", "Stadt Hagen"]
    contacts = dict(report.key_figures)["Contacts with families"]
    assert contacts == plain["key_figures"]["contacts"] + office_b.rollups.document(
        "2026-01-01", "2026-12-02")["key_figures"]["contacts"]
    assert any(t.key == "cross-office-language" for t in report.tables)
    assert all(not (isinstance(v, int) and 0 < v < 5) for v in _people_cells(report))
    _check_files(_write_all(report, folder, "land"), names, "Persisch")


def test_land_refuses_tampered_unknown_and_sync_files_and_keeps_the_newest(world, tmp_path):
    land, office_a, office_b, folder = world
    good = folder / "a.elrollup"
    office_a.rollups.export(good, "2026-01-01", "2026-06-30")
    data = bytearray(good.read_bytes())
    data[-80] ^= 1
    tampered = folder / "tampered.elrollup"
    tampered.write_bytes(bytes(data))
    with pytest.raises(ValidationError, match="signature"):
        land.rollups.import_files([good, tampered])
    assert land.reports.build("2026-01-01", "2026-12-02").tables[0].key != "by-office"   # nothing stored

    stranger = _store(tmp_path / "x", "Fremd", "Fremd", office=True)
    try:
        stranger.sync.trust(land.sync.own_card())
        stranger.rollups.export(folder / "x.elrollup", "2026-01-01", "2026-06-30")
    finally:
        stranger.store.close()
    with pytest.raises(ValidationError, match="not trusted"):
        land.rollups.import_files([folder / "x.elrollup"])

    unsigned = folder / "unsigned.elrollup"
    unsigned.write_bytes(good.read_bytes()[:-64])
    with pytest.raises(ValidationError):
        land.rollups.import_files([unsigned])

    with pytest.raises(ValidationError, match="roll-up files"):    # two offices never swap sync packages
        office_a.sync.export(folder / "sync.elsync", to=land.store.info.node_id)
    navigator = _store(tmp_path / "nav", "Navigator", "Stadt Hagen")
    try:
        link(navigator, land)
        from_navigator = send(navigator, land, folder, "nav.elsync")
    finally:
        navigator.store.close()
    with pytest.raises(ValidationError, match="not an office"):
        land.rollups.import_files([from_navigator])

    assert [s.replaced for s in land.rollups.import_files([good])] == [False]
    assert land.rollups.import_files([good]) == []            # the same file again: nothing to do
    newer = folder / "a2.elrollup"
    office_a.rollups.export(newer, "2026-01-01", "2026-06-30")
    assert [s.replaced for s in land.rollups.import_files([newer])] == [True]
    actions = [r[0] for r in land.store.conn.execute("SELECT action FROM audit WHERE action LIKE 'report.rollup%'")]
    assert "report.rollup.replace" in actions


def test_unprotected_counts_are_refused(world):
    from elternlotse.sync import rollup as doc_mod

    land, office_a, _, _ = world
    doc = office_a.rollups.document("2026-01-01", "2026-12-02")
    doc["tables"]["language"][0][1] += 1
    with pytest.raises(ValidationError, match="not protected"):
        doc_mod.parse(json.dumps(doc).encode(), office_a.store.info.node_id, "f")
    doc["tables"]["language"][0][1] = "5"
    with pytest.raises(ValidationError, match="well-formed"):
        doc_mod.parse(json.dumps(doc).encode(), office_a.store.info.node_id, "f")


def test_cli_rollup_and_import(cli, tmp_path, data_dir):
    land_dir = tmp_path / "land"
    assert cli("init", "--name", "Büro", "--organisation", "Stadt Hagen", "--office").code == 0
    assert cli("init", "--name", "Land", "--office", data=land_dir).code == 0
    assert cli("keys", "card", "-o", str(tmp_path / "office.card")).code == 0
    assert cli("keys", "card", "-o", str(tmp_path / "land.card"), data=land_dir).code == 0
    out = tmp_path / "r.elrollup"
    refused = cli("report", "rollup", "-o", str(out))
    assert refused.code == 1 and "Land office" in refused.err and not out.exists()
    assert cli("keys", "trust", str(tmp_path / "land.card")).code == 0
    assert cli("keys", "trust", str(tmp_path / "office.card"), data=land_dir).code == 0
    narrative = tmp_path / "sachbericht.docx"
    assert cli("report", "--from", "2026-01-01", "-o", str(narrative)).code == 0
    assert narrative.read_bytes()[:2] == b"PK"
    assert cli("report", "--protect", "none", "-o", str(narrative.with_name("raw.docx"))).code == 1
    made = cli("report", "rollup", "--from", "2026-01-01", "-o", str(out))
    assert made.code == 0, made.err
    tampered = tmp_path / "tampered.elrollup"
    data = bytearray(out.read_bytes())
    data[-80] ^= 1
    tampered.write_bytes(bytes(data))
    alone = cli("report", "import", str(tampered), data=land_dir)
    assert alone.code == 1 and "signature" in alone.err and "Traceback" not in alone.err
    batch = cli("report", "import", str(tampered), str(out), data=land_dir)   # the bad file first
    assert batch.code == 1 and "Stadt Hagen" in batch.err and "1 of 2 files were refused" in batch.err
    again = cli("report", "import", str(out), data=land_dir)
    assert again.code == 0 and "already stored" in again.err
    assert cli("report", "-o", str(tmp_path / "land.csv"), data=land_dir).code == 0
    assert "Stadt Hagen" in (tmp_path / "land.csv").read_text(encoding="utf-8-sig")


def test_the_pdf_speaks_german_and_the_office_language(world):
    land, office_a, office_b, folder = world
    for office, name in ((office_a, "a"), (office_b, "b")):
        office.rollups.export(folder / f"{name}.elrollup", "2026-01-01", "2026-12-02")
    land.rollups.import_files([folder / "a.elrollup", folder / "b.elrollup"])
    uk, de = translator("uk"), translator("de")
    report = land.reports.build("2026-01-01", "2026-12-02", language="uk", translate=uk).protected("round5")
    text = "".join(p.extract_text() for p in PdfReader(write_pdf(report, folder / "uk.pdf", uk)).pages)
    for msgid in ("Key figures", "Method", "Office", "Contacts with families"):
        assert de(msgid) in text and uk(msgid) in text and de(msgid) != uk(msgid)
