"""The desktop app's composition root: data folder, language, first start or unlock, main window.

``run_desktop(args)`` is called by ``entry.py`` when no command is given.
``ELTERNLOTSE_PASSPHRASE`` (demos, screenshots) opens the store at start
without the unlock dialog; after an idle lock the passphrase is always asked.

Only what the unlock dialog needs is imported before it is shown; the main window,
its pages and the services are imported after "Unlock" (docs/performance.md,
"Desktop start-up").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from elternlotse import APP_NAME, __version__, app
from elternlotse import settings as settings_file
from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import translate_error
from elternlotse.ui.dialogs.unlock_dialog import UnlockDialog
from elternlotse.ui.i18n_qt import install_language
from elternlotse.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from elternlotse.store.keys import KeyDerivation
    from elternlotse.ui.main_window import MainWindow


def _production_key_derivation() -> KeyDerivation:
    from elternlotse.store.keys import PRODUCTION  # light (no SQLCipher), but not needed before the dialog

    return PRODUCTION


class Session(QObject):
    """One run of the desktop app: owns the open store while unlocked and the main window."""

    def __init__(self, qapp: QApplication, data_dir: Path, key_derivation: KeyDerivation | None = None) -> None:
        super().__init__(qapp)
        self.qapp = qapp
        self.data_dir = Path(data_dir)
        self._key_derivation = key_derivation  # None: production (looked up when first needed)
        self.settings = settings_file.load(self.data_dir)
        self.language = install_language(qapp, self.settings.ui_language)
        self.services = None
        self.window: MainWindow | None = None
        self._passphrase = ""
        qapp.aboutToQuit.connect(self.close)

    @property
    def key_derivation(self) -> KeyDerivation:
        """For new keys only (an existing key file says how to open); tests pass a cheap one.

        Resolved on first use: ``store.keys`` imports the store package, and nothing of the store
        may load before the unlock dialog is on screen (start-up)."""
        if self._key_derivation is None:
            self._key_derivation = _production_key_derivation()
        return self._key_derivation

    # ---------------------------------------------------------------- start
    def start(self) -> bool:
        """First start or unlock, then the main window; False when the person cancelled."""
        given = os.environ.get(app.PASSPHRASE_ENV, "")
        if app.store_exists(self.data_dir):
            services = None
            if given:
                try:
                    services = app.open_store(self.data_dir, given, key_derivation=self.key_derivation)
                except ElternlotseError:
                    services = None
            if services is None:
                dialog = UnlockDialog(self.data_dir, opener=open_for_window, while_waiting=import_window,
                                      key_derivation=self._key_derivation)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return False
                services, given = dialog.services, dialog.passphrase
        else:
            from elternlotse.ui.dialogs.first_start_dialog import ask_first_start

            dialog = ask_first_start(self.data_dir, given, self.choose_language, key_derivation=self.key_derivation)
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
        from elternlotse.ui.main_window import MainWindow

        self.services, self._passphrase = services, passphrase
        store = services.store
        runner = TaskRunner(lambda: app.Services(store.reopen()))  # the worker's own connection, no second derivation
        window = MainWindow(services, runner, self.settings.idle_lock_minutes)
        window.lock_requested.connect(self.lock)
        window.settings_changed.connect(self.apply_settings)
        window.passphrase_change_requested.connect(self.change_passphrase)
        if page:
            window.show_page(page)
        self.window = window
        for notice in services.store.notices:  # e.g. permissions repaired: said once
            window.statusBar().showMessage(translate_error(notice, isolate=True), 20000)
        services.store.notices.clear()
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
        dialog = UnlockDialog(self.data_dir, locked_after_idle=after_idle, locked=not after_idle, opener=open_for_window,
                              key_derivation=self._key_derivation)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.qapp.setQuitOnLastWindowClosed(True)
        if not accepted:
            self.close()
            self.qapp.quit()
            return
        services.store.adopt(dialog.services.store)
        self._passphrase = dialog.passphrase
        store = services.store
        window.resume(lambda: app.Services(store.reopen()), self.settings.idle_lock_minutes)  # no second derivation
        window.show()
        window.raise_()
        window.activateWindow()

    def change_passphrase(self) -> None:
        """Close the window and the store (the key switch needs sole access), ask, reopen on the same page."""
        from elternlotse.ui.dialogs.passphrase_dialog import PassphraseDialog

        if self.window is None:
            return
        old = self._passphrase
        self.qapp.setQuitOnLastWindowClosed(False)
        page = self._close_window()
        self.close()
        dialog = PassphraseDialog(self.data_dir, key_derivation=self.key_derivation)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            services, passphrase = dialog.services, dialog.passphrase
        else:
            services, passphrase = app.open_store(self.data_dir, old, key_derivation=self.key_derivation), old
        self.open_window(services, passphrase, page)
        self.qapp.setQuitOnLastWindowClosed(True)

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


def open_for_window(data_dir: Path, passphrase: str):
    """Open the store (off the GUI thread) and read what the first page shows into its cache."""
    services = app.open_store(data_dir, passphrase)
    try:
        services.family_list.warm_up()
    except BaseException:
        services.store.close()  # the dialog reports the error; no connection is left open
        raise
    return services


def import_window() -> None:
    """Import the main window and its first page, on the GUI thread while the key is derived.

    Also loads what the first page computes once per process: the UI language's CLDR
    data (status bar) and the German phone metadata (phone column).
    """
    from elternlotse.ui.pages import registry

    entries = registry.pages()
    if entries:
        entries[0].load()  # first: it brings the list service the background thread needs after the key
    from elternlotse.domain.contact import display_phone
    from elternlotse.i18n import active_language
    from elternlotse.i18n.languages import language
    from elternlotse.ui import main_window  # noqa: F401 - imported for its side effect: loaded modules

    language(active_language())
    display_phone("+4917612345678")


def make_application(argv: list[str] | None = None) -> QApplication:
    qapp = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationVersion(__version__)
    qapp.setOrganizationName(APP_NAME)
    return qapp


def run_desktop(args) -> int:
    data_dir = app.resolve_data_dir(getattr(args, "data_dir", None))
    qapp = make_application()
    from elternlotse.ui.error_reporting import install_error_reporting

    install_error_reporting(qapp, data_dir)  # uncaught errors: log + one dialog (docs/architecture.md)
    session = Session(qapp, data_dir)
    if not session.start():
        session.close()
        return 0
    return qapp.exec()
