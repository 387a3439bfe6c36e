"""The Navigators and Partners pages: typed by keyboard, saved through the services, refusals in one sentence."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from elternlotse.domain.partners import Partner
from elternlotse.domain.roster import Navigator
from elternlotse.i18n import install
from elternlotse.ui.i18n_qt import install_language
from elternlotse.ui.models.roster_models import HoursModel, NavigatorListModel, PartnerListModel
from elternlotse.ui.pages.navigators_page import NavigatorsPage
from elternlotse.ui.pages.partners_page import PartnersPage
from tests.test_ui_keyboard_walk import LANGUAGES, duplicates, mnemonics_of, unnamed_controls


def _page(qtbot, cls, services):
    page = cls(services)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.refresh()
    return page


def test_models_pass_the_model_tester(qtmodeltester, office_services):
    roster = office_services.roster
    nav = roster.add(Navigator(name="Leyla", languages=["tr"]))
    model = NavigatorListModel(7)
    model.set_rows([roster.view(nav.id)])
    qtmodeltester.check(model)
    partners = PartnerListModel()
    partners.set_rows([office_services.partners.add(Partner(kind="jmd", name="JMD Hagen"))])
    qtmodeltester.check(partners)
    qtmodeltester.check(HoursModel())


def test_a_navigator_is_added_trained_and_paid_by_keyboard(qtbot, office_services, tmp_path):
    page = _page(qtbot, NavigatorsPage, office_services)
    page.new_button.click()
    assert page.name.hasFocus() and not page.hours_button.isEnabled()
    qtbot.keyClicks(page.name, "Leyla Demir")
    qtbot.keyClicks(page.languages, "tr, de")
    page.save_button.setFocus()
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    [nav] = office_services.roster.list()
    assert nav.name == "Leyla Demir" and nav.languages == ["tr", "de"]
    assert page.model.rowCount() == 1 and page.hours_button.isEnabled()
    page.modules.item(1).setCheckState(Qt.CheckState.Checked)       # KAoA completed today
    assert list(office_services.roster.get(nav.id).modules) == ["kaoa"]
    page.hours.setValue(2.5)
    qtbot.keyClicks(page.activity, "Elterncafe")
    page.allowance.setCurrentIndex(page.allowance.findData("ehrenamt"))
    page.amount.setValue(800)
    qtbot.keyClick(page.hours_button, Qt.Key.Key_Space)
    assert page.hours_model.rowCount() == 1 and "Ehrenamtspauschale" in page.tallies.text()
    assert "near" in page.tallies.text()
    from elternlotse.app import open_store
    from elternlotse.ui.tasks import TaskRunner
    from tests.conftest import PASSPHRASE

    page.tasks = TaskRunner(lambda: open_store(office_services.store.path.parent, PASSPHRASE), page)
    page.write_certificate(str(tmp_path / "c.pdf"))
    qtbot.waitUntil(lambda: (tmp_path / "c.pdf").exists(), timeout=20000)
    page.tasks.shutdown()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO((tmp_path / "c.pdf").read_bytes())).pages)
    assert "Leyla Demir" in text and "Katılım belgesi" in text


def test_a_refused_navigator_says_why_and_keeps_the_input(qtbot, office_services):
    page = _page(qtbot, NavigatorsPage, office_services)
    page.new_button.click()
    qtbot.keyClicks(page.name, "Leyla")
    qtbot.keyClicks(page.languages, "Turkish")
    page.save()
    assert "languages" in page.error.text() and page.name.text() == "Leyla"
    assert office_services.roster.list() == []


def test_a_navigator_s_laptop_keeps_no_roster(qtbot, services):
    page = _page(qtbot, NavigatorsPage, services)
    assert page.model is None
    from PySide6.QtWidgets import QLabel

    assert any("office" in label.text() for label in page.findChildren(QLabel))


def test_only_an_office_window_lists_the_roster_page(qtbot, services, office_services, data_dir):
    from elternlotse.app import open_store
    from elternlotse.ui.main_window import MainWindow
    from elternlotse.ui.tasks import TaskRunner
    from tests.conftest import PASSPHRASE

    titles = {}
    for role, svc in (("navigator", services), ("office", office_services)):
        window = MainWindow(svc, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
        qtbot.addWidget(window)
        titles[role] = [window.nav.item(i).text() for i in range(window.nav.count())]
        go_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and "Go" in a.text())
        assert [a.text() for a in go_menu.actions()] == titles[role]  # the Go menu follows the list
        window.shutdown()
    assert "Navigators" in titles["office"] and "Navigators" not in titles["navigator"]
    assert "Partners" in titles["navigator"]  # read by navigators: the office sends it


def test_a_partner_is_added_and_edited_at_the_office(qtbot, office_services):
    page = _page(qtbot, PartnersPage, office_services)
    page.new_button.click()
    page.kind.setCurrentIndex(page.kind.findData("chamber"))
    qtbot.keyClicks(page.name, "IHK Hagen")
    qtbot.keyClicks(page.phone, "02331 390 0")
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    [partner] = office_services.partners.list()
    assert partner.kind == "chamber" and partner.phone == "+4923313900"
    page.phone.setText("12")
    page.save()
    assert "phone" in page.error.text() and office_services.partners.get(partner.id).phone == "+4923313900"


def test_a_navigator_reads_the_partners_but_cannot_edit(qtbot, services):
    page = _page(qtbot, PartnersPage, services)
    assert page.hint.isVisibleTo(page) and not page.save_button.isEnabled() and not page.name.isEnabled()


@pytest.fixture
def language(request, qapp):
    yield request.param
    install_language(qapp, "en")
    install("en")


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_office_pages_have_unique_mnemonics_and_named_controls(qtbot, qapp, office_services, data_dir, language):
    from elternlotse.app import open_store
    from elternlotse.ui.main_window import MainWindow
    from elternlotse.ui.tasks import TaskRunner
    from tests.conftest import PASSPHRASE

    install_language(qapp, language)
    nav = office_services.roster.add(Navigator(name="Leyla"))
    office_services.partners.add(Partner(kind="jmd", name="JMD Hagen"))
    window = MainWindow(office_services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
    qtbot.addWidget(window)
    window.show()
    problems = {}
    for index, cls in enumerate(window.page_types):
        if cls not in (NavigatorsPage, PartnersPage):
            continue
        window.show_page(index)
        page = window.current_page()
        if cls is NavigatorsPage:
            page.show_navigator(nav.id)
        clash = duplicates(mnemonics_of(window, window.menuBar()))
        if clash:
            problems[f"{cls.__name__}: duplicate mnemonics"] = clash
        unnamed = unnamed_controls(page)
        if unnamed:
            problems[f"{cls.__name__}: no accessible name"] = unnamed
    window.shutdown()
    assert problems == {}


def test_referrals_and_speakers_pick_from_the_partners_directory(qtbot, office_services):
    from datetime import date

    from elternlotse.ui.widgets.contact_panel import ContactPanel
    from elternlotse.ui.widgets.event_form import EventFormDialog
    from tests.conftest import family_document

    office_services.partners.add(Partner(kind="chamber", name="IHK Hagen", contact_person="Herr Becker"))
    dialog = EventFormDialog(office_services)
    qtbot.addWidget(dialog)
    completer = dialog.speaker_name.completer()
    assert completer is not None and completer.model().index(0, 0).data() == "IHK Hagen (Herr Becker)"
    completer.activated.emit("IHK Hagen (Herr Becker)")     # the person picks the suggestion
    assert dialog.speaker_role.currentData() == "chamber"

    office_services.contacts.today = lambda: date(2026, 12, 2)
    family = office_services.families.add(family_document())
    panel = ContactPanel(office_services)
    qtbot.addWidget(panel)
    panel.set_family(office_services.families.get(family.id))
    panel.referral.setCurrentIndex(panel.referral.findText("IHK Hagen (Herr Becker)"))
    panel.record()
    assert [c.referral for c in office_services.contacts.list(family.id)] == ["IHK Hagen (Herr Becker)"]


def _office_with_hours(office_services):
    from datetime import date

    from elternlotse.domain.roster import HoursEntry

    roster = office_services.roster
    roster.today = lambda: date(2026, 12, 2)
    nav = roster.add(Navigator(name="Leyla Demir", languages=["tr"]))
    roster.complete_module(nav.id, "kaoa", "2026-03-01")
    roster.add_hours(HoursEntry(nav.id, "2026-02-01", "2", "stand", "Elternsprechtag", allowance="ehrenamt",
                                amount_cents=30_000))
    roster.add_hours(HoursEntry(nav.id, "2026-03-01", "2.5", "event", "Elterncafé", allowance="ehrenamt",
                                amount_cents=60_000))        # a typo: 600 instead of 60, over the limit
    return nav


def _select_first_hours_row(qtbot, page):
    page.hours_view.setFocus()
    qtbot.keyClick(page.hours_view, Qt.Key.Key_Home)
    qtbot.keyClick(page.hours_view, Qt.Key.Key_Space)
    if page.selected_hours() is None:
        qtbot.keyClick(page.hours_view, Qt.Key.Key_Down)
    return page.selected_hours()


def test_hours_are_corrected_and_deleted_by_keyboard_and_the_tallies_follow(qtbot, office_services):
    from PySide6.QtWidgets import QMessageBox

    nav = _office_with_hours(office_services)
    page = _page(qtbot, NavigatorsPage, office_services)
    page.show_navigator(nav.id)
    assert "over the tax-free limit" in page.tallies.text()
    assert not page.edit_hours_button.isEnabled()
    page.hours_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)     # the newest entry first
    entry = _select_first_hours_row(qtbot, page)
    assert entry is not None and entry.activity == "Elterncafé" and page.edit_hours_button.isEnabled()

    qtbot.keyClick(page.edit_hours_button, Qt.Key.Key_Space)
    dialog = page.hours_dialog
    qtbot.waitUntil(dialog.form.hours.hasFocus)
    assert dialog.form.activity.text() == "Elterncafé"
    dialog.form.amount.setFocus()
    dialog.form.amount.selectAll()
    qtbot.keyClicks(dialog.form.amount, "60")
    qtbot.keyClick(dialog.form.amount, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    [first, second] = office_services.roster.view(nav.id).hours
    assert (second.id, second.amount_cents, second.hours) == (entry.id, 6_000, entry.hours)
    assert "over" not in page.tallies.text() and "360" in page.tallies.text()

    entry = _select_first_hours_row(qtbot, page)
    qtbot.keyClick(page.delete_hours_button, Qt.Key.Key_Space)
    box = page.findChild(QMessageBox)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    qtbot.keyClick(box, Qt.Key.Key_Return)                              # Enter answers No: nothing deleted
    assert len(office_services.roster.view(nav.id).hours) == 2
    box.deleteLater()
    qtbot.waitUntil(lambda: page.findChild(QMessageBox) is None)
    qtbot.keyClick(page.delete_hours_button, Qt.Key.Key_Space)
    box = page.findChild(QMessageBox)
    qtbot.keyClick(box.button(QMessageBox.StandardButton.Yes), Qt.Key.Key_Space)
    assert [e.id for e in office_services.roster.view(nav.id).hours] == [first.id]
    assert page.hours_model.rowCount() == 1 and "300" in page.tallies.text()
    actions = [r[0] for r in office_services.store.conn.execute("SELECT action FROM audit")]
    assert {"navigator.hours.edit", "navigator.hours.delete"} <= set(actions)


@pytest.mark.parametrize("language", ["en", "ar"], indirect=True)
def test_a_correction_is_refused_in_one_sentence_and_nothing_changes(qtbot, qapp, office_services, language):
    install_language(qapp, language)     # right to left too: the hours row is chosen by keyboard
    nav = _office_with_hours(office_services)
    page = _page(qtbot, NavigatorsPage, office_services)
    page.show_navigator(nav.id)
    entry = _select_first_hours_row(qtbot, page)
    qtbot.keyClick(page.edit_hours_button, Qt.Key.Key_Space)
    dialog = page.hours_dialog
    dialog.form.activity.selectAll()
    qtbot.keyClick(dialog.form.activity, Qt.Key.Key_Delete)            # an allowance needs its activity
    qtbot.keyClick(dialog.form.activity, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error.isVisibleTo(dialog) and "activity" in dialog.error.text()
    assert office_services.roster.hours_entry(nav.id, entry.id) == entry
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_office_rules_are_changed_in_a_dialog_with_one_sentence_on_a_bad_value(qtbot, office_services):
    nav = _office_with_hours(office_services)
    office_services.roster.delete_hours(nav.id, office_services.roster.view(nav.id).hours[1].id)   # 300 of 840 paid
    page = _page(qtbot, NavigatorsPage, office_services)
    page.show_navigator(nav.id)
    assert "near" not in page.tallies.text()
    qtbot.keyClick(page.rules_button, Qt.Key.Key_Space)
    dialog = page.rules_dialog
    qtbot.waitUntil(dialog.years.hasFocus)
    assert dialog.years.text() == "5" and dialog.ehrenamt.text() == "840"
    qtbot.keyClicks(dialog.years, "0")                                  # replaces the selected 5
    qtbot.keyClick(dialog.years, Qt.Key.Key_Return)
    assert dialog.isVisible() and "police_check_years" in dialog.error.text()
    assert office_services.roster.rules().police_check_years == 5
    dialog.years.selectAll()
    qtbot.keyClicks(dialog.years, "3")
    qtbot.keyClick(dialog.years, Qt.Key.Key_Tab)
    dialog.ehrenamt.selectAll()
    qtbot.keyClicks(dialog.ehrenamt, "dreihundert")
    qtbot.keyClick(dialog.ehrenamt, Qt.Key.Key_Return)
    assert "ehrenamt" in dialog.error.text() and office_services.roster.rules().limits["ehrenamt"] == 84_000
    dialog.ehrenamt.selectAll()
    qtbot.keyClicks(dialog.ehrenamt, "320,00")
    qtbot.keyClick(dialog.ehrenamt, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    rule = office_services.roster.rules()
    assert (rule.police_check_years, rule.limits["ehrenamt"]) == (3, 32_000)
    assert "near the tax-free limit" in page.tallies.text()           # 300 of 320: the warning at once


def test_a_navigator_removed_in_the_window_leaves_no_byte_behind(qtbot, office_services):
    from PySide6.QtWidgets import QMessageBox
    from raw_pages import decrypted_data_folder, store_key_sql

    from tests.conftest import PASSPHRASE

    office_services.roster.add(Navigator(name="Keeperina Olvastrand"))
    nav = _office_with_hours(office_services)
    office_services.roster.edit(Navigator(name="Zebulon Qwertyxa", notes="Pinguinformular", id=nav.id,
                                          police_check="2024-05-01"))
    page = _page(qtbot, NavigatorsPage, office_services)
    page.show_navigator(nav.id)
    qtbot.keyClick(page.remove_button, Qt.Key.Key_Space)
    box = page.findChild(QMessageBox)
    assert "Qwertyxa" in box.text() and "training modules" in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Return)                              # Enter answers Cancel
    assert len(office_services.roster.list()) == 2
    box.deleteLater()
    qtbot.waitUntil(lambda: page.findChild(QMessageBox) is None)
    qtbot.keyClick(page.remove_button, Qt.Key.Key_Space)
    box = page.findChild(QMessageBox)
    remove = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    qtbot.keyClick(remove, Qt.Key.Key_Space)
    assert [n.name for n in office_services.roster.list()] == ["Keeperina Olvastrand"]
    assert page.model.rowCount() == 1 and page.name.text() == "" and not page.remove_button.isEnabled()
    folder = office_services.store.path.parent
    data = b"".join(decrypted_data_folder(folder, PASSPHRASE, store_key_sql(folder, PASSPHRASE)).values())
    assert b"Keeperina" in data                                         # the pages were really decrypted
    for needle in ("Zebulon", "Qwertyxa", "Pinguinformular", "Elterncaf", "Elternsprechtag"):
        assert needle.encode() not in data, needle


def _press(qtbot, page, button):
    _tab_to(qtbot, page, button)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def _tab_to(qtbot, page, widget, limit=40):
    for _step in range(limit):
        if widget.hasFocus():
            return
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget!r}")


def test_the_whole_roster_by_keyboard_add_module_hours_correct_delete_rules_certificate_remove(
        qtbot, office_services, tmp_path, monkeypatch):
    from datetime import date

    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    from elternlotse.app import open_store
    from elternlotse.ui.tasks import TaskRunner
    from tests.conftest import PASSPHRASE

    office_services.roster.today = lambda: date(2026, 12, 2)
    page = _page(qtbot, NavigatorsPage, office_services)
    page.new_button.setFocus()
    qtbot.keyClick(page.new_button, Qt.Key.Key_Space)
    qtbot.keyClicks(page.name, "Leyla Demir")
    qtbot.keyClick(page.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.languages, "tr")
    _press(qtbot, page, page.save_button)
    [nav] = office_services.roster.list()

    _tab_to(qtbot, page, page.modules)                                   # module: the first one, Space ticks it
    qtbot.keyClick(page.modules, Qt.Key.Key_Home)
    qtbot.keyClick(page.modules, Qt.Key.Key_Space)
    assert len(office_services.roster.get(nav.id).modules) == 1

    _tab_to(qtbot, page, page.hours)                                     # hours: 2.5 h at a stand, 800 EUR
    page.hours.selectAll()
    qtbot.keyClicks(page.hours, "2.5")
    _tab_to(qtbot, page, page.activity)
    qtbot.keyClicks(page.activity, "Elterncafe")
    qtbot.keyClick(page.activity, Qt.Key.Key_Tab)
    qtbot.keyClick(page.allowance, Qt.Key.Key_Down)                      # Ehrenamtspauschale
    qtbot.keyClick(page.allowance, Qt.Key.Key_Tab)
    page.amount.selectAll()
    qtbot.keyClicks(page.amount, "800")
    _press(qtbot, page, page.hours_button)                                      # &Add hours
    assert "near the tax-free limit" in page.tallies.text()

    _tab_to(qtbot, page, page.hours_view)                                # correct it: 80 EUR, not 800
    assert _select_first_hours_row(qtbot, page) is not None
    _press(qtbot, page, page.edit_hours_button)                                      # &Edit hours...
    dialog = page.hours_dialog
    qtbot.waitUntil(dialog.form.hours.hasFocus)
    _tab_to(qtbot, dialog, dialog.form.amount)
    dialog.form.amount.selectAll()
    qtbot.keyClicks(dialog.form.amount, "80")
    qtbot.keyClick(dialog.form.amount, Qt.Key.Key_Return)
    [entry] = office_services.roster.view(nav.id).hours
    assert entry.amount_cents == 8_000 and "near" not in page.tallies.text()

    page.activateWindow()        # offscreen gives the window back only when asked
    qtbot.waitUntil(page.isActiveWindow)                                 # delete it, then Yes
    _tab_to(qtbot, page, page.hours_view)
    assert _select_first_hours_row(qtbot, page) is not None
    _press(qtbot, page, page.delete_hours_button)
    box = page.findChild(QMessageBox)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    qtbot.keyClick(box.button(QMessageBox.StandardButton.Yes), Qt.Key.Key_Space)
    assert office_services.roster.view(nav.id).hours == []
    box.deleteLater()

    page.activateWindow()        # offscreen gives the window back only when asked
    qtbot.waitUntil(page.isActiveWindow)
    _press(qtbot, page, page.rules_button)                                      # Office &rules...
    rules = page.rules_dialog
    qtbot.waitUntil(rules.years.hasFocus)
    qtbot.keyClicks(rules.years, "3")
    qtbot.keyClick(rules.years, Qt.Key.Key_Return)
    assert office_services.roster.rules().police_check_years == 3

    pdf = tmp_path / "leyla.pdf"                                         # Save &certificate as PDF...
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), "PDF (*.pdf)"))
    page.tasks = TaskRunner(lambda: open_store(office_services.store.path.parent, PASSPHRASE), page)
    page.activateWindow()        # offscreen gives the window back only when asked
    qtbot.waitUntil(page.isActiveWindow)
    _press(qtbot, page, page.certificate_button)
    qtbot.waitUntil(pdf.exists, timeout=20000)
    page.tasks.shutdown()

    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    _press(qtbot, page, page.remove_button)                                      # Re&move navigator..., then &Remove
    [box] = [b for b in page.findChildren(QMessageBox) if b.isVisible() and "roster?" in b.text()]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    remove = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    qtbot.keyClick(remove, Qt.Key.Key_Space)
    assert office_services.roster.list() == [] and page.model.rowCount() == 0
    page.activateWindow()
    qtbot.waitUntil(page.view.hasFocus)                                  # focus back on the list
