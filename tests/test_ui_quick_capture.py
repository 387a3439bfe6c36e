"""Quick capture at a stand: real widgets offscreen, real encrypted store, keyboard only where it matters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from elternlotse.domain.consent import Channel, Evidence, Purpose
from elternlotse.ui.models.duplicate_model import NAME, PHONE, RowRole, DuplicateModel
from elternlotse.ui.pages.quick_capture_page import QuickCapturePage
from tests.conftest import family_document


@pytest.fixture
def page(qtbot, services):
    page = QuickCapturePage(services)
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.name.setFocus()
    yield page
    page.duplicates.clear()  # a pending duplicate search must not run after the store is closed
    stop_timers(page)  # else it may run on the closed store during a later test


def stop_timers(widget) -> None:
    """A closed widget's timers still fire: stop the duplicate search's debounce before the store closes."""
    for timer in widget.findChildren(QTimer):
        timer.stop()


def plain(text: str) -> str:
    """Without the bidi isolates (FSI/PDI) that keep numbers and names in order in RTL sentences."""
    return "".join(ch for ch in text if ch not in "\u2066\u2067\u2068\u2069")


def focused():
    """Where a key goes: an open suggestion list first (it holds the keyboard), else the focused widget."""
    return QApplication.activePopupWidget() or QApplication.focusWidget()


def press(qtbot, key, times=1):
    for _ in range(times):
        qtbot.keyClick(focused(), key)


def test_keyboard_only_capture_is_stored_and_listed_by_the_cli(qtbot, page, services, cli):
    qtbot.keyClicks(focused(), "Fatma Demir")                       # name
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.language
    qtbot.keyClicks(focused(), "arab")                              # type-ahead on any part of a name
    assert page.language.currentData() != "ar"                      # typing alone picks nothing
    press(qtbot, Qt.Key.Key_Down)                                   # the suggestion...
    press(qtbot, Qt.Key.Key_Return)                                 # ...taken on purpose
    qtbot.waitUntil(lambda: page.language.currentData() == "ar")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.phone
    qtbot.keyClicks(focused(), "0176 9876 5432")
    press(qtbot, Qt.Key.Key_Tab)                                    # e-mail: left empty
    press(qtbot, Qt.Key.Key_Tab)                                    # messenger
    qtbot.keyClicks(focused(), "WhatsApp")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.child_rows[0].grade
    qtbot.keyClicks(focused(), "8")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "Yusuf")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "Gesamtschule Haspe")
    # add child, then the evidence: nothing preselected, chosen with the space bar
    while focused() is not page.evidence_buttons[Evidence.SIGNED_FORM]:
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)
    # witness (disabled): then the consent boxes
    while focused() is not page.consent.boxes[(Purpose.STORE, None)]:
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)                                  # store
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)                                  # contact by phone
    press(qtbot, Qt.Key.Key_Tab, 3)
    press(qtbot, Qt.Key.Key_Space)                                  # contact by messenger
    press(qtbot, Qt.Key.Key_Tab, 2)
    press(qtbot, Qt.Key.Key_Space)                                  # invitations
    with qtbot.waitSignal(page.family_saved) as saved:
        qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    family_id = saved.args[0]

    assert page.next_button.hasFocus()
    assert "Fatma Demir" in page.status.text()
    family = services.families.get(family_id)
    assert family.guardians[0].phones == ["+4917698765432"]
    assert family.guardians[0].languages == ["ar"]
    assert family.guardians[0].messengers[0].app == "WhatsApp"
    assert [(c.grade, c.first_name, c.school) for c in family.children] == [(8, "Yusuf", "Gesamtschule Haspe")]
    given = {(e.purpose, e.channel) for e in family.consents}
    assert given == {(Purpose.STORE, None), (Purpose.CONTACT, Channel.PHONE),
                     (Purpose.CONTACT, Channel.MESSENGER), (Purpose.EVENT_INVITATIONS, None)}
    assert {(e.text_version, e.text_language, e.evidence) for e in family.consents} == {
        ("2026-1", "ar", Evidence.SIGNED_FORM)}
    assert any(row.id == family_id for row in services.families.list())

    listed = cli("family", "list", "--json")
    assert listed.code == 0, listed.err
    assert any(row["id"] == family_id for row in listed.json()), listed.out

    # Enter on "Next family": empty form, cursor on the name, school kept for the next parent.
    press(qtbot, Qt.Key.Key_Return)
    assert page.name.text() == "" and page.phone.text() == "" and not page.consent.selected()
    assert page.child_rows[0].grade.value() == 0
    assert page.child_rows[0].school.text() == "Gesamtschule Haspe"
    assert page.name.hasFocus()
    assert page.save_button.isEnabled()


def test_enter_in_the_name_field_saves_and_a_second_enter_does_not_save_twice(qtbot, page, services):
    page.name.setText("Olena Koval")
    page.consent.boxes[(Purpose.STORE, None)].setChecked(True)
    page.evidence_buttons[Evidence.SIGNED_FORM].setChecked(True)
    with qtbot.waitSignal(page.family_saved):
        qtbot.keyClick(page.name, Qt.Key.Key_Return)
    page.save()
    assert services.families.count() == 1


def test_no_consent_to_store_means_nothing_is_saved(qtbot, page, services):
    page.name.setText("Olena Koval")
    page.consent.boxes[(Purpose.CONTACT, Channel.EMAIL)].setChecked(True)
    page.save()
    assert services.families.count() == 0
    assert "consent to store" in page.status.text()


def test_a_ticked_channel_needs_its_address(qtbot, page, services):
    page.name.setText("Olena Koval")
    page.consent.set_selected([(Purpose.STORE, None), (Purpose.CONTACT, Channel.EMAIL)])
    page.save()
    assert services.families.count() == 0
    assert "no e-mail address" in page.status.text()


def test_invalid_phone_gets_one_clear_sentence(qtbot, page):
    qtbot.keyClicks(page.phone, "0176 12")
    assert not page.phone_hint.isVisible()                  # still typing: not an error yet
    page.phone.editingFinished.emit()
    assert page.phone_hint.isVisible()
    assert plain(page.phone_hint.text()) == "Phone: '0176 12' is not a valid phone number."
    qtbot.keyClicks(page.phone, "34 5678")
    assert page.phone_hint.text().startswith("✓ ")


def test_verbal_consent_records_the_witness(qtbot, page, services):
    page.name.setText("Olena Koval")
    page.language.setCurrentIndex(page.language.findData("uk"))
    page.evidence_buttons[Evidence.VERBAL_WITH_WITNESS].setChecked(True)
    page.consent.set_selected([(Purpose.STORE, None)])
    page.save()
    assert services.families.count() == 0 and "witness" in page.status.text()
    page.witness.setText("Mehmet Aydın")
    with qtbot.waitSignal(page.family_saved) as saved:
        page.save()
    family = services.families.get(saved.args[0])
    assert family.consents[0].evidence == Evidence.VERBAL_WITH_WITNESS
    assert family.consents[0].text_language == "uk"
    assert "Mehmet Aydın" in family.notes


def test_duplicate_warning_for_a_known_phone_written_differently(qtbot, page, services):
    known = services.families.add(family_document(name="Ayşe Yılmaz", phone="+49 176 12345678"))
    services.families.add(family_document(name="Olena Koval", phone="+49 151 22223333"))
    assert not page.duplicates.isVisible()
    qtbot.keyClicks(page.phone, "0176 1234 5678")
    qtbot.waitUntil(page.duplicates.isVisible, timeout=3000)
    assert page.duplicates.model.rowCount() == 1
    assert page.duplicates.model.family_id(0) == known.id
    with qtbot.waitSignal(page.open_family_requested) as opened:
        qtbot.mouseClick(page.duplicates.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [known.id]


def test_duplicate_warning_for_a_name_in_another_script(qtbot, page, services):
    known = services.families.add(family_document(name="Mohammed Yusuf", phone="+49 151 22223333"))
    page.name.insert("محمد يوسف")  # QTest cannot type Arabic letters; insert() is what an input method does
    qtbot.waitUntil(page.duplicates.isVisible, timeout=3000)
    assert page.duplicates.model.family_id(0) == known.id
    page.name.clear()
    qtbot.keyClicks(page.name, "Olena Koval")
    qtbot.waitUntil(lambda: not page.duplicates.isVisible(), timeout=3000)


def test_consent_text_beside_german_in_the_parents_language_with_its_direction(qtbot, page):
    page.language.setCurrentIndex(page.language.findData("ar"))
    store = page.consent.texts[(Purpose.STORE, None)]
    assert store[0].text().startswith("Ich bin einverstanden")
    assert store[1].property("language") == "ar"
    assert store[1].layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert store[0].layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert "2026-1" in page.consent_group.title()


def test_language_without_text_says_so_and_shows_german_and_english(qtbot, page):
    page.language.setCurrentIndex(page.language.findData("ti"))
    assert page.consent.notice.isVisible()
    assert "German and English" in page.consent.notice.text()
    assert page.consent.texts[(Purpose.PHOTOS, None)][1].text().startswith("I agree")
    assert page.capture().text_language == "en"


def test_german_parent_sees_one_column(qtbot, page):
    page.language.setCurrentIndex(page.language.findData("de"))
    assert not page.consent.texts[(Purpose.STORE, None)][1].isVisible()
    assert not page.consent.notice.isVisible()


def test_duplicate_model(qtmodeltester, services):
    services.families.add(family_document(name="Ayşe Yılmaz"))
    services.families.add(family_document(name="Ayse Yilmaz", phone="0176 1234 5678"))
    rows = services.families.rank_duplicates(["+49 176 12345678"], [], ["Ayse Yilmaz"])
    assert len(rows) == 2
    model = DuplicateModel()
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    assert plain(model.data(model.index(0, PHONE))) == "0176 12345678"
    assert model.data(model.index(1, NAME), RowRole).id == rows[1][0].id


def test_capture_at_todays_event_marks_the_family_present_and_counts_printed_handouts(qtbot, services):
    from datetime import date, timedelta

    today = date.today()
    stand = services.events.add({"type": "parent_teacher_day", "title": "Elternsprechtag Haspe",
                                 "starts": f"{today.isoformat()}T15:00", "place": "Gesamtschule Haspe"})
    services.events.add({"type": "family_cafe", "title": "Elterncafé im Mai",
                         "starts": f"{(today + timedelta(days=40)).isoformat()}T16:30", "place": "Haspe"})
    page = QuickCapturePage(services)
    qtbot.addWidget(page)
    assert page.form.isRowVisible(page.event_combo)
    assert page.event_combo.count() == 2                     # "no event" + today's; the café is weeks away
    assert page.current_event() == stand.id                  # today's event is preselected
    page.name.setText("Fatma Demir")
    page.language.setCurrentIndex(page.language.findData("ar"))
    page.consent.set_selected([(Purpose.STORE, None)])
    page.evidence_buttons[Evidence.SIGNED_FORM].setChecked(True)
    with qtbot.waitSignal(page.family_saved) as saved:
        page.save()
    assert "Elternsprechtag Haspe" in page.status.text()
    assert [family for family, _person in services.events.get(stand.id).attendance] == [saved.args[0]]
    page.handout_printed("privacy-information", "ar")         # what the print dialog calls back after printing
    given = services.events.get(stand.id).handouts
    assert [(h.topic, h.language, h.count) for h in given] == [("privacy-information", "ar", 1)]
    assert page.next_button.hasFocus() or not page.isVisible()
    stop_timers(page)


def test_without_events_the_event_row_is_left_out(qtbot, page):
    assert not page.form.isRowVisible(page.event_combo)
    assert page.current_event() == ""


def test_in_the_main_window_open_existing_family_shows_its_detail(qtbot, services, data_dir):
    from elternlotse.app import open_store
    from elternlotse.ui.main_window import MainWindow
    from elternlotse.ui.tasks import TaskRunner
    from tests.conftest import PASSPHRASE

    known = services.families.add(family_document(name="Ayşe Yılmaz", phone="+49 176 12345678"))
    window = MainWindow(services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
    qtbot.addWidget(window)
    try:
        capture = window.page_of_type(QuickCapturePage)
        window.show_page(window.page_types.index(QuickCapturePage))
        capture.phone.setText("0176 1234 5678")
        capture.duplicates.search_now()
        assert capture.duplicates.model.rowCount() == 1
        capture.duplicates.open_button.click()
        families = window.current_page()
        assert type(families).__name__ == "FamiliesPage"
        assert families.detail.family_id == known.id
    finally:
        window.shutdown()


def test_two_children_by_keyboard_alone_and_a_refusal_names_the_row(qtbot, page, services, monkeypatch):
    import time

    started = time.perf_counter()
    qtbot.keyClicks(focused(), "Olena Shevchenko")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "ukr")                               # "Ukrainisch", "українська", "Ukrainian"
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.language.currentData() == "uk")
    # Offscreen has no window manager to hand the focus back after a popup (docs: tech notes, Xvfb).
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "0176 2345 6789")
    while focused() is not page.child_rows[0].grade:
        press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "9")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "Taras")
    qtbot.keyClick(focused(), Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)   # Alt+C: "Add a child"
    qtbot.waitUntil(lambda: len(page.child_rows) == 2)             # a mnemonic "clicks" after a short flash
    qtbot.waitUntil(lambda: focused() is page.child_rows[1].grade)
    assert focused() is page.child_rows[1].grade
    press(qtbot, Qt.Key.Key_Tab)                                    # the second child's grade left out...
    qtbot.keyClicks(focused(), "Iryna")
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert services.families.count() == 0
    # Each refusal says what is missing and puts the cursor there: store consent, evidence, then the row
    assert focused() is page.consent.boxes[(Purpose.STORE, None)]
    for _attempt in range(3):
        if focused() is page.child_rows[1].grade:
            break
        press(qtbot, Qt.Key.Key_Space)                              # tick the box / choose the evidence it points at
        qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert focused() is page.child_rows[1].grade and "Child 2" in plain(page.status.text())
    qtbot.keyClicks(focused(), "7")                                 # typed at once over the "grade" placeholder
    assert page.child_rows[1].grade.value() == 7
    with qtbot.waitSignal(page.family_saved) as saved:
        qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    elapsed = time.perf_counter() - started
    family = services.families.get(saved.args[0])
    assert sorted((c.first_name, c.grade) for c in family.children) == [("Iryna", 7), ("Taras", 9)]
    assert family.guardians[0].languages == ["uk"]
    assert {e.evidence for e in family.consents} == {Evidence.SIGNED_FORM}
    print(f"keyboard-only quick capture, two children, with three refusals on the way: {elapsed:.2f} s of test time")


def test_typing_t_does_not_pick_tigrinya(qtbot, page):
    page.language.setFocus()
    before = page.language.currentData()
    qtbot.keyClicks(focused(), "T")
    if QApplication.activePopupWidget():
        press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Tab)
    assert page.language.currentData() == before != "ti"
    page.language.setFocus()
    page.language.lineEdit().selectAll()
    qtbot.keyClicks(focused(), "ukr")                               # one language only: Tab takes it
    if QApplication.activePopupWidget():
        press(qtbot, Qt.Key.Key_Escape)
    page.language.lineEdit().editingFinished.emit()                 # what leaving the field does
    assert page.language.currentData() == "uk"


def test_next_family_asks_before_unsaved_input_is_dropped(qtbot, page, monkeypatch):
    qtbot.keyClicks(page.name, "Fatma Demir")
    answers = []
    monkeypatch.setattr(page, "confirm_discard", lambda: answers.append("asked") or False)
    page.next_family()
    assert answers == ["asked"] and page.name.text() == "Fatma Demir"
    monkeypatch.setattr(page, "confirm_discard", lambda: True)
    page.next_family()
    assert page.name.text() == ""


def test_the_consent_form_prints_before_anything_is_saved(qtbot, page, services):
    from elternlotse.ui.widgets.consent_form import consent_form_html

    page.language.set_tag("uk")
    qtbot.keyClicks(page.name, "Olena Shevchenko")
    html = consent_form_html(page.consent.choice, page.name.text())
    german = page.consent.choice.texts[0]
    assert "Olena Shevchenko" in html and german.intro.split()[0] in html and "dir='ltr'" in html
    assert html.count("&#9744;") == len(page.consent.boxes)            # a box per purpose and channel
    assert page.form_button.isEnabled() and services.families.count() == 0


def test_a_turkish_mobile_typed_without_plus_90_is_pointed_out(qtbot, page):
    page.language.set_tag("tr")
    page.phone.setFocus()
    qtbot.keyClicks(page.phone, "0532 123 45 67")
    page.phone.editingFinished.emit()
    assert page.phone_hint.isVisible() and "+90 532 123 45 67" in page.phone_hint.text()
    page.phone.clear()
    qtbot.keyClicks(page.phone, "0176 1234 5678")   # a German mobile: no question
    page.phone.editingFinished.emit()
    assert "+90" not in page.phone_hint.text()
