"""A child's KAoA checklist: grade, current and next stages, items with status, date, by whom and note.

Embed it anywhere (the family view does): ``ChecklistWidget(services, child_id)``;
``set_child(child_id)`` switches the child, ``refresh()`` reloads.  Reads and
writes are single short service calls on the GUI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.kaoa import STATUS_LABELS, STATUSES
from elternlotse.domain.schoolyear import CORRECTION_LABELS, current_school_year
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.formatting import format_date, isolate, join_list
from elternlotse.ui.models.kaoa_models import ChecklistModel, RowRole, SortRole


class ChecklistWidget(QWidget):
    changed = Signal(str)  # child id, after an item was saved

    def __init__(self, services, child_id: str = "", parent=None, on: date | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.child_id = child_id
        self.on = on  # the day to show (None: today)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.model = ChecklistModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("KAoA steps"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(ChecklistModel.ITEM, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(ChecklistModel.STAGE, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(ChecklistModel.STAGE, 220)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._selected)

        self.status_combo = QComboBox()
        for status in STATUSES:
            self.status_combo.addItem(_(STATUS_LABELS[status]), status)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(_("Note (optional)"))
        self.note_edit.setAccessibleName(_("Note on the step"))
        self.save_button = QPushButton(_("Save"))
        self.save_button.clicked.connect(self.save)
        self.note_edit.returnPressed.connect(self.save)
        self.message = QLabel()
        editor = QHBoxLayout()
        status_label = QLabel(_("Status:"))
        status_label.setBuddy(self.status_combo)
        editor.addWidget(status_label)
        editor.addWidget(self.status_combo)
        editor.addWidget(self.note_edit, 1)
        editor.addWidget(self.save_button)

        # ---- corrections: repeated year, school change, newly arrived (from a school year on)
        self.correction_combo = QComboBox()
        for kind in ("repeat", "skip", "change_school", "newly_arrived"):
            self.correction_combo.addItem(_(CORRECTION_LABELS[kind]), kind)
        self.correction_year = QLineEdit(current_school_year(date.today()))
        self.correction_year.setMaximumWidth(80)
        self.correction_year.setToolTip(_("From which school year, like 2026/27"))
        self.correction_grade = QSpinBox()
        self.correction_grade.setRange(0, 13)
        self.correction_grade.setSpecialValueText(_("grade unchanged"))
        self.correction_grade.setAccessibleName(_("Grade after the correction"))
        self.correction_year.setAccessibleName(_("From which school year, like 2026/27"))
        self.correction_button = QPushButton(_("Record"))
        self.correction_button.clicked.connect(self.record_correction)
        corrections = QHBoxLayout()
        correction_label = QLabel(_("Correction:"))
        correction_label.setBuddy(self.correction_combo)
        corrections.addWidget(correction_label)
        corrections.addWidget(self.correction_combo)
        corrections.addWidget(QLabel(_("from")))
        corrections.addWidget(self.correction_year)
        corrections.addWidget(self.correction_grade)
        corrections.addWidget(self.correction_button)
        corrections.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(editor)
        layout.addLayout(corrections)
        layout.addWidget(self.message)
        self._set_editing(False)
        self.correction_button.setEnabled(bool(child_id))
        self.refresh()

    def set_child(self, child_id: str) -> None:
        self.child_id = child_id
        self.refresh()

    def refresh(self) -> None:
        if not self.child_id:
            self.model.set_rows([])
            self.summary.setText(_("No child selected."))
            self._set_editing(False)
            self.correction_button.setEnabled(False)
            return
        self.correction_button.setEnabled(True)
        selected = self.selected_entry()
        try:
            checklist = self.services.checklists.checklist(self.child_id, self.on, language=active_language())
        except ElternlotseError as error:
            self.model.set_rows([])
            self.summary.setText(translate_error(error, isolate=True))
            self._set_editing(False)
            return
        status = checklist.status
        language = active_language()
        now = join_list(sw.stage.title(language) for sw in status.current) or "-"
        upcoming = join_list("{} ({})".format(sw.stage.title(language), isolate(format_date(sw.window.start)))
                             for sw in status.upcoming) or "-"
        self.summary.setText(_("Grade {grade} in {year}. Now: {now}. Next: {next}.").format(
            grade=status.grade, year=status.school_year, now=now, next=upcoming))
        # Current and open items first, then the rest in catalogue order.
        entries = sorted(checklist.entries, key=lambda e: (not e.known, not e.current, e.window.start if e.window else date.max))
        self.model.set_rows(entries)
        self._reselect(selected)

    def record_correction(self) -> None:
        if not self.child_id:
            return
        kind = self.correction_combo.currentData()
        grade = self.correction_grade.value() or None
        try:
            self.services.checklists.add_correction(self.child_id, kind, self.correction_year.text().strip(),
                                                    grade=None if kind in ("repeat", "skip") else grade)
        except ElternlotseError as error:
            self.message.setText(translate_error(error, isolate=True))
            return
        self.message.setText(_("Recorded: {correction}").format(correction=self.correction_combo.currentText()))
        self.refresh()
        self.changed.emit(self.child_id)

    def selected_entry(self):
        index = self.table.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def select_item(self, ref: str) -> bool:
        for row in range(self.proxy.rowCount()):
            entry = self.proxy.index(row, 0).data(RowRole)
            if entry.ref == ref:
                self.table.selectRow(row)
                return True
        return False

    def _reselect(self, entry) -> None:
        if entry is None or not self.select_item(entry.ref):
            self._set_editing(False)

    def _selected(self, current, _previous) -> None:
        entry = current.data(RowRole) if current.isValid() else None
        self._set_editing(entry is not None)
        if entry is not None:
            self.status_combo.setCurrentIndex(STATUSES.index(entry.status))
            self.note_edit.setText(entry.note)

    def _set_editing(self, enabled: bool) -> None:
        for widget in (self.status_combo, self.note_edit, self.save_button):
            widget.setEnabled(enabled)

    def save(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        try:
            saved = self.services.checklists.set_item(self.child_id, entry.ref, self.status_combo.currentData(),
                                                      note=self.note_edit.text(), on=self.on)
        except ElternlotseError as error:
            self.message.setText(translate_error(error, isolate=True))
            return
        self.message.setText(_("Saved: {item}").format(item=saved.text))
        self.refresh()
        self.changed.emit(self.child_id)


class FamilyChecklists(QWidget):
    """The checklists of a family's children: a child picker above a ``ChecklistWidget``.

    For the family view: ``tabs.addTab(FamilyChecklists(services), _("KAoA steps"))`` and
    ``load(family_id)`` whenever the family changes (``load("")`` for a new, unsaved family).
    """

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.family_id = ""
        self.child_combo = QComboBox()
        self.child_combo.currentIndexChanged.connect(self._child_changed)
        self.checklist = ChecklistWidget(services, parent=self)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Child:")))
        row.addWidget(self.child_combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.checklist, 1)

    def load(self, family_id: str) -> None:
        self.family_id = family_id
        self.child_combo.blockSignals(True)
        self.child_combo.clear()
        children = []
        if family_id:
            try:
                children = self.services.families.get(family_id).children
            except ElternlotseError:
                children = []
        for child in children:
            label = child.first_name or _("(no first name)")
            self.child_combo.addItem(_("{name}, grade {grade}").format(name=label, grade=child.grade), child.id)
        self.child_combo.blockSignals(False)
        self.child_combo.setEnabled(bool(children))
        self.checklist.set_child(children[0].id if children else "")

    def refresh(self) -> None:
        self.load(self.family_id)

    def _child_changed(self, index: int) -> None:
        self.checklist.set_child(self.child_combo.itemData(index) or "")
