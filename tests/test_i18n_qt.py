"""Qt side of the UI language: RTL main window, qtbase translations, QLocale, QCollator, language switch."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from elternlotse import i18n
from elternlotse import settings as settings_file
from elternlotse.app import open_store
from elternlotse.i18n.compile import compile_all
from elternlotse.i18n.languages import PARENT_LANGUAGES, UI_LANGUAGES, language
from elternlotse.ui import i18n_qt
from elternlotse.ui.main_window import MainWindow
from elternlotse.ui.pages import registry
from elternlotse.ui.pages.settings_page import SettingsPage
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE


@pytest.fixture
def ui_language(qapp):
    """Switch the whole UI language for one test; English and LTR again afterwards."""
    compile_all()
    before = QLocale()

    def switch(tag: str) -> str:
        return i18n_qt.install_language(qapp, tag)

    yield switch
    i18n_qt.install_language(qapp, "en")
    QLocale.setDefault(before)
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def _window(services, data_dir) -> MainWindow:
    return MainWindow(services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))


def test_main_window_in_arabic_is_right_to_left(qtbot, services, data_dir, ui_language):
    assert ui_language("ar") == "ar"
    window = _window(services, data_dir)
    qtbot.addWidget(window)
    window.show()
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.isRightToLeft() and window.nav.isRightToLeft()
    # mirrored: the navigation list sits at the right edge, the pages to its left
    assert window.nav.mapTo(window, window.nav.rect().topLeft()).x() > window.stack.mapTo(window, window.stack.rect().topLeft()).x()
    # Qt's own texts come from qtbase_ar
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") not in ("", "Cancel")
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert i18n._("Settings") in titles


def test_main_window_in_german_and_ukrainian_is_left_to_right(qtbot, services, data_dir, ui_language):
    for tag in ("de", "uk"):
        ui_language(tag)
        window = _window(services, data_dir)
        qtbot.addWidget(window)
        assert not window.isRightToLeft()
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") in ("Abbrechen", "Скасувати")


@pytest.mark.parametrize("tag", UI_LANGUAGES)
def test_every_ui_language_resolves_in_qlocale(tag):
    loc = i18n_qt.qt_locale(tag)
    assert loc.language() != QLocale.Language.C
    assert loc.name().split("_")[0] == tag
    expected = Qt.LayoutDirection.RightToLeft if language(tag).rtl else Qt.LayoutDirection.LeftToRight
    assert loc.textDirection() == expected == i18n_qt.layout_direction(tag)


@pytest.mark.parametrize("tag", PARENT_LANGUAGES)
def test_every_parent_language_resolves_in_qlocale(tag):
    loc = i18n_qt.qt_locale(tag)
    assert loc.language() not in (QLocale.Language.C, QLocale.Language.AnyLanguage), tag
    assert (loc.textDirection() == Qt.LayoutDirection.RightToLeft) == language(tag).rtl, tag


def test_qt_translations_exist_for_every_ui_language(qapp, ui_language):
    for tag in UI_LANGUAGES:
        ui_language(tag)
        found = qapp.findChildren(i18n_qt.QTranslator, i18n_qt.QT_TRANSLATOR_NAME)
        assert len(found) == 1, tag  # replaced, never stacked


def test_names_sorted_with_qcollator():
    names = ["Zeynep", "Ömer", "ali", "Çelik", "Irmak", "İpek", "Ozan", "Cem"]
    assert i18n_qt.sorted_names(names, tag="tr") == ["ali", "Cem", "Çelik", "Irmak", "İpek", "Ozan", "Ömer", "Zeynep"]
    assert i18n_qt.sorted_names(["Klasse 10", "Ärger", "Klasse 9", "Zorn"], tag="de") == ["Ärger", "Klasse 9", "Klasse 10", "Zorn"]
    choices = i18n_qt.language_choices(["uk", "de", "tr", "en"], tag="de")
    assert [tag for _name, tag in choices] == ["de", "en", "tr", "uk"]


def test_item_alignment_is_leading_so_it_mirrors():
    from PySide6.QtWidgets import QListWidgetItem

    item = QListWidgetItem("Gesamtschule Haspe")
    i18n_qt.align_leading(item)
    assert item.textAlignment() & Qt.AlignmentFlag.AlignLeading


def _click_when_shown(qtbot, text_of_button):
    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        for button in box.buttons():
            if button.text() == text_of_button:
                button.click()
                return
        box.reject()

    QTimer.singleShot(0, click)


def test_language_switch_from_settings_page_rebuilds_the_window(qtbot, services, data_dir, ui_language, qapp):
    from elternlotse.ui.start import Session

    services.store.close()
    session = Session(qapp, data_dir)
    assert session.language == "en"
    window = session.open_window(open_store(data_dir, PASSPHRASE), PASSPHRASE)
    index = window.page_types.index(SettingsPage)
    window.show_page(index)
    page = window.current_page()
    assert isinstance(page, SettingsPage)
    page.language_combo.setCurrentIndex(page.language_combo.findData("ar"))
    _click_when_shown(qtbot, "Switch now")
    qtbot.mouseClick(page.apply_language_button, Qt.MouseButton.LeftButton)
    try:
        assert settings_file.load(data_dir).ui_language == "ar"
        assert session.language == "ar" and i18n.active_language() == "ar"
        assert session.window is not window  # rebuilt
        assert session.window.isRightToLeft()
        assert session.window.stack.currentIndex() == index  # same page shown again
        assert session.services.store.info.name == "Ayla Navigator"  # store still open
    finally:
        session.close()
        if session.window is not None:
            session.window.hide()
            session.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # no stray window for later tests


def test_language_switch_waits_when_a_page_has_unsaved_entries(qtbot, services, data_dir, ui_language, monkeypatch):
    class Draft(QWidget):
        @staticmethod
        def page_title():
            return "Quick capture"

        def __init__(self, services, parent=None):
            super().__init__(parent)

        def refresh(self):
            pass

        def has_unsaved_changes(self):
            return True

    monkeypatch.setattr(registry, "pages", lambda: [registry.PageEntry.of(Draft), registry.PageEntry.of(SettingsPage)])
    window = _window(services, data_dir)
    qtbot.addWidget(window)
    window.show_page(0)
    window.show_page(1)
    page = window.current_page()
    assert page.unsaved_pages() == ["Quick capture"]
    emitted = []
    window.settings_changed.connect(lambda new, now: emitted.append((new.ui_language, now)))
    seen = {}

    def inspect():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, inspect)
            return
        now = [b for b in box.buttons() if b.text() == "Switch now"][0]
        seen["enabled"] = now.isEnabled()
        seen["text"] = box.informativeText()
        [b for b in box.buttons() if b.text() == "At next start"][0].click()

    QTimer.singleShot(0, inspect)
    page.language_combo.setCurrentIndex(page.language_combo.findData("tr"))
    qtbot.mouseClick(page.apply_language_button, Qt.MouseButton.LeftButton)
    assert seen["enabled"] is False and "Quick capture" in seen["text"]
    assert emitted == [("tr", False)]
    assert settings_file.load(data_dir).ui_language == "tr"
    assert i18n.active_language() == "en"  # unchanged until the next start


def test_settings_page_saves_idle_minutes(qtbot, services, data_dir):
    page = SettingsPage(services)
    qtbot.addWidget(page)
    changed = []
    page.settings_changed.connect(lambda new, now: changed.append((new.idle_lock_minutes, now)))
    page.idle_spin.setValue(25)
    page.idle_spin.editingFinished.emit()
    assert settings_file.load(data_dir).idle_lock_minutes == 25
    assert changed == [(25, False)]
    assert page.organisation_edit.text() == "KoKo Hagen"


def test_settings_page_in_arabic_lists_languages_by_own_name(qtbot, services, ui_language):
    ui_language("ar")
    page = SettingsPage(services)
    qtbot.addWidget(page)
    names = [page.language_combo.itemText(i) for i in range(1, page.language_combo.count())]
    assert "العربية" in names and "Türkçe" in names and "Українська" in names
    assert page.isRightToLeft()
    page.resize(900, 600)
    page.show()
    assert page.formats_label.text()  # Babel formats for the UI language


def test_a_typed_but_unsaved_field_counts_as_unsaved_work(qtbot):
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    from elternlotse.ui.pages.settings_page import page_has_unsaved_entries

    page = QWidget()
    edit = QLineEdit()
    QVBoxLayout(page).addWidget(edit)
    qtbot.addWidget(page)
    assert not page_has_unsaved_entries(page)
    qtbot.keyClicks(edit, "Ayse Yilmaz")  # QTest types ASCII only
    assert page_has_unsaved_entries(page)
    edit.setText("")  # saved and cleared by the page
    assert not page_has_unsaved_entries(page)
