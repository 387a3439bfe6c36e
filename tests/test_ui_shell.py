"""Desktop shell: first start, unlock, idle lock, main window navigation."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from elternlotse import settings as settings_file
from elternlotse.app import open_store
from elternlotse.store import Store
from elternlotse.ui.dialogs.first_start_dialog import FirstStartDialog
from elternlotse.ui.dialogs.unlock_dialog import UnlockDialog
from elternlotse.ui.main_window import MainWindow
from elternlotse.ui.pages import registry
from elternlotse.ui.start import Session
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE, TEST_KDF


def _fill_first_start(qtbot, dialog, passphrase, repeat, name="Ayla Navigator"):
    for edit, text in ((dialog.passphrase_edit, passphrase), (dialog.repeat_edit, repeat), (dialog.name_edit, name),
                       (dialog.organisation_edit, "KoKo Hagen")):
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)


def test_first_start_creates_the_store_once(qtbot, data_dir):
    dialog = FirstStartDialog(data_dir, key_derivation=TEST_KDF)
    qtbot.addWidget(dialog)
    _fill_first_start(qtbot, dialog, "short", "short")
    assert "at least 8" in dialog.error_label.text()
    _fill_first_start(qtbot, dialog, PASSPHRASE, PASSPHRASE + "x")
    assert "differ" in dialog.error_label.text()
    assert not Store.exists(data_dir)

    _fill_first_start(qtbot, dialog, PASSPHRASE, PASSPHRASE)
    qtbot.waitUntil(lambda: dialog.services is not None, timeout=15000)
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    info = dialog.services.store.info
    assert (info.name, info.organisation, info.role) == ("Ayla Navigator", "KoKo Hagen", "navigator")
    dialog.services.store.close()

    again = FirstStartDialog(data_dir, key_derivation=TEST_KDF)
    qtbot.addWidget(again)
    _fill_first_start(qtbot, again, "another passphrase", "another passphrase", name="Someone Else")
    qtbot.waitUntil(lambda: again.create_button.isEnabled(), timeout=15000)
    assert again.services is None
    assert "already exists" in again.error_label.text()
    services = open_store(data_dir, PASSPHRASE)  # the first store is untouched
    assert services.store.info.name == "Ayla Navigator"
    services.store.close()


def test_unlock_wrong_then_right(qtbot, services, data_dir):
    dialog = UnlockDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase_edit, "not the passphrase")
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.attempts == 1, timeout=15000)
    assert dialog.isVisible() and dialog.services is None
    assert "wrong" in dialog.error_label.text()

    dialog.passphrase_edit.clear()
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.services is not None, timeout=15000)
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.services.store.info.name == "Ayla Navigator"
    dialog.services.store.close()


def test_main_window_lists_every_registered_page(qtbot, services, data_dir):
    window = MainWindow(services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [cls.page_title() for cls in registry.page_classes()]
    for index in range(len(titles)):
        window.show_page(index)
        assert type(window.current_page()) is registry.page_classes()[index]
    assert "Ayla Navigator" in window.identity.text()
    window.shutdown()


def _answer_unlock(qtbot, passphrase, while_locked=None):
    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnlockDialog):
            QTimer.singleShot(50, answer)
            return
        if while_locked is not None:
            while_locked()
        dialog.passphrase_edit.setText(passphrase)
        dialog.unlock()
    QTimer.singleShot(50, answer)


def test_idle_lock_closes_the_store_and_unlock_reopens_it(qtbot, services, data_dir, monkeypatch):
    services.store.close()
    settings_file.save(data_dir, settings_file.Settings(idle_lock_minutes=1))
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", PASSPHRASE)
    session = Session(QApplication.instance(), data_dir)
    assert session.start()  # the environment's passphrase skips the unlock dialog
    first = session.window
    assert first.idle.minutes == 1
    first.idle.timer.setInterval(30)
    first.idle.timer.start()
    old_store = session.services.store
    locked = {}

    def while_locked():
        locked.update(services=session.services, passphrase=session._passphrase, window=session.window)

    _answer_unlock(qtbot, PASSPHRASE, while_locked)
    qtbot.waitUntil(lambda: session.window is not None and session.window is not first, timeout=15000)
    assert old_store.closed
    assert locked == {"services": None, "passphrase": "", "window": None}  # nothing open, nothing kept
    assert session.services.store is not old_store and not session.services.store.closed
    session.close()
    session.window.close()


def test_no_command_starts_the_desktop_app(qtbot, qapp, services, data_dir, monkeypatch):
    from PySide6.QtCore import QEventLoop

    from elternlotse import entry

    services.store.close()
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", PASSPHRASE)
    # A real QApplication.quit() would end every later event loop of the test session,
    # so the app's main loop is a local event loop here.
    loop = QEventLoop()
    monkeypatch.setattr(qapp, "exec", loop.exec, raising=False)
    seen = {}

    def look():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen["windows"] = windows
        seen["title"] = windows[0].windowTitle() if windows else ""
        seen["pages"] = windows[0].nav.count() if windows else 0
        seen["store"] = windows[0].services.store if windows else None
        for window in windows:
            window.close()
        loop.quit()

    QTimer.singleShot(200, look)
    assert entry.main(["--data-dir", str(data_dir)]) == 0
    assert len(seen["windows"]) == 1 and seen["title"] == "Elternlotse"
    assert seen["pages"] == len(registry.page_classes())
    seen["store"].close()


def test_idle_lock_ends_an_open_message_box_first(qtbot, services, data_dir, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    services.store.close()
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", PASSPHRASE)
    session = Session(QApplication.instance(), data_dir)
    assert session.start()
    first = session.window
    answers = {}

    def ask():  # a slot that waits in a message box when the idle time runs out
        first.idle.timer.setInterval(30)
        first.idle.timer.start()
        answers["box"] = QMessageBox.question(first, "Erase", "Really?")

    QTimer.singleShot(0, ask)
    _answer_unlock(qtbot, PASSPHRASE)
    qtbot.waitUntil(lambda: session.window is not None and session.window is not first, timeout=15000)
    assert "box" in answers  # the box's own event loop ended before the lock
    session.close()
    session.window.close()


def test_open_family_from_another_page_shows_it_on_the_families_page(qtbot, services, data_dir):
    from elternlotse.ui.pages.families_page import FamiliesPage
    from tests.conftest import family_document

    family = services.families.add(family_document())
    window = MainWindow(services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
    qtbot.addWidget(window)
    window.show_page(len(window.page_types) - 1)
    window.open_family(family.id)  # what quick capture's duplicate warning asks for
    page = window.current_page()
    assert isinstance(page, FamiliesPage)
    assert page.stack.currentWidget() is page.detail and page.detail.family_id == family.id
    window.shutdown()
