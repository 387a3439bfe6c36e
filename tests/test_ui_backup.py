"""Settings, "Back up..." and "Restore...": by keyboard, off the GUI thread, with the place confirmed."""

from __future__ import annotations

import pytest

from conftest import PASSPHRASE, TEST_KDF, family_document


@pytest.fixture
def page(qtbot, services, data_dir):
    from elternlotse.app import open_store
    from elternlotse.ui.pages.settings_page import SettingsPage
    from elternlotse.ui.tasks import TaskRunner

    page = SettingsPage(services)
    page.tasks = TaskRunner(lambda: open_store(data_dir, PASSPHRASE), page)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitExposed(page)
    yield page
    page.tasks.shutdown()


def test_back_up_by_keyboard_and_restore_into_a_new_folder(qtbot, page, services, tmp_path):
    from PySide6.QtCore import Qt

    from elternlotse.app import open_store

    family = services.families.add(family_document(name="Olena Kovalenko"))
    target = tmp_path / "stick" / "elternlotse.elbackup"
    target.parent.mkdir()
    box = page.backup_box
    box.ask_backup_file = lambda: str(target)
    messages: list[str] = []
    page.status_message.connect(messages.append)
    qtbot.keyClick(page, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)     # "&Back up..."
    qtbot.waitUntil(lambda: bool(box.result_label.text()), timeout=30000)
    assert target.is_file() and str(target) in box.result_label.text().replace("\u2068", "").replace("\u2069", "")
    assert messages and box.backup_button.isEnabled()

    fresh = tmp_path / "restored"
    fresh.mkdir()
    box.ask_restore = lambda: (str(target), str(fresh), PASSPHRASE)
    box.result_label.clear()
    _active_again(qtbot, page)
    qtbot.keyClick(page, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)     # "Res&tore..."
    qtbot.waitUntil(lambda: bool(box.result_label.text()), timeout=30000)
    assert "restored into" in box.result_label.text()
    restored = open_store(fresh, PASSPHRASE, key_derivation=TEST_KDF)
    try:
        assert restored.families.document(family.id) == services.families.document(family.id)
    finally:
        restored.store.close()
    assert services.families.exists(family.id)           # the open store was not touched


def _active_again(qtbot, page) -> None:
    """The progress dialog (shown when a task takes over 400 ms) took the activation; a person would be back
    in the window when they press the next key."""
    qtbot.waitUntil(lambda: not page.tasks.busy, timeout=30000)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5000)


def test_a_refused_restore_is_one_sentence_on_the_page(qtbot, page, tmp_path):
    from PySide6.QtCore import Qt

    bad = tmp_path / "bad.elbackup"
    bad.write_bytes(b"not a backup at all")
    box = page.backup_box
    box.ask_restore = lambda: (str(bad), str(tmp_path / "new"), PASSPHRASE)
    _active_again(qtbot, page)
    qtbot.keyClick(page, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(box.result_label.text()), timeout=30000)
    assert "not an Elternlotse backup" in box.result_label.text()
    assert not (tmp_path / "new").exists() and box.restore_button.isEnabled()
