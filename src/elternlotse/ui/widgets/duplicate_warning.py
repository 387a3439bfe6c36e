"""Duplicate warning while typing: families that may be the one being entered.

Give it what was typed with ``set_query(phones, emails, names, exclude=...)``;
after a pause in typing (300 ms) it asks ``FamilyService.rank_duplicates``
(same normalised phone, same e-mail, a similar name across spellings and
scripts) and lists the candidates best first, each with why it is listed (an
exact phone or e-mail in bold with a warning icon, a similar name plain).  "Open existing family" (or Enter or a
double click on a row) emits ``open_family_requested(family_id)``; the main
window connects it to the family detail.  Hidden while there is nothing to show.

The query is a few indexed lookups (about a millisecond at 100,000 persons,
see docs/performance.md), so it runs on the GUI thread after the debounce.
Usable by any page: quick capture and the family detail view.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from elternlotse.i18n import _, ngettext
from elternlotse.ui.models.duplicate_model import DuplicateModel

DEBOUNCE_MS = 300


class DuplicateWarning(QWidget):
    open_family_requested = Signal(str)
    candidates_changed = Signal(int)

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self._query: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str] = ((), (), (), "")
        self._last: tuple | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search_now)

        self.model = DuplicateModel(self)
        self.heading = QLabel()
        self.heading.setObjectName("duplicateHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("QLabel#duplicateHeading { font-weight: 600; color: #8a4b00; }")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.activated.connect(lambda index: self._open(index.row()))
        self.table.setAccessibleName(_("Families already stored"))
        self.open_button = QPushButton(_("Open e&xisting family"))
        self.open_button.setAutoDefault(True)
        self.open_button.clicked.connect(lambda: self._open(self._selected_row()))

        buttons = QHBoxLayout()
        buttons.addWidget(self.heading, 1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.hide()

    # ---------------------------------------------------------------- input
    def set_query(self, phones=(), emails=(), names=(), exclude: str = "") -> None:
        """What was typed; searched after a pause in typing."""
        clean = lambda values: tuple(v.strip() for v in values if v and v.strip())
        self._query = (clean(phones), clean(emails), clean(names), exclude)
        self.timer.start()

    def clear(self) -> None:
        self.timer.stop()
        self._query, self._last = ((), (), (), ""), None
        self._show([])

    def search_now(self) -> None:
        self.timer.stop()
        if self._query == self._last:
            return
        self._last = self._query
        phones, emails, names, exclude = self._query
        rows = self.services.families.rank_duplicates(phones, emails, names, exclude=exclude) \
            if (phones or emails or names) else []
        self._show(rows)

    # ---------------------------------------------------------------- output
    def _show(self, rows) -> None:
        self.model.set_rows(rows[:20])
        count = len(rows)
        self.heading.setText(ngettext(
            "{count} family with this phone, e-mail or a similar name is already stored:",
            "{count} families with this phone, e-mail or a similar name are already stored:", count).format(count=count))
        if count:
            self.table.selectionModel().select(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            height = self.table.horizontalHeader().height() + self.table.rowHeight(0) * min(count, 3) + 4
            self.table.setFixedHeight(height)
        self.setVisible(count > 0)
        self.candidates_changed.emit(count)

    def focusable(self) -> list[QWidget]:
        """Its Tab stops, in order (for the hosting form's Tab chain)."""
        return [self.open_button, self.table]

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else (0 if self.model.rowCount() else -1)

    def _open(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_family_requested.emit(self.model.family_id(row))
