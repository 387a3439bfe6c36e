"""A whole desktop session on a demo store with the log on: the log holds ids and events, never a person's data."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication

from elternlotse import logs
from elternlotse.app import create_store, open_store
from elternlotse.domain.contact import display_phone
from elternlotse.services.demo import fill_demo
from elternlotse.ui.error_reporting import ErrorReporter
from elternlotse.ui.main_window import MainWindow
from elternlotse.ui.pages.families_page import FamiliesPage
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.test_ui_families import type_text

NOTE = "Rückruf bitte nach 18 Uhr, Tochter spricht gut Deutsch."


def _personal_values(services) -> set[str]:
    """Every name, number, address and note of the demo store, in the forms a log could show them."""
    values = {services.store.info.name, services.store.info.organisation, NOTE}
    for row in services.families.list():
        family = services.families.get(row.id)
        if family.notes:
            values.add(family.notes)
        for guardian in family.guardians:
            values.add(guardian.name)
            values.update(part for part in guardian.name.split() if len(part) >= 4)
            for phone in guardian.phones:
                values.update({phone, phone.lstrip("+"), display_phone(phone), re.sub(r"\D", "", display_phone(phone))})
            values.update(guardian.emails)
            values.update(m.handle for m in guardian.messengers)
            if guardian.address:
                values.add(guardian.address)
        for child in family.children:
            if len(child.first_name) >= 4:
                values.add(child.first_name)
    return {value for value in values if value}


def _found(value: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text) is not None


def _raise_in_an_event():
    raise ValueError("a slot failed")


def test_a_ui_session_logs_ids_and_events_and_no_personal_data(qtbot, qapp, data_dir):
    log_file = logs.install_logging(data_dir)
    reporter = ErrorReporter(qapp, log_file.path).install()
    services = create_store(data_dir, PASSPHRASE, "Ayla Navigator", "KoKo Hagen", key_derivation=TEST_KDF)
    window = None
    try:
        fill_demo(services, families=60, seed=11)
        personal = _personal_values(services)
        window = MainWindow(services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
        window.show()
        for index in range(len(window.page_types)):  # every page once
            window.show_page(index)
        families_index = window.page_types.index(FamiliesPage)
        window.show_page(families_index)
        page = window.page(families_index)

        # Search for a family by its name, as typed, and open the first match with Enter.
        target = services.families.get(services.families.list()[7].id)
        surname = target.guardians[0].name.split()[-1]
        qtbot.keyClick(page.search, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        type_text(page.search, surname)
        qtbot.waitUntil(lambda: page.model.search == surname and page.model.rowCount() > 0, timeout=5000)
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.stack.currentWidget() is page.detail, timeout=5000)
        family_id = page.detail.family_id
        assert family_id

        # Save a note (Ctrl+S), then a refused save (an e-mail address that is none).
        page.detail.notes.moveCursor(page.detail.notes.textCursor().MoveOperation.End)
        type_text(page.detail.notes, NOTE)
        qtbot.keyClick(page.detail.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not page.has_unsaved_changes(), timeout=5000)
        assert NOTE in services.families.get(family_id).notes
        editor = page.detail.guardian_editors[0]
        editor.emails.clear()
        type_text(editor.emails, surname + " at home")
        qtbot.keyClick(editor.emails, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert page.detail.error_label.isVisible()

        # The access copy is prepared in the background; an error nobody caught ends in the dialog.
        page.detail.show_access_copy()
        qtbot.waitUntil(lambda: getattr(page.detail, "access_dialog", None) is not None, timeout=10000)
        page.detail.access_dialog.close()
        QTimer.singleShot(0, _raise_in_an_event)
        qtbot.waitUntil(lambda: reporter.dialog is not None, timeout=5000)
        reporter.dialog.close()
        window.show_page(0)
        window.show_page(families_index)
    finally:
        if window is not None:
            window.hide()  # closing a visible window with unsaved entries asks first (nothing typed is lost)
            window.close()
            window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        services.store.close()
        reporter.uninstall()
        reporter.deleteLater()
        log_file.close()

    text = log_file.path.read_text(encoding="utf-8")
    leaked = sorted(value for value in personal | {surname, surname + " at home"} if _found(value, text))
    assert leaked == [], leaked
    node = services.store.info.node_id
    for expected in (f"store opened node={node}", "page FamiliesPage shown",
                     "page SettingsPage shown", f"family {family_id} opened", f"write family.update={family_id}",
                     f"family {family_id} not saved: ValidationError", "family search: ", "write demo.fill=",
                     "_raise_in_an_event", "ValueError: <message withheld>", " done in "):
        assert expected in text, expected
    search_line = next(line for line in text.splitlines() if "family search: " in line)
    assert f"{len(surname)} characters" in search_line
