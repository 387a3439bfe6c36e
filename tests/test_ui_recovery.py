"""The recovery key in the window (Settings, first start, "Forgot passphrase?") and "Revoke key..." on the Sync page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from conftest import PASSPHRASE, TEST_KDF, family_document
from elternlotse.app import create_store, open_store
from elternlotse.services.recovery import has_recovery_key
from elternlotse.ui.dialogs.first_start_dialog import FirstStartDialog
from elternlotse.ui.dialogs.recovery_key_dialog import RecoveryKeyDialog
from elternlotse.ui.dialogs.unlock_dialog import UnlockDialog
from elternlotse.ui.pages.settings_page import SettingsPage
from elternlotse.ui.pages.sync_page import SyncPage
from elternlotse.i18n import install
from elternlotse.ui.i18n_qt import install_language
from sync_helpers import link, send, shared_document
from tests.test_ui_keyboard_walk import LANGUAGES, _window, duplicates, mnemonics_of

NEW = "Anker Wolke Treppe Seife Kamel"


def _make_key(qtbot, dialog, sheet) -> str:
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(sheet))
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dialog.key), timeout=15000)
    assert dialog.key and dialog.key in dialog.result_label.text().replace("\u2066", "").replace("\u2069", "")
    assert sheet.read_bytes().startswith(b"%PDF")
    return dialog.key


def test_settings_recovery_key_then_forgot_passphrase_in_the_unlock_dialog(qtbot, services, data_dir, tmp_path):
    services.families.add(family_document())
    page = SettingsPage(services)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.recovery_button, Qt.MouseButton.LeftButton)
    dialog = page.recovery_dialog
    assert isinstance(dialog, RecoveryKeyDialog)
    key = _make_key(qtbot, dialog, tmp_path / "sheet.pdf")
    assert has_recovery_key(services.store) and not dialog.create_button.isEnabled()
    dialog.accept()
    services.store.close()

    unlock = UnlockDialog(data_dir, key_derivation=TEST_KDF)
    qtbot.addWidget(unlock)
    unlock.show()
    qtbot.mouseClick(unlock.forgot_button, Qt.MouseButton.LeftButton)
    recover = unlock.recover_dialog
    assert "cannot be opened" in " ".join(w.text() for w in recover.findChildren(type(recover.error_label)))
    broken = key[:7] + ("Z" if key[7] != "Z" else "Y") + key[8:]
    qtbot.keyClicks(recover.key_edit, broken)
    qtbot.keyClicks(recover.new_edit, NEW)
    qtbot.keyClicks(recover.repeat_edit, NEW)
    qtbot.keyClick(recover.repeat_edit, Qt.Key.Key_Return)
    assert "group 2" in recover.error_label.text() and recover.services is None
    assert recover.focusWidget() is recover.key_edit
    recover.key_edit.clear()
    qtbot.keyClicks(recover.key_edit, key.lower())
    qtbot.keyClick(recover.repeat_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: unlock.services is not None, timeout=20000)
    assert unlock.passphrase == NEW and unlock.services.families.count() == 1
    unlock.services.store.close()
    open_store(data_dir, NEW, key_derivation=TEST_KDF).store.close()


def test_first_start_offers_a_recovery_key(qtbot, data_dir, tmp_path):
    dialog = FirstStartDialog(data_dir, key_derivation=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase_edit, NEW)
    qtbot.keyClicks(dialog.repeat_edit, NEW)
    qtbot.keyClicks(dialog.name_edit, "Ayla Navigator")
    dialog.recovery_check.setFocus()
    qtbot.keyClick(dialog.recovery_check, Qt.Key.Key_Space)
    assert dialog.recovery_check.isChecked()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.recovery_dialog is not None, timeout=15000)
    _make_key(qtbot, dialog.recovery_dialog, tmp_path / "first.pdf")
    qtbot.keyClick(dialog.recovery_dialog.close_button, Qt.Key.Key_Space)
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    assert has_recovery_key(dialog.services.store)
    dialog.services.store.close()


def test_sync_page_revokes_and_hands_families_over(qtbot, tmp_path):
    office = create_store(tmp_path / "office", PASSPHRASE, "KoKo Hagen", office=True, key_derivation=TEST_KDF)
    a = create_store(tmp_path / "a", PASSPHRASE, "Lotsin A", key_derivation=TEST_KDF)
    c = create_store(tmp_path / "c", PASSPHRASE, "Lotse C", key_derivation=TEST_KDF)
    try:
        for nav in (a, c):
            link(nav, office)
        family = a.families.add(shared_document())
        office.sync.import_files([send(a, office, tmp_path, "a1.elsync")])
        page = SyncPage(office)
        qtbot.addWidget(page)
        row = next(r for r in range(page.peer_model.rowCount()) if page.peer_model.row_at(r).name == "Lotsin A")
        page.peer_view.selectRow(page.peer_proxy.mapFromSource(page.peer_model.index(row, 0)).row())
        assert page.revoke_button.isEnabled()
        assert not page.revoke_selected(lambda peer: (False, ""))
        assert not office.sync.peer(a.store.info.node_id).revoked
        assert page.revoke_selected(lambda peer: (True, "Laptop verloren"))
        peer = office.sync.peer(a.store.info.node_id)
        assert peer.revoked and peer.revoked_reason == "Laptop verloren"
        assert "revoked" in page.peer_model.value(peer, page.peer_model.ROLE)
        row = next(r for r in range(page.peer_model.rowCount()) if page.peer_model.row_at(r).name == "Lotsin A")
        page.peer_view.selectRow(page.peer_proxy.mapFromSource(page.peer_model.index(row, 0)).row())
        assert not page.revoke_button.isEnabled() and page.handover_button.isEnabled()
        offered = []
        changed = page.hand_over_selected(lambda source, candidates: offered.extend(candidates) or candidates[0].node_id)
        assert changed == [family.id] and [p.name for p in offered] == ["Lotse C"]
        assert office.sync.owner_of(family.id) == c.store.info.node_id
    finally:
        for s in (office, a, c):
            s.store.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_office_sync_page_mnemonics_are_unique_in_every_language(qtbot, qapp, office_services, tmp_path, language):
    """The office's Sync page has "Revoke key..." and "Hand families over..." (a navigator's page has neither)."""
    install_language(qapp, language)
    try:
        window = _window(office_services, tmp_path / "office")
        qtbot.addWidget(window)
        window.show()
        index = next(i for i, cls in enumerate(window.page_types) if cls.__name__ == "SyncPage")
        window.show_page(index)
        page = window.current_page()
        assert page.revoke_button.isVisibleTo(window) and page.handover_button.isVisibleTo(window)
        clash = duplicates(mnemonics_of(window, window.menuBar()))
        window.shutdown()
        assert clash == {}
    finally:
        install_language(qapp, "en")
        install("en")
