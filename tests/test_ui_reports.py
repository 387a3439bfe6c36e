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
