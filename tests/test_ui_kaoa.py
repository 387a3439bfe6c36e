"""pytest-qt wiring of the KAoA pages: next steps, events (attendance, invitations), the checklist widget."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget

from elternlotse.app import open_store
from elternlotse.domain.contact import display_phone
from elternlotse.ui.models.kaoa_models import (
    AgendaModel,
    AttendanceModel,
    ChecklistModel,
    EventListModel,
    InvitationModel,
    RowRole,
    agenda_rows,
)
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE, family_document

ON = date(2026, 11, 23)


@pytest.fixture
def host(qtbot, services, data_dir):
    """A parent widget carrying a task runner with its own store connection (as the main window does)."""
    widget = QWidget()
    widget.tasks = TaskRunner(lambda: open_store(data_dir, PASSPHRASE), widget)
    qtbot.addWidget(widget)
    yield widget
    widget.tasks.shutdown()


@pytest.fixture
def families(services):
    first = services.families.add(family_document())
    second = services.families.add(family_document(name="Olena Kovalenko", phone="0151 2345 6789"))
    return first, second


def test_models_pass_the_model_tester(qtmodeltester, services, families):
    agenda = services.agenda.next_steps(ON, 4)
    model = AgendaModel()
    model.set_rows(agenda_rows(agenda))
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    checklist = ChecklistModel()
    checklist.set_rows(services.checklists.checklist(families[0].children[0].id, ON).entries)
    qtmodeltester.check(checklist)
    event = services.events.add({"type": "family_cafe", "starts": "2026-11-26T16:30", "topics": ["pa"]})
    events = EventListModel()
    events.set_rows(services.events.list())
    qtmodeltester.check(events)
    attendance = AttendanceModel()
    attendance.set_rows(services.families.list())
    qtmodeltester.check(attendance)
    invitations = InvitationModel()
    invitations.set_rows(services.events.invitations(event.id))
    assert invitations.rowCount() == 2
    qtmodeltester.check(invitations)


def test_next_steps_page_is_a_call_list_marked_by_keys(qtbot, host, services, families):
    from elternlotse.ui.models.call_list_model import CallListModel
    from elternlotse.ui.pages.next_steps_page import NextStepsPage

    services.contacts.today = lambda: ON
    page = NextStepsPage(services, host)
    host.resize(1100, 700)
    page.resize(1100, 700)
    host.show()
    page.date_edit.setDate(QDate(2026, 11, 23))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=15000)
    rows = page.model.rows()
    assert {r.family_id for r in rows} == {families[0].id, families[1].id}  # one row per family
    assert display_phone("+4917612345678") in "".join(page.model.index(i, CallListModel.CALL).data() for i in range(2))
    # the first family is selected: its first topic's checklist is shown below
    first = page.selected_entry()
    assert page.checklist.child_id == first.topics[0].child_id
    assert page.checklist.selected_entry().ref == first.topics[0].ref
    # "Reached" by its mnemonic records a phone call and takes the family off the list
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=15000)
    [call] = services.contacts.list(first.family_id)
    assert call.format == "phone_call" and call.outcome == "reached"
    assert "1" in page.status.text()  # "1 contacted lately ... (not shown)"
    # filtering to a school nobody attends shows the empty state, not an empty table alone
    page.stage_combo.setCurrentIndex(page.stage_combo.findData("sek2"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and page.empty.isVisibleTo(page), timeout=15000)
    page.stage_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=15000)
    page.grab().save("/tmp/kaoa-next-steps.png")
    out = f"{services.store.path.parent}/call-list.pdf"
    page.save_pdf(out)
    with open(out, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    import os
    import stat

    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_events_page_attendance_headcount_and_invitations(qtbot, host, services, families):
    from elternlotse.ui.pages.events_page import EventsPage

    event = services.events.add({"type": "family_cafe", "title": "Potenzialanalyse", "starts": "2026-11-26T16:30",
                                 "place": "Gesamtschule Haspe", "topics": ["pa"], "languages": ["de", "tr"]})
    services.consent.withdraw(families[1].guardians[0].id, "invitations")
    page = EventsPage(services, host)
    page.resize(1200, 700)
    page.refresh()
    assert page.current_event is not None and page.current_event.id == event.id
    assert "Gesamtschule Haspe" in page.details.text()
    qtbot.waitUntil(lambda: page.invitation_model.rowCount() == 1, timeout=15000)
    assert page.invitation_model.index(0, 0).data(RowRole).family_id == families[0].id  # the other withdrew

    qtbot.keyClicks(page.search_edit, "Kovalenko")
    qtbot.waitUntil(lambda: page.attendance_model.rowCount() == 1, timeout=5000)
    index = page.attendance_proxy.index(0, AttendanceModel.PRESENT)
    assert page.attendance_proxy.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert services.events.get(event.id).attendance == [(families[1].id, "")]
    page.headcount_spin.setValue(7)
    page.headcount_spin.editingFinished.emit()
    assert services.events.get(event.id).headcount == 7
    assert page.attendance_label.text() == "1 family + 7"  # ngettext: one family
    assert page.events_model.index(0, EventListModel.PRESENT).data() == "1 family + 7"  # ngettext: one family
    # with the search cleared, present families come first
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.attendance_model.rowCount() == 2, timeout=5000)
    assert page.attendance_model.row_at(0).id == families[1].id
    page.attendance_model.setData(page.attendance_model.index(0, AttendanceModel.PRESENT),
                                  Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert services.events.get(event.id).attendance == []
    page.grab().save("/tmp/kaoa-events.png")


def test_checklist_widget_alone_shows_earlier_items(qtbot, services, families):
    from elternlotse.ui.widgets.checklist_widget import ChecklistWidget

    child_id = families[0].children[0].id
    with services.store.write("test", "old item") as writer:
        from elternlotse.store import kaoa as repo

        repo.write_checklist_item(writer, repo.child(services.store.conn, child_id), "pa", "retired-item", "done", "2025-10-01",
                                  "test", "old note")
    widget = ChecklistWidget(services, child_id, on=ON)
    qtbot.addWidget(widget)
    texts = [widget.model.index(r, ChecklistModel.STAGE).data() for r in range(widget.model.rowCount())]
    assert any("earlier catalogue version" in t for t in texts)
    assert "Grade 8" in widget.summary.text()
    widget.set_child("")
    assert widget.model.rowCount() == 0 and not widget.save_button.isEnabled()


def test_event_form_adds_an_event_and_handouts_are_counted(qtbot, host, services, families):
    from elternlotse.ui.pages.events_page import EventsPage
    from elternlotse.ui.widgets.event_form import EventFormDialog

    dialog = EventFormDialog(services)
    qtbot.addWidget(dialog)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("training_fair_tour"))
    qtbot.keyClicks(dialog.title_edit, "Ausbildungsmesse Hagen")
    qtbot.keyClicks(dialog.place_edit, "Stadthalle Hagen")
    dialog.language_picker.setFocus()
    qtbot.keyClicks(dialog.language_picker.lineEdit(), "arab")          # by name, any part of it
    qtbot.keyClick(dialog.language_picker.lineEdit(), Qt.Key.Key_Return)  # the only match is taken
    assert dialog.languages() == ["de", "ar"]
    assert "yyyy" in dialog.starts_edit.displayFormat()                   # no two-digit years
    before = dialog.starts_edit.dateTime().secsTo(dialog.ends_edit.dateTime())
    dialog.starts_edit.setDateTime(dialog.starts_edit.dateTime().addDays(3))
    assert dialog.starts_edit.dateTime().secsTo(dialog.ends_edit.dateTime()) == before  # the end follows
    pa = next(i for i in range(dialog.topics_list.count()) if dialog.topics_list.item(i).data(Qt.ItemDataRole.UserRole) == "applications")
    dialog.topics_list.item(pa).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(dialog.speaker_name, "Herr Demir")
    dialog.speaker_role.setCurrentIndex(dialog.speaker_role.findData("chamber"))
    dialog.save()
    assert dialog.created_event is not None and dialog.result() == dialog.DialogCode.Accepted
    doc = services.events.document(dialog.created_event.id)
    assert doc["type"] == "training_fair_tour" and doc["place"] == "Stadthalle Hagen"
    assert doc["topics"] == ["applications"] and doc["languages"] == ["de", "ar"]
    assert doc["speakers"] == [{"name": "Herr Demir", "role": "chamber"}]

    bad = EventFormDialog(services)
    qtbot.addWidget(bad)
    bad.ends_edit.setDateTime(bad.starts_edit.dateTime().addSecs(-3600))  # ends before it starts
    bad.save()
    assert bad.created_event is None and bad.error.text()

    page = EventsPage(services, host)
    page.refresh()
    assert page.select_event(dialog.created_event.id)
    assert page.handout_topic.currentData() == "applications" and page.handout_language.current_tag() == "ar"
    page.handout_count.setValue(4)
    qtbot.mouseClick(page.handout_button, Qt.MouseButton.LeftButton)
    assert [(h.topic, h.language, h.count) for h in services.events.get(dialog.created_event.id).handouts] == [
        ("applications", "ar", 4)]
    assert "× 4" in page.handouts_label.text()


def test_checklist_widget_records_a_correction(qtbot, services, families):
    from elternlotse.ui.widgets.checklist_widget import ChecklistWidget

    child_id = families[0].children[0].id
    widget = ChecklistWidget(services, child_id, on=date(2027, 9, 1))
    qtbot.addWidget(widget)
    assert "Grade 9" in widget.summary.text()
    widget.correction_combo.setCurrentIndex(widget.correction_combo.findData("repeat"))
    widget.correction_year.setText("2027/28")
    qtbot.mouseClick(widget.correction_button, Qt.MouseButton.LeftButton)
    assert "Grade 8" in widget.summary.text()
    assert [c.kind for c in services.checklists.corrections(child_id)] == ["repeat"]
    widget.correction_year.setText("27/28")
    qtbot.mouseClick(widget.correction_button, Qt.MouseButton.LeftButton)
    assert "school_year" in widget.message.text()
    widget.resize(900, 500)
    widget.grab().save("/tmp/kaoa-checklist.png")


def test_family_checklists_switch_between_children(qtbot, services):
    from elternlotse.ui.widgets.checklist_widget import FamilyChecklists

    family = services.families.add(family_document(children=[
        {"id": "c1", "first_name": "Elif", "grade": 8, "school_year": "2026/27"},
        {"id": "c2", "first_name": "Emir", "grade": 10, "school_year": "2026/27"}]))
    widget = FamilyChecklists(services)
    qtbot.addWidget(widget)
    widget.load(family.id)
    assert widget.child_combo.count() == 2
    assert widget.checklist.child_id == family.children[0].id
    widget.child_combo.setCurrentIndex(1)
    assert widget.checklist.child_id == family.children[1].id
    widget.load("")
    assert widget.child_combo.count() == 0 and widget.checklist.child_id == ""


def test_family_view_has_the_childrens_checklists(qtbot, host, services, families):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from elternlotse.ui.pages.families_page import FamiliesPage

    page = FamiliesPage(services, host)
    page.refresh()
    page.open_family(families[0].id)
    detail = page.detail
    assert detail.tabs.isTabEnabled(detail.checklist_tab)
    widget = detail.checklists.checklist
    assert widget.child_id == families[0].children[0].id and widget.model.rowCount() > 0
    assert widget.select_item("pa/pa-consent")
    widget.status_combo.setCurrentIndex(widget.status_combo.findData("discussed"))
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    entry = next(e for e in services.checklists.checklist(families[0].children[0].id).entries if e.ref == "pa/pa-consent")
    assert entry.status == "discussed"
    detail.new_family()
    assert not detail.tabs.isTabEnabled(detail.checklist_tab) and detail.checklists.checklist.child_id == ""
    host.tasks.wait()  # deliver the list's pending results while its model is alive
    for _ in range(5):
        QApplication.processEvents()
    page.close()
    page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_attendance_is_ticked_by_keyboard_from_the_search(qtbot, host, services, families):
    from elternlotse.ui.pages.events_page import EventsPage

    event = services.events.add({"type": "family_cafe", "title": "Elterncafé", "starts": "2026-11-26T16:30",
                                 "place": "Gesamtschule Haspe", "topics": ["pa"], "languages": ["de", "tr"]})
    page = EventsPage(services, host)
    page.resize(1200, 700)
    page.show()
    page.refresh()
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "Kovalenko")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)               # Enter: the family found is present
    assert services.events.get(event.id).attendance == [(families[1].id, "")]
    assert page.search_edit.selectedText() == "Kovalenko"             # typing the next name replaces it
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)                 # into the list...
    assert page.attendance_view.hasFocus() or page.attendance_view.currentIndex().isValid()
    qtbot.keyClick(page.attendance_view, Qt.Key.Key_Space)            # ...Space unticks
    assert services.events.get(event.id).attendance == []
    assert page.handout_language.current_tag() == "tr"                # a language picked by name


def test_attendance_and_invitation_lists_as_pdf_files_only_the_owner_reads(qtbot, host, services, families, tmp_path,
                                                                          monkeypatch):
    import os
    import stat

    import pypdf
    from PySide6.QtWidgets import QFileDialog

    from elternlotse.ui.pages.events_page import EventsPage

    event = services.events.add({"type": "family_cafe", "title": "Elterncafé", "starts": "2026-11-26T16:30",
                                 "place": "Gesamtschule Haspe", "topics": ["pa"], "languages": ["de", "uk"]})
    services.events.attend(event.id, families[1].id)
    page = EventsPage(services, host)
    page.refresh()
    qtbot.waitUntil(lambda: page.invitation_model.rowCount() >= 1, timeout=15000)
    for which in ("attendance", "invitations"):
        target = tmp_path / f"{which}.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, t=target, **k: (str(t), "")))
        page.export_list(which)
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(str(target)).pages)
        assert "Elterncafé" in text
        if which == "attendance":
            assert "Kovalenko" in text and families[0].guardians[0].name not in text  # only who came


def test_the_event_kit_is_made_from_the_events_page(qtbot, host, services, families, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from elternlotse.ui.pages.events_page import EventsPage

    event = services.events.add({"type": "family_cafe", "starts": "2026-11-26T16:30", "place": "Gesamtschule Haspe",
                                 "topics": ["pa"]})
    page = EventsPage(services, host)
    page.refresh()
    assert page.select_event(event.id)
    kit = page.kit
    assert kit.invitation_button.isEnabled()
    for kind, button, suffix, head in (("invitation", kit.invitation_button, ".pdf", b"%PDF-"),
                                        ("sign-in", kit.sign_in_button, ".pdf", b"%PDF-"),
                                        ("calendar", kit.calendar_button, ".ics", b"BEGIN:VCALENDAR")):
        target = tmp_path / f"{kind}{suffix}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        button.click()
        qtbot.waitUntil(target.exists, timeout=15000)
        assert target.read_bytes().startswith(head) and oct(target.stat().st_mode & 0o777) == "0o600"


def test_the_half_year_plan_dialog_proposes_changes_and_plans_events(qtbot, services, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from elternlotse.ui.dialogs.half_year_plan_dialog import HalfYearPlanDialog

    doc = family_document()
    doc["children"][0]["school"] = "Realschule Emst"
    services.families.add(doc)
    dialog = HalfYearPlanDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.school.findText("Realschule Emst") >= 0
    dialog.school.setCurrentText("Realschule Emst")
    dialog.day.setDate(QDate(2027, 2, 1))
    dialog.propose()
    assert len(dialog.month_boxes) == 5 and dialog.events_button.isEnabled()
    month, box = dialog.month_boxes[-1]
    box.setCurrentIndex(box.findData("internship"))       # the navigator changes June
    target = tmp_path / "plan.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save(".pdf")
    assert target.read_bytes()[:5] == b"%PDF-" and oct(target.stat().st_mode & 0o777) == "0o600"
    dialog.create_events()
    cafes = [e for e in services.events.list() if e.place == "Realschule Emst"]
    assert len(cafes) == 5 and "5" in dialog.status.text()
    june = max(cafes, key=lambda e: e.starts)
    assert month == "2027-06" and services.events.get(june.id).topics == ["internship"]


def test_every_call_list_header_shows_whole_in_ukrainian(qtbot, qapp, host, services, families):
    from elternlotse.i18n import install
    from elternlotse.ui.i18n_qt import install_language
    from elternlotse.ui.pages.next_steps_page import NextStepsPage

    install_language(qapp, "uk")
    try:
        page = NextStepsPage(services, host)
        header = page.table.horizontalHeader()
        cut = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
               if header.sectionSize(c) < header.sectionSizeHint(c)
               and header.sectionResizeMode(c) != header.ResizeMode.Stretch]
        assert cut == []
    finally:
        install_language(qapp, "en")
        install("en")
