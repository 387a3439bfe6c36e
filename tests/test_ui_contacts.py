"""Contacts in the window: recorded from the family's Contacts tab and the tally dialog, by keyboard alone."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from elternlotse.ui.dialogs.tally_dialog import TallyDialog
from elternlotse.ui.models.contact_model import ContactModel
from elternlotse.ui.widgets.contact_panel import ContactPanel
from tests.conftest import family_document

TODAY = date(2026, 12, 2)


@pytest.fixture
def family(services):
    services.contacts.today = lambda: TODAY
    return services.families.add(family_document())


def test_a_stand_talk_is_recorded_by_keys_alone(qtbot, services, family):
    panel = ContactPanel(services)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.set_family(services.families.get(family.id))
    assert panel.language.currentData() == "tr"  # the family's own language first
    panel.format.setFocus()
    qtbot.keyClicks(panel.format, "Stand")   # type-ahead to "Stand at a parent-teacher day"
    panel.topics.setFocus()
    qtbot.keyClick(panel.topics, Qt.Key.Key_Down)
    qtbot.keyClick(panel.topics, Qt.Key.Key_Space)
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "Fragt nach Praktikum")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [contact] = services.contacts.list(family.id)
    assert contact.format == "parent_teacher_day" and contact.on == TODAY.isoformat()
    assert contact.language == "tr" and len(contact.topics) == 1 and contact.note == "Fragt nach Praktikum"
    # the form is ready for the next talk, the format remembered, the history shows the new row
    assert panel.note.text() == "" and panel.format.currentData() == "parent_teacher_day"
    assert panel.model.rowCount() == 1 and panel.table.isVisibleTo(panel)


def test_a_refused_contact_says_why_and_keeps_the_input(qtbot, services, family):
    panel = ContactPanel(services)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_family(services.families.get(family.id))
    panel.note.setText("x" * 10)
    panel.referral.setEditText("y" * 300)
    panel.record()
    assert panel.error.isVisibleTo(panel) and "referral" in panel.error.text()
    assert panel.note.text() == "x" * 10 and services.contacts.list(family.id) == []


def test_contact_model_passes_the_model_tester(qtmodeltester, services, family):
    from elternlotse.domain.contact_log import Contact

    services.contacts.add(Contact(family_id=family.id, on="2026-12-01", format="phone_call", outcome="call_back",
                                  follow_up="2026-12-09", referral="jmd"))
    model = ContactModel()
    model.set_rows(services.contacts.list(family.id))
    qtmodeltester.check(model)
    assert "2026" in model.index(0, ContactModel.FOLLOW_UP).data()


def test_the_tally_dialog_counts_with_enter(qtbot, services):
    services.contacts.today = lambda: TODAY
    dialog = TallyDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.count, "12")
    qtbot.keyClick(dialog.count, Qt.Key.Key_Return)
    assert dialog.result() == TallyDialog.DialogCode.Accepted
    [tally] = services.contacts.tallies()
    assert tally.count == 12 and tally.format == "parent_teacher_day" and tally.on == TODAY.isoformat()
