"""Reports page: counts off the GUI thread, previews the protected figures with a chart, saves the files."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from elternlotse.app import open_store
from elternlotse.domain.contact_log import Contact
from elternlotse.ui.pages.reports_page import ReportsPage
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE, family_document


@pytest.fixture
def host(qtbot, data_dir, services):
    widget = QWidget()
    widget.tasks = TaskRunner(lambda: open_store(data_dir, PASSPHRASE), widget)
    qtbot.addWidget(widget)
    yield widget
    widget.tasks.shutdown()


def test_the_page_previews_protected_figures_and_saves_them(qtbot, host, services, tmp_path):
    services.contacts.today = lambda: date(2026, 12, 2)
    family = services.families.add(family_document())
    services.contacts.add(Contact(family_id=family.id, on="2026-11-10", format="phone_call", topics=["pa"]))
    page = ReportsPage(services, host)
    page.first.setDate(QDate(2026, 1, 1))
    page.last.setDate(QDate(2026, 12, 2))
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None, timeout=15000)
    assert page.table_choice.count() == len(page.report.tables)
    # one contact: the key figure is hidden, never "1"
    assert "<5" in page.key_figures.text() and ": 1 " not in page.key_figures.text() + " "
    texts = [page.model.index(r, c).data() for r in range(page.model.rowCount()) for c in range(page.model.columnCount())]
    assert "1" not in texts and "<5" in texts
    assert page.chart_view.chart().series()
    out = tmp_path / "report.xlsx"
    page.save(str(out), "xlsx")
    assert out.read_bytes()[:2] == b"PK" and "report.xlsx" in page.status.text()


def test_the_narrative_button_saves_the_sachbericht_skeleton(qtbot, host, services, tmp_path, monkeypatch):
    from docx import Document
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    services.contacts.today = lambda: date(2026, 12, 2)
    family = services.families.add(family_document())
    services.contacts.add(Contact(family_id=family.id, on="2026-11-10", format="phone_call", topics=["pa"]))
    page = ReportsPage(services, host)
    qtbot.addWidget(page)
    page.first.setDate(QDate(2026, 1, 1))
    page.last.setDate(QDate(2026, 12, 2))
    assert not page.narrative_button.isEnabled()
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None, timeout=15000)
    out = tmp_path / "sachbericht.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "Word (*.docx)"))
    page.show()
    page.narrative_button.setFocus()
    qtbot.keyClick(page.narrative_button, Qt.Key.Key_Space)
    qtbot.waitUntil(out.exists, timeout=5000)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    cells = [c.text for t in Document(str(out)).tables for row in t.rows for c in row.cells]
    assert "Ayşe" not in text + " ".join(cells)
    assert "<5" in cells and "1" not in cells          # the published figures, protected
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_the_chart_draws_the_published_row_totals_of_the_largest_rows(qtbot, host, services):
    from elternlotse.services.demo import fill_demo, fill_demo_contacts

    fill_demo(services, 120, seed=3)
    fill_demo_contacts(services, seed=3)
    page = ReportsPage(services, host)
    page.first.setDate(QDate(2026, 1, 1))
    page.last.setDate(QDate(2026, 12, 31))
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None, timeout=30000)
    for index, table in enumerate(page.report.tables):
        page.table_choice.setCurrentIndex(index)
        [series] = page.chart_view.chart().series()
        drawn = [series.barSets()[0].at(i) for i in range(series.barSets()[0].count())]
        published = dict(zip(table.rows, table.published.row_totals, strict=True))
        labels = page.chart_view.chart().axes()[0].categories()
        assert len(drawn) == min(len(table.rows), 10)
        for label, value in zip(labels, drawn, strict=True):  # a hidden total is drawn as 0, never its value
            assert value == (published[label] if isinstance(published[label], int) else 0)
        if len(table.rows) > 10:
            shown = [published[label] for label in labels]
            hidden_out = [v for label, v in published.items() if label not in labels and isinstance(v, int)]
            assert all(v <= min(s for s in shown if isinstance(s, int)) for v in hidden_out)


def test_a_hidden_value_reads_less_than_five_in_arabic(qtbot, qapp, host, services):
    from elternlotse.i18n import install
    from elternlotse.i18n.formatting import FSI, PDI
    from elternlotse.ui.i18n_qt import install_language

    services.contacts.today = lambda: date(2026, 12, 2)
    family = services.families.add(family_document())
    services.contacts.add(Contact(family_id=family.id, on="2026-11-10", format="phone_call", topics=["pa"]))
    install_language(qapp, "ar")
    try:
        page = ReportsPage(services, host)
        page.first.setDate(QDate(2026, 1, 1))
        page.last.setDate(QDate(2026, 12, 2))
        page.refresh()
        qtbot.waitUntil(lambda: page.report is not None, timeout=15000)
        texts = [page.model.index(r, c).data() for r in range(page.model.rowCount())
                 for c in range(1, page.model.columnCount())]
        assert f"{FSI}<5{PDI}" in texts and "<5" not in texts  # isolated: never drawn as a mirrored "5>"
        assert f"{FSI}<5{PDI}" in page.key_figures.text()
    finally:
        install_language(qapp, "en")
        install("en")
