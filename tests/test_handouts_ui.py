"""The Handouts page: topic model, language names in their own script, preview rendered off the GUI thread."""

from __future__ import annotations

import io

import pypdf

from elternlotse.handouts import HandoutLibrary
from elternlotse.ui.pages.handouts_page import HandoutsPage, TopicModel, load_pdf, paint_pdf, save_pdf
from elternlotse.ui.tasks import runner_for


def _wait_preview(qtbot, page: HandoutsPage) -> None:
    qtbot.waitUntil(lambda: page.print_button.isEnabled() and page.document.pageCount() > 0, timeout=15000)


def test_topic_model(qtmodeltester):
    model = TopicModel(HandoutLibrary())
    qtmodeltester.check(model)
    ids = [model.data(model.index(r, 0), TopicModel.RowRole)["id"] for r in range(model.rowCount())]
    assert ids == [t.id for t in HandoutLibrary().topics()]
    orders = [model.data(model.index(r, TopicModel.TITLE), TopicModel.SortRole) for r in range(model.rowCount())]
    assert orders == sorted(orders)


def test_page_previews_the_chosen_language_beside_german(qtbot, services):
    page = HandoutsPage(services)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    assert HandoutsPage.page_title()
    _wait_preview(qtbot, page)
    names = [page.language.itemText(i) for i in range(page.language.count())]
    tags = [page.language.itemData(i) for i in range(page.language.count())]
    assert tags == HandoutLibrary().languages(page.current_topic())
    for tag, own in (("ar", "العربية"), ("tr", "Türkçe"), ("uk", "українська"), ("ti", "ትግርኛ")):
        if tag in tags:
            assert names[tags.index(tag)].lower() == own.lower()

    target = "ar" if "ar" in tags else tags[-1]
    page.language.setCurrentIndex(tags.index(target))
    qtbot.waitUntil(lambda: page.print_button.isEnabled(), timeout=15000)
    runner_for(page).wait(15000)
    qtbot.waitUntil(lambda: page.pdf_data[:5] == b"%PDF-", timeout=15000)
    reader = pypdf.PdfReader(io.BytesIO(page.pdf_data))
    assert reader.trailer["/Root"]["/Lang"] == target
    title_de = HandoutLibrary().load(page.current_topic(), "de").title
    assert title_de.split()[0] in reader.pages[0].extract_text()  # German beside it
    assert page.document.pageCount() == len(reader.pages)

    page.beside_german.setChecked(False)
    qtbot.waitUntil(lambda: page.print_button.isEnabled(), timeout=15000)
    runner_for(page).wait(15000)
    qtbot.waitUntil(lambda: title_de.split()[0] not in pypdf.PdfReader(io.BytesIO(page.pdf_data)).pages[0].extract_text()
                    or target == "de", timeout=15000)
    assert page.suggested_name() == f"{page.current_topic()}-{target}.pdf"


def test_save_and_paint(qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QPdfWriter
    from PySide6.QtWidgets import QFileDialog

    from elternlotse.handouts import render_handout

    data = render_handout("dual-training", "de")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "h"), "")))
    path = save_pdf(data, None, "x.pdf")
    assert path.endswith("h.pdf") and (tmp_path / "h.pdf").read_bytes() == data
    writer = QPdfWriter(str(tmp_path / "printed.pdf"))
    assert paint_pdf(data, writer) == len(pypdf.PdfReader(io.BytesIO(data)).pages)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


def test_load_pdf_reads_bytes(qtbot):
    from PySide6.QtPdf import QPdfDocument

    from elternlotse.handouts import render_handout

    document = QPdfDocument()
    buffer = load_pdf(document, render_handout("dual-training", "tr", "de"))
    assert document.status() == QPdfDocument.Status.Ready and document.pageCount() >= 1
    image = document.render(0, document.pagePointSize(0).toSize())
    assert not image.isNull()
    buffer.close()


def test_contact_field_saves_and_renders(qtbot, services):
    page = HandoutsPage(services)
    qtbot.addWidget(page)
    page.show()
    _wait_preview(qtbot, page)
    page.contact.setText("Tel. 0176 7654321")
    page.contact.editingFinished.emit()
    assert services.handouts.contact() == "Tel. 0176 7654321"
    row = [r["id"] for r in page.model.rows].index("privacy-information")
    page.table.selectRow(row)

    def shows_contact() -> bool:
        runner_for(page).wait(15000)
        if not page.print_button.isEnabled():
            return False
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(page.pdf_data)).pages)
        return "0176 7654321" in " ".join(text.split())
    qtbot.waitUntil(shows_contact, timeout=15000)
