"""Families page: lazy list, search as you type, locale-aware sort, edit, undo, consent, GDPR actions."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from elternlotse.app import open_store
from elternlotse.domain.consent import Channel, Purpose
from elternlotse.domain.errors import ValidationError
from elternlotse.services.demo import fill_demo
from elternlotse.ui.dialogs.access_copy_dialog import readable_html, write_json, write_pdf
from elternlotse.ui.models.consent_history_model import ConsentHistoryModel
from elternlotse.ui.models.family_table_model import CONSENT, GUARDIANS, PAGE, FamilyTableModel, IdRole, RowRole
from elternlotse.ui.pages.families_page import FamiliesPage
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE, family_document


def type_text(widget, text: str) -> None:
    """Type like a person, any script (QTest.keyClicks accepts only ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def refreshed(qtbot, page) -> None:
    """``page.refresh()`` and wait for the order read off the GUI thread."""
    with qtbot.waitSignal(page.model.loading_finished, timeout=10000):
        page.refresh()


def _family(name: str, phone: str = "", **extra) -> dict:
    doc = family_document(name=name, phone=phone or "0176 1234 5678", **extra)
    return doc


@pytest.fixture
def page(qtbot, services, data_dir):
    widget = FamiliesPage(services)
    widget.tasks = TaskRunner(lambda: open_store(data_dir, PASSPHRASE), widget)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    yield widget
    widget.tasks.shutdown()
    widget.close()
    widget.deleteLater()  # its timers (duplicate check) must not outlive the store
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_family_model_passes_the_model_tester(qtmodeltester, services):
    fill_demo(services, PAGE + 30, seed=4)
    model = FamilyTableModel(services.family_list)
    assert model.rowCount() == PAGE and model.canFetchMore() and model.total() == PAGE + 30
    model.fetchMore()
    assert model.rowCount() == PAGE + 30 and not model.canFetchMore()
    qtmodeltester.check(model, force_py=True)
    # A second model, sorted (a reset) and lazily filled, checked on its own: pytest-qt's
    # tester fetches more inside its own reset handler, so one tester cannot watch both.
    sorted_model = FamilyTableModel(services.family_list)
    sorted_model.sort(GUARDIANS, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(sorted_model, force_py=True)
    assert sorted_model.rowCount() == PAGE + 30
    row = sorted_model.index(0, CONSENT).data(RowRole)
    text = sorted_model.index(0, CONSENT).data()
    assert text in {"no contact consent", "no consent to store the data"} or text.startswith("contact: ")
    assert row.id == sorted_model.index(0, GUARDIANS).data(IdRole)


def test_consent_history_model_passes_the_model_tester(qtmodeltester, services):
    family = services.families.add(family_document())
    model = ConsentHistoryModel()
    model.set_history(family.consents, {family.guardians[0].id: "Ayşe"})
    assert model.rowCount() == 3
    qtmodeltester.check(model, force_py=True)


def test_names_sort_locale_aware_across_the_whole_list(services):
    for name in ("Zeynep Kaya", "Özlem Demir", "Ahmad Haddad", "ömer Şahin", "Emine Yılmaz"):
        services.families.add(_family(name, phone=f"0176 55{abs(hash(name)) % 10**6:06d}"))
    model = FamilyTableModel(services.family_list)
    model.sort(GUARDIANS, Qt.SortOrder.AscendingOrder)
    names = [model.index(r, GUARDIANS).data(RowRole).row.guardians for r in range(model.rowCount())]
    # Ö sorts with O (before Z), not after Z as a byte order would put it; case does not matter.
    assert names == ["Ahmad Haddad", "Emine Yılmaz", "ömer Şahin", "Özlem Demir", "Zeynep Kaya"]


def test_search_as_you_type_finds_across_scripts(qtbot, page, services):
    services.families.add(_family("محمد العلي", phone="0176 1111111"))
    services.families.add(_family("Olena Kovalenko", phone="0176 2222222"))
    refreshed(qtbot, page)
    qtbot.keyClicks(page.search, "moham")
    qtbot.waitUntil(lambda: page.model.search == "moham", timeout=3000)
    assert page.model.rowCount() == 1
    assert page.model.index(0, GUARDIANS).data(RowRole).row.guardians == "محمد العلي"
    assert "1 family found" in page.count_label.text()


def test_edit_a_family_and_see_it_in_the_cli(qtbot, page, services, cli):
    family = services.families.add(_family("Ayşe Yılmaz"))
    refreshed(qtbot, page)
    page.open_family(family.id)
    editor = page.detail.guardian_editors[0]
    editor.name.clear()
    type_text(editor.name, "Ayşe Yılmaz-Demir")
    editor.phones.setText("0176 1234 5678, 0231 987654")
    editor.phones.editingFinished.emit()
    assert page.has_unsaved_changes()
    qtbot.keyClick(page.detail.guardian_editors[0].name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.has_unsaved_changes()
    listed = {row["id"]: row for row in cli("family", "list", "--json").json()}
    assert "Ayşe Yılmaz-Demir" in json.dumps(listed[family.id], ensure_ascii=False)
    shown = cli("family", "show", family.id, "--json").json()
    assert shown["guardians"][0]["phones"] == ["+4917612345678", "+49231987654"]
    # the list row shows the new name too
    assert page.model.index(page.model.row_of(family.id), GUARDIANS).data(RowRole).row.guardians == "Ayşe Yılmaz-Demir"


def test_undo_and_redo_edits(qtbot, page, services):
    family = services.families.add(_family("Ayşe Yılmaz"))
    page.open_family(family.id)
    detail = page.detail
    detail.guardian_editors[0].name.setText("Changed Name")
    detail.commit_edit()
    detail.add_person("child")
    assert len(detail.child_editors) == 2 and detail.undo_stack.count() == 2
    detail.undo_stack.undo()
    assert len(detail.child_editors) == 1
    detail.undo_stack.undo()
    assert detail.guardian_editors[0].name.text() == "Ayşe Yılmaz"
    assert not detail.has_unsaved_changes()
    detail.undo_stack.redo()
    assert detail.guardian_editors[0].name.text() == "Changed Name"


def test_a_refused_edit_says_why_and_writes_nothing(qtbot, page, services):
    family = services.families.add(_family("Ayşe Yılmaz"))
    page.open_family(family.id)
    page.detail.guardian_editors[0].emails.setText("not an address")
    assert page.detail.save() is False
    assert page.detail.error_label.isVisible() and "emails" in page.detail.error_label.text()
    assert services.families.get(family.id).guardians[0].emails == ["ayse@example.org"]


def test_withdrawing_consent_stops_the_channel_from_being_offered(qtbot, page, services, monkeypatch):
    family = services.families.add(_family("Ayşe Yılmaz"))
    refreshed(qtbot, page)
    page.open_family(family.id)
    panel = page.detail.consent_panel
    phone = panel.contact_buttons[Channel.PHONE]
    assert phone.isEnabled()
    assert not panel.contact_buttons[Channel.SMS].isEnabled()
    assert "no consent" in panel.contact_buttons[Channel.SMS].toolTip()

    withdraw = panel.toggle_buttons[(Purpose.CONTACT, Channel.PHONE)]
    assert withdraw.text() == "Withdraw"
    assert panel.evidence_combo.currentData() is None  # nothing preselected
    qtbot.mouseClick(withdraw, Qt.MouseButton.LeftButton)
    assert "choose the evidence" in panel.error_label.text() and phone.isEnabled()
    panel.evidence_combo.setCurrentIndex(panel.evidence_combo.findData("verbal"))

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    asked = []

    def confirm(*_args):
        asked.append(True)
        return next(answers) == QMessageBox.StandardButton.Yes

    monkeypatch.setattr(panel, "confirm_withdrawal", confirm)
    qtbot.mouseClick(withdraw, Qt.MouseButton.LeftButton)   # "No": nothing written
    assert asked == [True] and phone.isEnabled() and panel.history_model.rowCount() == 3
    qtbot.mouseClick(withdraw, Qt.MouseButton.LeftButton)   # "Yes"
    assert not phone.isEnabled()
    assert "no consent" in phone.toolTip() and "Phone call" in panel.not_offered.text()
    assert not services.consent.state(family.guardians[0].id).allows(Purpose.CONTACT, Channel.PHONE)
    assert panel.history_model.rowCount() == 4
    assert panel.history_model.index(0, 4).data() == "withdrawn"
    row = page.model.index(page.model.row_of(family.id), CONSENT).data()
    assert row == "no contact consent"

    assert panel.undo_bar.isVisibleTo(panel)  # a misclick can be taken back for a few seconds
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert phone.isEnabled() and panel.history_model.rowCount() == 5  # a correcting entry, nothing deleted
    assert not panel.undo_bar.isVisibleTo(panel)


def test_withdrawal_asks_with_no_as_the_default(qtbot, page, services):
    family = services.families.add(_family("Ayşe Yılmaz"))
    page.open_family(family.id)
    panel = page.detail.consent_panel
    panel.evidence_combo.setCurrentIndex(panel.evidence_combo.findData("verbal"))
    seen = {}

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(30, answer)
            return
        seen["default"] = box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        seen["text"] = box.text()
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default: No

    QTimer.singleShot(30, answer)
    panel.toggle(Purpose.CONTACT, Channel.PHONE)
    assert seen["default"] and "Ayşe Yılmaz" in seen["text"]
    assert services.consent.state(family.guardians[0].id).allows(Purpose.CONTACT, Channel.PHONE)


def test_new_family_with_ctrl_n_goes_where_consent_is_taken(qtbot, page, services):
    asked = []
    page.capture_requested.connect(lambda: asked.append(True))
    qtbot.keyClick(page.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == [True] and page.stack.currentIndex() == 0


def test_no_way_in_saves_a_family_without_consent_to_store_it(qtbot, page, services):
    """The rule quick capture applies holds for the detail form and the service too."""
    before = services.families.count()
    page.detail.new_family()
    page.stack.setCurrentWidget(page.detail)
    type_text(page.detail.guardian_editors[0].name, "Олена Коваленко")
    assert not page.detail.save()
    assert "consent to store" in page.detail.error_label.text()
    assert services.families.count() == before
    document = family_document()
    document["consents"] = [c for c in document["consents"] if c["purpose"] != "store"]
    with pytest.raises(ValidationError):
        services.families.add(document)
    assert services.families.count() == before


def test_access_copy_as_json_and_pdf(tmp_path, services):
    family = services.families.add(_family("محمد العلي"))
    document = services.families.document(family.id)
    saved = json.loads(write_json(document, tmp_path / "copy.json").read_text(encoding="utf-8"))
    assert saved == document
    html = readable_html(document, "KoKo Hagen", ["en"])
    assert "محمد العلي" in html and "Store the contact details" in html and "Elif" in html
    pdf = write_pdf(html, tmp_path / "copy.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    # both files hold personal data: readable by their owner only, no temporary file left
    assert {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "copy.json", pdf)} == {"0o600"}
    assert not list(tmp_path.glob(".copy*"))


def test_erase_runs_in_the_background_and_the_family_is_gone(qtbot, page, services, cli):
    family = services.families.add(_family("Ayşe Yılmaz"))
    refreshed(qtbot, page)
    page.open_family(family.id)
    with qtbot.waitSignal(page.model.loading_finished, timeout=15000), \
            qtbot.waitSignal(page.detail.erased, timeout=15000):
        page.detail.erase()
    assert page.stack.currentIndex() == 0
    assert page.model.row_of(family.id) == -1
    assert family.id not in {row["id"] for row in cli("family", "list", "--json").json()}


def test_sorting_the_full_list_runs_off_the_gui_thread(qtbot, page, services):
    for name in ("Zeynep Kaya", "Özlem Demir", "Ahmad Haddad"):
        services.families.add(_family(name, phone=f"0176 66{abs(hash(name)) % 10**6:06d}"))
    refreshed(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10000)
    with qtbot.waitSignal(page.model.loading_finished, timeout=10000):
        page.table.sortByColumn(GUARDIANS, Qt.SortOrder.DescendingOrder)
        assert page.count_label.text() == "Sorting..."
    names = [page.model.index(r, GUARDIANS).data(RowRole).row.guardians for r in range(3)]
    assert names == ["Zeynep Kaya", "Özlem Demir", "Ahmad Haddad"]
    assert page.count_label.text() == "3 families"


def test_access_copy_is_prepared_off_the_gui_thread_and_shown(qtbot, page, services):
    family = services.families.add(_family("Олена Коваленко"))
    page.open_family(family.id)
    page.detail.show_access_copy()
    qtbot.waitUntil(lambda: getattr(page.detail, "access_dialog", None) is not None, timeout=10000)
    dialog = page.detail.access_dialog
    text = dialog.view.toPlainText()
    # the family speaks Turkish: labels in Turkish beside German, whatever the UI language
    assert "Олена Коваленко" in text and "Gesamtschule Haspe" in text
    assert "İmzalı kâğıt form / Unterschriebenes Papierformular" in text and "Okul / Schule" in text
    assert "Signed paper form" not in text
    # another language on request: Ukrainian beside German
    dialog.language_box.setCurrentIndex(next(i for i, c in enumerate(dialog.choices) if c == ["uk", "de"]))
    assert "Підписаний паперовий бланк / Unterschriebenes Papierformular" in dialog.view.toPlainText()
    dialog.close()


def test_a_family_without_consent_to_store_is_marked(qtbot, page, services):
    family = services.families.add(_family("Ayşe Yılmaz"))  # stored with consent, which is then withdrawn
    services.consent.record(family.guardians[0].id, Purpose.STORE, None, False, evidence="verbal",
                            at="2026-11-02T10:00:00Z")
    refreshed(qtbot, page)
    index = page.model.index(page.model.row_of(family.id), CONSENT)
    assert index.data() == "no consent to store the data"
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None


def _tab_stops(qtbot, count):
    """Where the focus goes on pressing Tab ``count - 1`` times, from where it is now."""
    stops = [QApplication.focusWidget()]
    for _ in range(count - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        stops.append(QApplication.focusWidget())
    return stops


def test_family_detail_by_keyboard_focus_tab_order_and_notes(qtbot, page, services):
    family = services.families.add(_family("Ayşe Yılmaz"))
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.open_family(family.id)
    detail = page.detail
    guardian, child = detail.guardian_editors[0], detail.child_editors[0]
    assert QApplication.focusWidget() is guardian.name          # the cursor is in the form
    stops = _tab_stops(qtbot, 17)
    assert stops == [guardian.name, guardian.languages, guardian.other_language, guardian.phones, guardian.emails, guardian.messengers,
                     guardian.address, guardian.remove_button, detail.add_guardian_button,
                     child.first_name, child.grade, child.school, child.school_year, child.remove_button,
                     detail.add_child_button, detail.notes, detail.tabs.tabBar()]  # visual order, no invisible stop
    detail.notes.setFocus()
    type_text(detail.notes, "Ruft abends an.")
    qtbot.keyClick(detail.notes, Qt.Key.Key_Tab)                # Tab leaves the notes...
    assert "\t" not in detail.notes.toPlainText() and QApplication.focusWidget() is not detail.notes
    assert guardian.remove_button.accessibleName() == "Remove guardian Ayşe Yılmaz"


def test_ctrl_z_in_a_field_undoes_in_the_one_history(qtbot, page, services):
    family = services.families.add(_family("Ayşe Yılmaz"))
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.open_family(family.id)
    detail = page.detail
    name = detail.guardian_editors[0].name
    qtbot.keyClick(name, Qt.Key.Key_End)
    qtbot.keyClicks(name, " Demir")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert detail.guardian_editors[0].name.text() == "Ayşe Yılmaz"    # undone while the cursor is in the field
    assert QApplication.focusWidget() is detail.guardian_editors[0].name  # and the cursor stays there
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert detail.guardian_editors[0].name.text() == "Ayşe Yılmaz Demir"
    detail.notes.setFocus()
    type_text(detail.notes, " Abends.")
    qtbot.keyClick(detail.notes, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert detail.notes.toPlainText() == "Kam über das Familienbildungscafé."  # the notes' typing is one step
    assert detail.guardian_editors[0].name.text() == "Ayşe Yılmaz Demir"      # of the same history


def test_a_newly_opened_family_starts_at_the_top(qtbot, page, services):
    first = services.families.add(_family("Ayşe Yılmaz"))
    second = services.families.add(_family("Olena Shevchenko", "0176 2345 6789"))
    page.resize(900, 300)
    page.open_family(first.id)
    bar = page.detail.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    page.show_list()
    page.open_family(second.id)
    assert bar.value() == 0 and page.detail.tabs.currentIndex() == 0


def test_duplicate_warning_is_quiet_on_opening_and_speaks_after_an_edit(qtbot, page, services):
    first = services.families.add(_family("Ayşe Yılmaz"))
    services.families.add(_family("Ayşe Yılmaz"))  # the same phone: a likely duplicate
    page.open_family(first.id)
    warning = page.detail.duplicates
    qtbot.wait(400)
    assert not warning.isVisibleTo(page.detail)
    editor = page.detail.guardian_editors[0]
    editor.phones.setText("0176 1234 5678 ")
    editor.phones.editingFinished.emit()
    warning.search_now()
    assert warning.isVisibleTo(page.detail) and warning.model.rowCount() == 1


def test_consent_times_are_shown_in_local_time(monkeypatch):
    import time

    from elternlotse.i18n import install
    from elternlotse.ui.models.consent_history_model import when_text

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        install("de")
        shown = "".join(ch for ch in when_text("2026-11-01T16:20:00Z") if ch.isprintable() and ch not in "\u2066\u2067\u2068\u2069")
        assert "17:20" in shown and "UTC" not in shown          # CET in November
        summer = when_text("2026-06-01T16:20:00Z")
        assert "18:20" in summer                                 # CEST in June
    finally:
        install("en")
        monkeypatch.delenv("TZ")
        time.tzset()


def test_phone_call_without_a_phone_program_shows_the_number(qtbot, services, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from elternlotse.domain.consent import Channel
    from elternlotse.ui.widgets.consent_panel import ConsentPanel

    family = services.families.add(_family("Ayşe Yılmaz", "0176 1234 5678"))
    panel = ConsentPanel(services)
    qtbot.addWidget(panel)
    panel.set_family(services.families.get(family.id))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)  # a laptop without a tel: handler
    panel.contact(Channel.PHONE)
    box = panel.findChild(QMessageBox, "contact_value")
    assert box is not None and "0176 12345678" in "".join(ch for ch in box.text() if ch.isprintable())
    copy = next(b for b in box.buttons() if "Copy" in b.text() or "Kopieren" in b.text())
    copy.click()
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text() == "0176 12345678"
