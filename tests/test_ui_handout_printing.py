"""Printing a handout: the PDF's pages drawn onto a printer (a PDF printer here), topics offered first."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from elternlotse.ui.widgets.handout_printing import can_print_handouts, handout_service, paint_pdf, topic_choices
from tests.conftest import family_document


def test_paint_pdf_prints_every_page(qtbot, services, tmp_path):
    family = services.families.add(family_document(name="Ayşe Yılmaz"))
    data = handout_service(services).render_for_family("dual-training", family.id)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert paint_pdf(data, printer) == pages >= 1
    assert len(PdfReader(str(out)).pages) == pages


def test_paint_pdf_refuses_what_is_not_a_pdf(qtbot, tmp_path):
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "x.pdf"))
    assert paint_pdf(b"not a pdf", printer) == 0


def test_privacy_information_is_offered_first(qtbot, services):
    assert can_print_handouts(services)
    choices = topic_choices(services)
    assert choices[0][0] == "privacy-information"
    assert len({topic for topic, _ in choices}) == len(choices) > 3
    assert all(title.strip() for _, title in choices)
