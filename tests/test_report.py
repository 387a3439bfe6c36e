"""The office's report: counts from contacts, tallies and events; protection in every file; files a funder opens."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from elternlotse.domain.contact_log import Contact, Tally
from elternlotse.domain.protection import HIDDEN, LESS_THAN_5
from elternlotse.i18n import translator
from elternlotse.reports import tabular
from elternlotse.reports.pdf import write_pdf
from tests.conftest import family_document

TODAY = date(2026, 12, 2)


@pytest.fixture
def filled(services):
    services.contacts.today = lambda: TODAY
    services.reports.today = lambda: TODAY
    ids = []
    for i in range(12):
        doc = family_document(name=f"Familie {i}", phone=f"0176 1000 00{i:02d}")
        doc["children"][0]["grade"] = 8 + i % 3
        if i == 11:
            doc["guardians"][0]["languages"] = ["ti"]
        ids.append(services.families.add(doc).id)
    for i, fid in enumerate(ids):
        lang = "ti" if i == 11 else ("tr" if i < 7 else "ar")
        services.contacts.add(Contact(family_id=fid, on="2026-11-10", format="phone_call", language=lang, topics=["pa"]))
        if i < 6:
            services.contacts.add(Contact(family_id=fid, on="2026-11-20", format="individual_talk", language=lang,
                                          referral="=HYPERLINK(\"http://evil\")"))
    services.contacts.tally(Tally(on="2026-11-26", format="parent_teacher_day", count=12, language="ar", topics=["pa"]))
    return ids


def test_counts_and_the_lone_tigrinya_family_is_protected(services, filled):
    report = services.reports.build("2026-11-01", "2026-11-30", ("language", "format"), language="de",
                                    translate=translator("de"))
    figures = dict(report.key_figures)
    assert figures["Contacts with families"] == 18 and figures["Families reached"] == 12
    assert figures["First contacts"] == 12 and figures["Repeat contacts"] == 6
    assert figures["People counted anonymously"] == 12
    by_language = next(t for t in report.tables if t.key == "by-language")
    tigrinya = by_language.rows.index("Tigrinya")
    assert by_language.cells[tigrinya] == [1, 0]
    report.protected("suppress")
    assert by_language.published.cells[tigrinya][0] == LESS_THAN_5
    assert by_language.published.row_totals[tigrinya] == LESS_THAN_5
    arabic = by_language.rows.index("Arabisch")
    assert by_language.published.row_totals[arabic] in (4 + 12, HIDDEN)
    assert any(t.key == "cross-language-format" for t in report.tables)


def test_rounding_and_unprotected_figures(services, filled):
    report = services.reports.build("2026-11-01", "2026-11-30", ("format",)).protected("round5")
    by_format = next(t for t in report.tables if t.key == "by-format")
    assert all(isinstance(v, int) and v % 5 == 0 for row in by_format.published.cells for v in row)
    plain = services.reports.build("2026-11-01", "2026-11-30", ("format",)).protected("none")
    assert next(t for t in plain.tables if t.key == "by-format").published.total == 18 + 12


def test_files_a_funder_opens_carry_only_protected_values(services, filled, tmp_path):
    translate = translator("de")
    report = services.reports.build("2026-11-01", "2026-11-30", ("language",), language="de", translate=translate)
    report.protected("suppress")
    xlsx = tabular.write_xlsx(report, tmp_path / "r.xlsx", translate)
    book = load_workbook(xlsx)
    sheet = book["Sprache des Gesprächs"] if "Sprache des Gesprächs" in book.sheetnames else book.worksheets[1]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert sheet.freeze_panes == "B2"
    assert any(LESS_THAN_5 in row for row in values)                       # Tigrinya hidden
    assert all(not (isinstance(v, int) and 0 < v < 5) for row in values for v in row)
    numbers = [v for row in values[1:] for v in row[1:] if isinstance(v, int)]
    assert numbers, "numbers are numbers, not text"

    text = tabular.write_csv(report, tmp_path / "r.csv", translate).read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)

    data = json.loads(tabular.write_json(report, tmp_path / "r.json", translate).read_text(encoding="utf-8"))
    assert data["protection"] == "suppress"
    cells = [c for t in data["tables"] if t["protected"] for r in t["rows"] for c in r["cells"]]
    assert all(not (isinstance(c, int) and 0 < c < 5) for c in cells)

    pdf = write_pdf(report, tmp_path / "r.pdf", translate)
    reader = PdfReader(pdf)
    extracted = "".join(page.extract_text() for page in reader.pages)
    assert "Demo" not in extracted and "Familie 3" not in extracted   # no names in a report
    assert "Tigrinya" in extracted and "<5" in extracted
    for path in (xlsx, pdf):
        assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_formula_text_is_neutralised():
    assert tabular.neutralise("=SUM(A1)") == "'=SUM(A1)" and tabular.neutralise("-5+3") == "'-5+3"
    assert tabular.neutralise("Türkisch") == "Türkisch"


def test_cli_report_refuses_unprotected_files_and_bad_dimensions(cli, tmp_path):
    assert cli("init", "--name", "Büro", "--office").code == 0
    refused = cli("report", "--protect", "none", "-o", str(tmp_path / "r.xlsx"))
    assert refused.code == 1 and "--protect" in refused.err and not (tmp_path / "r.xlsx").exists()
    assert cli("report", "--by", "religion", "-o", str(tmp_path / "r.csv")).code == 1
    assert not (tmp_path / "r.csv").exists()
    shown = cli("report", "--protect", "none", "-o", "-")
    assert shown.code == 0 and shown.json()["protection"] == "none"
    for suffix in ("pdf", "xlsx", "csv", "json"):
        out = tmp_path / f"r.{suffix}"
        assert cli("report", "--from", "2026-01-01", "-o", str(out)).code == 0 and out.stat().st_size > 0


@pytest.mark.parametrize("by", [(), ("language", "format", "month", "navigator", "interpreter", "referral"),
                                ("navigator", "topic", "language"), ("format", "school", "month", "grade")])
def test_the_one_scan_of_plain_dimensions_counts_what_one_query_per_table_counts(services, monkeypatch, by):
    from elternlotse.services.demo import fill_demo, fill_demo_contacts
    from elternlotse.services.report import ReportService

    fill_demo(services, 80, seed=5)
    fill_demo_contacts(services, seed=5)
    fast = services.reports.build("2026-01-01", "2026-12-31", by=by)
    monkeypatch.setattr(ReportService, "_plain_contact_counts", lambda self, dims, a, b: {})
    slow = services.reports.build("2026-01-01", "2026-12-31", by=by)
    assert [(t.key, t.rows, t.columns, t.cells) for t in fast.tables] == [
        (t.key, t.rows, t.columns, t.cells) for t in slow.tables]
    assert sum(sum(row) for row in fast.tables[0].cells) > 0  # the demo's contacts were counted
