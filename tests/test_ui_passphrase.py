"""The strength hint at first start and the passphrase change from the Settings page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from elternlotse.app import open_store
from elternlotse.domain.errors import WrongPassphraseError
from elternlotse.services import passphrase as rules
from elternlotse.ui.dialogs.first_start_dialog import FirstStartDialog
from elternlotse.ui.dialogs.passphrase_dialog import PassphraseDialog
from elternlotse.ui.pages.settings_page import SettingsPage
from elternlotse.ui.start import Session
from tests.conftest import PASSPHRASE, TEST_KDF, family_document

NEW = "Anker Wolke Treppe Seife Kamel"


def test_first_start_shows_strength_refuses_weak_and_suggests_words(qtbot, data_dir):
    dialog = FirstStartDialog(data_dir, key_derivation=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()
    label = dialog.hint.strength_label
    qtbot.keyClicks(dialog.passphrase_edit, "aaaaaaaa")
    weak_text = label.text()
    assert weak_text == rules.STRENGTH_LABELS[rules.strength("aaaaaaaa").score]
    qtbot.keyClicks(dialog.repeat_edit, "aaaaaaaa")
    qtbot.keyClicks(dialog.name_edit, "Ayla Navigator")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert "too easy to guess" in dialog.error_label.text()
    assert dialog.services is None and not (data_dir / "elternlotse.db").exists()

    qtbot.mouseClick(dialog.hint.suggest_button, Qt.MouseButton.LeftButton)
    words = dialog.passphrase_edit.text()
    assert len(words.split()) == rules.SUGGESTED_WORDS and dialog.repeat_edit.text() == words
    assert words in dialog.hint.suggestion_label.text().replace("\u2068", "").replace("\u2069", "")
    assert label.text() != weak_text
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.services is not None, timeout=15000)
    dialog.services.store.close()
    open_store(data_dir, words).store.close()


def test_passphrase_dialog_refuses_then_changes(qtbot, services, data_dir):
    services.families.add(family_document())
    services.store.close()
    dialog = PassphraseDialog(data_dir, key_derivation=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.focusWidget() is dialog.current_edit or QApplication.focusWidget() is dialog.current_edit
    qtbot.keyClicks(dialog.current_edit, "wrong but long enough")
    qtbot.keyClicks(dialog.new_edit, NEW)
    qtbot.keyClicks(dialog.repeat_edit, NEW)
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.change_button.isEnabled() and not dialog.error_label.isHidden(), timeout=15000)
    assert "current passphrase is wrong" in dialog.error_label.text()
    assert dialog.current_edit.text() == "" and dialog.services is None

    qtbot.keyClicks(dialog.current_edit, PASSPHRASE)
    dialog.new_edit.clear()
    dialog.repeat_edit.clear()
    qtbot.keyClicks(dialog.new_edit, "aaaaaaaa")
    qtbot.keyClicks(dialog.repeat_edit, "aaaaaaaa")
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    assert "too easy to guess" in dialog.error_label.text()

    dialog.new_edit.clear()
    dialog.repeat_edit.clear()
    qtbot.keyClicks(dialog.new_edit, NEW)
    qtbot.keyClicks(dialog.repeat_edit, NEW)
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.services is not None, timeout=15000)
    assert dialog.passphrase == NEW and dialog.services.families.count() == 1
    dialog.services.store.close()
    with pytest.raises(WrongPassphraseError):
        open_store(data_dir, PASSPHRASE)


def test_settings_button_changes_the_passphrase_and_reopens_the_window(qtbot, services, data_dir, monkeypatch):
    services.families.add(family_document())
    services.store.close()
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", PASSPHRASE)
    session = Session(QApplication.instance(), data_dir, key_derivation=TEST_KDF)
    assert session.start()
    first = session.window
    index = [i for i, cls in enumerate(first.page_types) if cls is SettingsPage][0]
    first.show_page(index)
    page = first.current_page()

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(50, answer)
            return
        qtbot.keyClicks(dialog.current_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.new_edit, NEW)
        qtbot.keyClicks(dialog.repeat_edit, NEW)
        qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)

    QTimer.singleShot(50, answer)
    qtbot.mouseClick(page.passphrase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.window is not None and session.window is not first, timeout=15000)
    assert session._passphrase == NEW and session.window.stack.currentIndex() == index
    assert session.services.families.count() == 1
    session.close()
    session.window.close()
    with pytest.raises(WrongPassphraseError):
        open_store(data_dir, PASSPHRASE)
    open_store(data_dir, NEW).store.close()
