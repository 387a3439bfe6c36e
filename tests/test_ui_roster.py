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
