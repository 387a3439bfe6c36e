"""The retention review in the window: the Families page says who is due, the review erases or keeps, by keys."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from elternlotse.app import open_store
from elternlotse.domain.errors import NotFoundError
from elternlotse.domain.retention import Period
from elternlotse.ui.dialogs.keep_dialog import KeepDialog
from elternlotse.ui.dialogs.retention_dialog import RetentionDialog
from elternlotse.ui.pages.families_page import FamiliesPage
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE, family_document

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def page(qtbot, services, data_dir):
    widget = FamiliesPage(services)
    widget.tasks = TaskRunner(lambda: open_store(data_dir, PASSPHRASE), widget)
    qtbot.addWidget(widget)
    widget.resize(1100, 650)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.tasks.shutdown()
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _active(qtbot, kind):
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=5000)
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)  # keys go where a person's would
    return dialog


def test_nothing_due_shows_no_notice(qtbot, page, services):
    services.families.add(family_document())
    page.refresh()
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not page.tasks.busy, timeout=10000)
    assert not page.retention_bar.isVisible()


def test_due_families_are_kept_or_erased_by_keyboard_alone(qtbot, page, services):
    kept = services.families.add(family_document(name="Olena Shevchenko", phone="0176 2222 3333"))
    erased = services.families.add(family_document(name="Ayşe Yılmaz", phone="0176 4444 5555"))
    later = Period(months=25).after(date.today())
    services.retention.today = lambda: later        # two years and a month without contact
    page.refresh()
    qtbot.waitUntil(page.retention_bar.isVisible, timeout=10000)
    assert "2" in page.retention_label.text()

    qtbot.keyClick(page, Qt.Key.Key_E, ALT)            # "Review &erasures..."
    review = _active(qtbot, RetentionDialog)
    qtbot.waitUntil(lambda: review.model.rowCount() == 2, timeout=10000)
    assert review.table.hasFocus()
    names = [review.model.row_at(i).name for i in range(2)]
    assert sorted(names) == ["Ayşe Yılmaz", "Olena Shevchenko"]
    assert {review.model.row_at(i).rule for i in range(2)} == {"no_contact"}

    # Keep Olena, with a reason typed and Enter
    review.table.selectRow(names.index("Olena Shevchenko"))
    qtbot.keyClick(review, Qt.Key.Key_K, ALT)
    keep = _active(qtbot, KeepDialog)
    qtbot.waitUntil(keep.reason.hasFocus, timeout=5000)
    qtbot.keyClick(keep.reason, Qt.Key.Key_Return)     # no reason: refused, nothing recorded
    assert keep.isVisible() and keep.error.isVisible()
    qtbot.keyClicks(keep.reason, "asked for advice again")
    qtbot.keyClick(keep.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not keep.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: review.model.rowCount() == 1, timeout=10000)
    assert review.model.row_at(0).family_id == erased.id
    [facts] = [f for f in services.retention.facts(later) if f.family_id == kept.id]
    assert facts.kept_until is not None and facts.kept_until > later

    review.activateWindow()   # offscreen Qt hands activation back to nobody when a dialog closes
    qtbot.waitUntil(review.isActiveWindow)
    # Erase Ayşe: the confirmation defaults to Cancel, Enter erases nothing
    qtbot.keyClick(review, Qt.Key.Key_E, ALT)
    box = _active(qtbot, QMessageBox)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)
    qtbot.wait(200)
    review.activateWindow()
    qtbot.waitUntil(review.isActiveWindow)
    assert services.families.get(erased.id).display_name() == "Ayşe Yılmaz"
    qtbot.keyClick(review, Qt.Key.Key_E, ALT)
    box = _active(qtbot, QMessageBox)
    qtbot.keyClick(box, Qt.Key.Key_E, ALT)             # "&Erase" in the confirmation
    qtbot.waitUntil(lambda: review.model.rowCount() == 0 and "No family" in review.status.text(), timeout=15000)
    with pytest.raises(NotFoundError):
        services.families.get(erased.id)
    assert services.families.get(kept.id).display_name() == "Olena Shevchenko"

    review.activateWindow()
    qtbot.waitUntil(review.isActiveWindow)
    qtbot.keyClick(review, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.retention_bar.isVisible(), timeout=10000)


def test_open_family_from_the_review(qtbot, page, services):
    family = services.families.add(family_document(name="Fatima Nasser"))
    services.retention.today = lambda: Period(months=25).after(date.today())
    review = page.review_retention()
    qtbot.waitUntil(lambda: review.model.rowCount() == 1, timeout=10000)
    qtbot.keyClick(review, Qt.Key.Key_O, ALT)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.detail, timeout=5000)
    assert page.detail.family_id == family.id
