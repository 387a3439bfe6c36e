"""Families: the list (search as you type, lazy, sortable, consent at a glance) and the detail view.

Shortcuts: Ctrl+N new family (opens quick capture: a family is added with its consent
to store the data, the consent texts side by side, the evidence chosen), Ctrl+F search, Ctrl+S save (in the detail),
Enter or double click opens a family, Escape goes back to the list.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.i18n import _, ngettext
from elternlotse.services.family_list import SEARCH_LIMIT
from elternlotse.ui.models.family_table_model import (
    CHILDREN,
    CONSENT,
    GUARDIANS,
    LANGUAGES,
    PHONE,
    UPDATED,
    FamilyTableModel,
    IdRole,
)
from elternlotse.ui.tasks import runner_for
from elternlotse.ui.widgets.empty_state import EmptyState

SEARCH_DELAY_MS = 180
RETENTION_DELAY_MS = 2500  # after start: the first page and the unlock come first


class FamiliesPage(QWidget):
    status_message = Signal(str)
    family_changed = Signal(str)
    capture_requested = Signal()  # "New family": the main window shows quick capture

    @staticmethod
    def page_title() -> str:
        return _("Families")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services

        # list
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search: name in any spelling or script, phone, e-mail, school... (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Search families"))
        self.search.setProperty("search_field", True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._open_first)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.new_button = QPushButton(_("&New family"))
        self.new_button.setToolTip(_("New family (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_family)
        self.count_label = QLabel()

        self.model = FamilyTableModel(services.family_list, self, load=False)  # loaded by refresh()
        self.model.runner = lambda: runner_for(self)
        self._reselect = ""
        self._loaded_once = False
        self.model.loading_started.connect(lambda: self.count_label.setText(_("Sorting...")))
        self.model.loading_finished.connect(self._loaded)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Families"))
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in ((GUARDIANS, 260), (CHILDREN, 190), (LANGUAGES, 90), (PHONE, 150), (CONSENT, 260), (UPDATED, 90)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(CONSENT, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda index: self.open_family(index.data(IdRole)))
        self.table.doubleClicked.connect(self._double_clicked)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        # Storage limitation: the rules file says who is due; the notice shows only when someone is.
        self.retention_label = QLabel()
        self.retention_label.setWordWrap(True)
        self.retention_button = QPushButton(_("Review &erasures..."))
        self.retention_button.clicked.connect(self.review_retention)
        self.retention_bar = QWidget()
        bar = QHBoxLayout(self.retention_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.retention_label, 1)
        bar.addWidget(self.retention_button)
        self.retention_bar.hide()
        self._retention_timer = QTimer(self, singleShot=True, interval=RETENTION_DELAY_MS)
        self._retention_timer.timeout.connect(self.check_retention)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.addLayout(top)
        list_layout.addWidget(self.retention_bar)
        self.empty = EmptyState()
        list_layout.addWidget(self.empty)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.count_label)

        self._detail = None  # the detail view: built when a family is first opened (start-up)
        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        for keys, slot in ((QKeySequence.StandardKey.New, self.new_family), (QKeySequence.StandardKey.Find, self.focus_search)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self._update_count()

    @property
    def detail(self):
        """The detail view (``FamilyDetail``), built and wired on first use."""
        if self._detail is None:
            from elternlotse.ui.pages.family_detail import FamilyDetail

            detail = FamilyDetail(self.services)
            detail.back_requested.connect(self.show_list)
            detail.saved.connect(self._after_save)
            detail.erased.connect(self._after_erase)
            detail.consent_changed.connect(self._after_consent)
            detail.open_family_requested.connect(self.open_family)
            detail.status_message.connect(self.status_message)
            back = QShortcut(QKeySequence(Qt.Key.Key_Escape), detail)
            back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            back.activated.connect(self.show_list)
            self.stack.addWidget(detail)
            self._detail = detail
        return self._detail

    def _in_detail(self) -> bool:
        return self._detail is not None and self.stack.currentWidget() is self._detail

    # ---------------------------------------------------------------- list
    def refresh(self) -> None:
        """Shown again or data changed elsewhere: re-read the order (in the background), keep the position."""
        if not self._loaded_once:  # the first time on the GUI thread: the first page shows at once
            self._loaded_once = True
            self.model.reload()
            self._retention_timer.start()  # the rules are asked a little later: start-up stays one connection
            return
        self.check_retention()
        self._reselect = self.current_family_id()
        self.model.reload(keep_loaded=True, background=True)

    # ---------------------------------------------------------------- retention
    def check_retention(self) -> None:
        """Ask the rules (in the background) whether any family is due for erasure; show the notice if so."""
        retention = getattr(self.services, "retention", None)
        if retention is None:
            return
        today = retention.today()
        runner_for(self).run(lambda services, progress: len({d.family_id for d in services.retention.review(today)}),
                             on_done=self._show_retention, on_error=lambda _error: self.retention_bar.hide())

    def _show_retention(self, families: int) -> None:
        self.retention_label.setText(ngettext(
            "{count} family is due for erasure under the retention rules.",
            "{count} families are due for erasure under the retention rules.", families).format(count=families))
        self.retention_bar.setVisible(families > 0)

    def review_retention(self) -> None:
        from elternlotse.ui.dialogs.retention_dialog import RetentionDialog

        dialog = RetentionDialog(self.services, self)
        dialog.open_family_requested.connect(self.open_family)
        dialog.families_changed.connect(self._after_retention)
        dialog.finished.connect(lambda _result: self.check_retention())
        dialog.open()
        return dialog

    def _after_retention(self) -> None:
        self.model.reload(keep_loaded=True, background=True)

    def apply_search(self) -> None:
        self._search_timer.stop()
        self.model.search = self.search.text()
        self.model.reload()
        self._update_count()
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.scrollToTop()

    def _loaded(self) -> None:
        self._update_count()
        family_id, self._reselect = self._reselect, ""
        if not (family_id and self.select_family(family_id)):
            self.table.scrollToTop()

    def _update_count(self) -> None:
        total = self.model.total()
        if self.model.search.strip() and total >= SEARCH_LIMIT:
            text = _("The best {count} matches are shown; type more to narrow the search.").format(count=total)
        elif self.model.search.strip():
            text = ngettext("{count} family found", "{count} families found", total).format(count=total)
        else:
            text = ngettext("{count} family", "{count} families", total).format(count=total)
        self.count_label.setText(text)
        if total:
            self.empty.hide()
        elif self.model.search.strip():
            self.empty.show_hint(_("No family matches this search. Check the spelling or add the family."),
                                 _("Add a family (Ctrl+N)"), self.new_family)
        else:
            self.empty.show_hint(_("No families yet. Add the first one in quick capture, with the parent beside you."),
                                 _("Add a family (Ctrl+N)"), self.new_family)

    def current_family_id(self) -> str:
        index = self.table.currentIndex()
        return index.data(IdRole) if index.isValid() else ""

    def select_family(self, family_id: str) -> bool:
        row = self.model.row_of(family_id)
        if row < 0:
            return False
        index = self.model.index(row, GUARDIANS)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def focus_search(self) -> None:
        if self._in_detail() and not self._leave_detail():
            return
        self.stack.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def _double_clicked(self, index) -> None:
        # Some styles also emit ``activated`` on a double click; open once.
        if not self._in_detail():
            self.open_family(index.data(IdRole))

    def _open_first(self) -> None:
        self.apply_search()
        if self.model.rowCount():
            self.open_family(self.model.index(0, 0).data(IdRole))

    # ---------------------------------------------------------------- detail
    def open_family(self, family_id: str) -> None:
        if not family_id:
            return
        if self._in_detail() and self.detail.family_id != family_id and not self._leave_detail():
            return
        self.detail.load(family_id)
        self.stack.setCurrentWidget(self.detail)
        self.select_family(family_id)

    def new_family(self) -> None:
        """A new family is added where its consent is taken: quick capture (one rule, one way in)."""
        if self._in_detail() and not self._leave_detail():
            return
        self.capture_requested.emit()

    def show_list(self) -> None:
        if self._in_detail() and not self._leave_detail():
            return
        self.stack.setCurrentIndex(0)
        self.table.setFocus()

    def _leave_detail(self) -> bool:
        """Ask before unsaved edits are dropped: save, discard or stay."""
        if not self.detail.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("Save the changes to this family?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.detail.save()
        if answer == QMessageBox.StandardButton.Discard:
            if self.detail.family_id:
                self.detail.load(self.detail.family_id)
            else:
                self.detail.undo_stack.clear()
                self.detail.set_form({"guardians": [], "children": [], "notes": ""})
            return True
        return False

    def has_unsaved_changes(self) -> bool:
        return self._in_detail() and self.detail.has_unsaved_changes()

    def _after_save(self, family_id: str) -> None:
        if self.model.loaded_row(family_id) >= 0:
            self.model.refresh_family(family_id)
            self.select_family(family_id)
        else:  # a new family: its place in the order is asked for again
            self._reselect = family_id
            self.model.reload(keep_loaded=True, background=True)
        self.family_changed.emit(family_id)

    def _after_consent(self, family_id: str) -> None:
        self.model.refresh_family(family_id)
        self.family_changed.emit(family_id)

    def _after_erase(self, family_id: str) -> None:
        self.model.reload(keep_loaded=True, background=True)
        self.stack.setCurrentIndex(0)
        self.family_changed.emit(family_id)
