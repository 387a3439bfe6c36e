"""The desktop app's composition root: data folder, language, first start or unlock, main window.

``run_desktop(args)`` is called by ``entry.py`` when no command is given.
``ELTERNLOTSE_PASSPHRASE`` (demos, screenshots) opens the store at start
without the unlock dialog; after an idle lock the passphrase is always asked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from elternlotse import APP_NAME, __version__, app
from elternlotse import settings as settings_file
from elternlotse.domain.errors import ElternlotseError
from elternlotse.store import Store
from elternlotse.ui.dialogs.first_start_dialog import ask_first_start
from elternlotse.ui.dialogs.unlock_dialog import UnlockDialog
from elternlotse.ui.i18n_qt import install_language
from elternlotse.ui.main_window import MainWindow
from elternlotse.ui.tasks import TaskRunner


class Session(QObject):
    """One run of the desktop app: owns the open store while unlocked and the main window."""

    def __init__(self, qapp: QApplication, data_dir: Path) -> None:
        super().__init__(qapp)
        self.qapp = qapp
        self.data_dir = Path(data_dir)
        self.settings = settings_file.load(self.data_dir)
        self.language = install_language(qapp, self.settings.ui_language)
        self.services = None
        self.window: MainWindow | None = None
        self._passphrase = ""
        qapp.aboutToQuit.connect(self.close)

    # ---------------------------------------------------------------- start
    def start(self) -> bool:
        """First start or unlock, then the main window; False when the person cancelled."""
        given = os.environ.get(app.PASSPHRASE_ENV, "")
        if Store.exists(self.data_dir):
            services = None
            if given:
                try:
                    services = app.open_store(self.data_dir, given)
                except ElternlotseError:
                    services = None
            if services is None:
                dialog = UnlockDialog(self.data_dir)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return False
                services, given = dialog.services, dialog.passphrase
        else:
            dialog = ask_first_start(self.data_dir, given, self.choose_language)
            if dialog is None:
                return False
            services, given = dialog.services, dialog.passphrase
        self.open_window(services, given)
        return True

    def choose_language(self, tag: str) -> None:
        """The UI language chosen before a store exists (first start): saved and installed at once."""
        self.settings = self.settings.with_value("ui_language", tag)
        settings_file.save(self.data_dir, self.settings)
        self.language = install_language(self.qapp, tag)

    def open_window(self, services, passphrase: str, page: int = 0) -> MainWindow:
        self.services, self._passphrase = services, passphrase
        data_dir = self.data_dir
        runner = TaskRunner(lambda: app.open_store(data_dir, passphrase))
        window = MainWindow(services, runner, self.settings.idle_lock_minutes)
        window.lock_requested.connect(self.lock)
        window.settings_changed.connect(self.apply_settings)
        if page:
            window.show_page(page)
        self.window = window
        screen = window.screen().availableGeometry() if window.screen() else None
        if screen is not None and (screen.width() < 1500 or screen.height() < 900):
            window.showMaximized()  # a navigator's 1366x768 laptop: use all of it
        else:
            window.show()
        return window

    # ---------------------------------------------------------------- lock
    def _close_window(self) -> int:
        page = 0
        if self.window is not None:
            page = max(self.window.stack.currentIndex(), 0)
            self.window.shutdown()
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        return page

    def lock(self, after_idle: bool = True) -> None:
        """Hide the window, close the store, forget the passphrase, ask for it again.

        The window and its pages are kept (hidden while locked): a half-typed family
        is still there after unlocking.  The store object stays too and takes over
        the connection the unlock dialog opened, so every page's services work again.
        """
        if self.window is None or self.services is None:
            return
        modal = QApplication.activeModalWidget() or QApplication.activePopupWidget()
        if modal is not None:
            # A message box or file dialog has its own event loop: end it first, lock right after.
            modal.close()
            QTimer.singleShot(0, lambda: self.lock(after_idle))
            return
        self.qapp.setQuitOnLastWindowClosed(False)
        window, services = self.window, self.services
        window.suspend()
        window.hide()
        services.store.close()
        self._passphrase = ""
        dialog = UnlockDialog(self.data_dir, locked_after_idle=after_idle, locked=not after_idle)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.qapp.setQuitOnLastWindowClosed(True)
        if not accepted:
            self.close()
            self.qapp.quit()
            return
        services.store.adopt(dialog.services.store)
        self._passphrase = passphrase = dialog.passphrase
        data_dir = self.data_dir
        window.resume(lambda: app.open_store(data_dir, passphrase), self.settings.idle_lock_minutes)
        window.show()
        window.raise_()
        window.activateWindow()

    def apply_settings(self, new: settings_file.Settings, switch_language_now: bool = True) -> None:
        """From the Settings page (already saved): idle time at once; the language by rebuilding the window."""
        from elternlotse.ui.i18n_qt import resolve_language

        self.settings = new
        if self.window is not None:
            self.window.idle.set_minutes(new.idle_lock_minutes)
        if switch_language_now and resolve_language(new.ui_language) != self.language and self.window is not None:
            # Rebuild the window so every string is built again in the new language.
            self.qapp.setQuitOnLastWindowClosed(False)
            services, passphrase = self.services, self._passphrase
            page = self._close_window()
            self.language = install_language(self.qapp, new.ui_language)
            self.open_window(services, passphrase, page)
            self.qapp.setQuitOnLastWindowClosed(True)

    def close(self) -> None:
        if self.window is not None:
            self.window.shutdown()
        if self.services is not None:
            self.services.store.close()
            self.services = None
        self._passphrase = ""


def make_application(argv: list[str] | None = None) -> QApplication:
    qapp = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationVersion(__version__)
    qapp.setOrganizationName(APP_NAME)
    return qapp


def run_desktop(args) -> int:
    data_dir = app.resolve_data_dir(getattr(args, "data_dir", None))
    qapp = make_application()
    session = Session(qapp, data_dir)
    if not session.start():
        session.close()
        return 0
    return qapp.exec()
