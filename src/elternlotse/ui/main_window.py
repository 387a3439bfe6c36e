"""The main window: navigation between the registered pages, menu, status bar.  No business logic.

Pages come from ``ui.pages.registry.pages()``; a page's module is imported and
the page built the first time it is shown (start-up stays fast however many
pages there are).  A page gets ``refresh()`` each time it is shown.  Pages find the window's background runner with
``ui.tasks.runner_for(self)``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from elternlotse import __version__
from elternlotse.i18n import _
from elternlotse.i18n.formatting import isolate, join_list, ui_paragraph
from elternlotse.ui.pages import registry
from elternlotse.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                 QEvent.Type.TouchBegin, QEvent.Type.InputMethod}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without keyboard or mouse input (0 = never)."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.timer.stop()
        if minutes > 0:
            self.timer.setInterval(int(minutes * 60_000))
            self.timer.start()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in _INPUT_EVENTS and self.minutes > 0:
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class MainWindow(QMainWindow):
    lock_requested = Signal(bool)  # True: idle time over; False: "Lock" chosen (Ctrl+L)
    settings_changed = Signal(object, bool)  # saved by the Settings page: (settings, switch UI language now)
    passphrase_change_requested = Signal()   # from the Settings page; the session runs it

    def __init__(self, services, tasks: TaskRunner, idle_minutes: int = 0, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks  # found by ui.tasks.runner_for(page)
        self.tasks.setParent(self)
        services.store.scrub_later = self.scrub_in_background  # no VACUUM on the GUI thread
        self.setWindowTitle(_("Elternlotse"))
        self.resize(1280, 760)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setUniformItemSizes(True)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.entries = registry.pages_for(services.store.info.is_office)
        self.pages: list[QWidget | None] = [None] * len(self.entries)
        for entry in self.entries:
            self.stack.addWidget(QWidget())  # replaced by the real page when first shown
            self.nav.addItem(QListWidgetItem(entry.title()))
        self.nav.setFixedWidth(max(180, self.nav.sizeHintForColumn(0) + 36))
        self.nav.currentRowChanged.connect(self.show_page)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menu()
        self._build_status_bar()
        self.idle = IdleWatcher(idle_minutes, self)
        self.idle.idle.connect(lambda: self.lock_requested.emit(True))
        if self.entries:
            self.nav.setCurrentRow(0)

    # ---------------------------------------------------------------- pages
    def page(self, index: int) -> QWidget:
        """The page at ``index``, built on first use."""
        if self.pages[index] is None:
            placeholder = self.stack.widget(index)
            page = self.entries[index].load()(self.services, self.stack)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.pages[index] = page
            if hasattr(page, "status_message"):
                page.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
            if hasattr(page, "settings_changed"):
                page.settings_changed.connect(self.settings_changed)
            if hasattr(page, "passphrase_change_requested"):
                page.passphrase_change_requested.connect(self.passphrase_change_requested)
            if hasattr(page, "open_family_requested"):
                page.open_family_requested.connect(self.open_family)
            if hasattr(page, "identity_changed"):
                page.identity_changed.connect(self._show_identity)
            if hasattr(page, "capture_requested"):
                page.capture_requested.connect(self.show_capture)
        return self.pages[index]

    @property
    def page_types(self) -> list[type]:
        """Every page class (imports every page module: for tests, not for start-up)."""
        return [entry.load() for entry in self.entries]

    def index_of(self, cls: type) -> int:
        return next((i for i, entry in enumerate(self.entries) if entry.is_for(cls)), -1)

    def page_of_type(self, cls: type) -> QWidget | None:
        index = self.index_of(cls)
        return self.page(index) if index >= 0 else None

    def show_page(self, index: int) -> None:
        if not 0 <= index < len(self.entries):
            return
        page = self.page(index)
        log.info("page %s shown", type(page).__name__)
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def open_family(self, family_id: str) -> None:
        """Show a family in the Families page (asked for by quick capture's duplicate warning, ...)."""
        for index, entry in enumerate(self.entries):
            if entry.name == "FamiliesPage":
                page = self.page(index)
                self.show_page(index)
                page.open_family(family_id)
                return

    def show_capture(self) -> None:
        """Quick capture, with the cursor in its first field ("New family" on the Families page)."""
        for index, entry in enumerate(self.entries):
            if entry.name == "QuickCapturePage":
                self.show_page(index)
                focus = getattr(self.pages[index], "focus_first", None)
                if callable(focus):
                    focus()
                return

    def current_page(self) -> QWidget | None:
        index = self.stack.currentIndex()
        return self.pages[index] if 0 <= index < len(self.pages) else None

    def refresh_all(self) -> None:
        """After data changed elsewhere (sync, import): refresh the pages built so far."""
        for page in self.pages:
            if page is not None and callable(getattr(page, "refresh", None)):
                page.refresh()

    # ---------------------------------------------------------------- chrome
    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(_("&File"))
        self.lock_action = QAction(_("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock_requested.emit(False))
        menu.addAction(self.lock_action)
        tally_action = QAction(_("&Count visitors..."), self)
        tally_action.setShortcut(QKeySequence("Ctrl+T"))
        tally_action.triggered.connect(self.count_visitors)
        menu.addAction(tally_action)
        menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

        go = self.menuBar().addMenu(_("&Go"))
        for index, entry in enumerate(self.entries):
            action = QAction(entry.title(), self)
            if index < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.show_page(i))
            go.addAction(action)

        help_menu = self.menuBar().addMenu(_("&Help"))
        for text, keys, slot in ((_("&Keyboard shortcuts"), "F1", self._shortcuts), (_("&First steps"), "", self._first_steps),
                                 (_("&About Elternlotse"), "", self._about)):
            action = QAction(text, self)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            help_menu.addAction(action)

    def count_visitors(self) -> None:
        from elternlotse.ui.dialogs.tally_dialog import TallyDialog

        dialog = TallyDialog(self.services, self)
        if dialog.exec() and dialog.saved is not None:
            self.statusBar().showMessage(_("Counted: {count}.").format(count=dialog.saved.count), 8000)

    def _build_status_bar(self) -> None:
        self.identity = QLabel()
        self.statusBar().addPermanentWidget(self.identity)
        self._show_identity()

    def _show_identity(self) -> None:
        info = self.services.store.info
        role = _("office") if info.is_office else _("navigator")
        self.identity.setText(ui_paragraph(_("{name} · {organisation} · {role}").format(  # mixed scripts: docs/i18n.md
            name=isolate(info.name), organisation=isolate(info.organisation or "-"), role=role)))

    def _shortcuts(self) -> None:
        from elternlotse.ui.dialogs.help_dialogs import shortcuts_dialog

        self.help_dialog = shortcuts_dialog(self)
        self.help_dialog.open()

    def _first_steps(self) -> None:
        from elternlotse.ui.dialogs.help_dialogs import first_steps_dialog

        self.help_dialog = first_steps_dialog(self)
        self.help_dialog.open()

    def _about(self) -> None:
        QMessageBox.about(self, _("About Elternlotse"), _(
            "Elternlotse {version}\nOffline-first tool for parent navigators and their coordinating offices.\n"
            "Data folder: {path}").format(version=__version__, path=str(self.services.store.path.parent)))

    def scrub_in_background(self) -> None:
        """An erasure committed on the GUI's connection (a person removed from a family): overwrite off the GUI thread."""
        self.tasks.run(lambda services, progress: services.store.finish_scrub(),
                       title=_("Overwriting the erased data..."), parent=self, delay_ms=1500)

    def shutdown(self) -> None:
        """Stop the idle timer, every page's timers and the background thread (before the store is closed)."""
        self.services.store.scrub_later = None  # from now on the store overwrites itself (or its next open does)
        self.idle.stop()
        for timer in self.findChildren(QTimer):  # e.g. a debounced search must not fire on a closed store
            timer.stop()
        self.tasks.shutdown()

    def suspend(self) -> None:
        """Locking: stop timers and the background thread, forget its passphrase; the widgets stay."""
        self.shutdown()
        self.tasks.set_opener(None)

    def resume(self, opener, idle_minutes: int) -> None:
        """Unlocked again (the store object got its new connection): the pages go on where they were."""
        self.tasks.set_opener(opener)
        self.services.store.scrub_later = self.scrub_in_background
        self.idle = IdleWatcher(idle_minutes, self)
        self.idle.idle.connect(lambda: self.lock_requested.emit(True))

    def unsaved_pages(self) -> list[QWidget]:
        return [page for page in self.pages
                if page is not None and callable(getattr(page, "has_unsaved_changes", None))
                and page.has_unsaved_changes()]

    def closeEvent(self, event) -> None:
        unsaved = self.unsaved_pages()
        if unsaved and self.isVisible():
            answer = QMessageBox.question(
                self, _("Quit Elternlotse"),
                _("There are unsaved entries on: {pages}. Quit anyway and lose them?").format(
                    pages=join_list(type(page).page_title() for page in unsaved)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.shutdown()
        super().closeEvent(event)


__all__ = ["MainWindow", "IdleWatcher"]
