"""The retention review: families due for erasure under the rules file, and what to do with each.

One row per family and rule (``services.retention.review``); for the selected family:
**Erase...** (confirmed; the same erasure as the family view, in the background), **Keep...**
(with the reason, recorded), **Open family**. "Record of processing..." saves the Art. 30 record,
built from the same rules. Opened from the Families page's notice; Escape closes.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from elternlotse.domain.retention import Due
from elternlotse.i18n import _, active_language, ngettext
from elternlotse.i18n.formatting import format_date, isolate
from elternlotse.ui.models.retention_model import RetentionModel, RowRole
from elternlotse.ui.tasks import error_text, runner_for


class RetentionDialog(QDialog):
    open_family_requested = Signal(str)
    families_changed = Signal()  # an erasure or a keep decision: the lists behind should reload

    def __init__(self, services, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.today = today or services.retention.today()
        self.setWindowTitle(_("Retention review"))
        self.resize(760, 460)
        language = active_language()
        rules = services.retention.rules
        self.intro = QLabel(" ".join(rule.text(language) for rule in rules.rules))
        self.intro.setWordWrap(True)
        self.model = RetentionModel(lambda key: rules.rule(key).text(language) if rules.rule(key) else "", self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Families due for erasure"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(RetentionModel.FAMILY, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.open_family())
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.open_button = QPushButton(_("&Open family"))
        self.erase_button = QPushButton(_("&Erase..."))
        self.keep_button = QPushButton(_("&Keep..."))
        self.record_button = QPushButton(_("Record of &processing..."))
        self.record_button.setToolTip(_("The record of processing activities (Art. 30 GDPR) as a PDF, from the same rules"))
        self.close_button = QPushButton(_("&Close"))
        for button, slot in ((self.open_button, self.open_family), (self.erase_button, self.confirm_erase),
                             (self.keep_button, self.keep), (self.record_button, self.save_record),
                             (self.close_button, self.reject)):
            button.clicked.connect(slot)
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.erase_button, self.keep_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._update_buttons()
        self.table.setFocus()
        self.reload()

    # ---------------------------------------------------------------- list
    def reload(self) -> None:
        today = self.today
        self.status.setText(_("Checking the rules..."))
        runner_for(self).run(lambda services, progress: services.retention.review(today),
                             on_done=self._show, on_error=self._failed)

    def _show(self, due: list[Due]) -> None:
        selected = self.selected()
        self.model.set_rows(due)
        families = len({d.family_id for d in due})
        self.status.setText(ngettext("{count} family is due for erasure.", "{count} families are due for erasure.",
                                     families).format(count=families) if families else
                            _("No family is due for erasure. Families kept on purpose come back when their date passes."))
        row = next((i for i, d in enumerate(due) if selected and d.family_id == selected.family_id), 0)
        if due:
            self.table.selectRow(min(row, len(due) - 1))
        self._update_buttons()
        self.table.setFocus()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_text(error))
        self._update_buttons()

    def selected(self) -> Due | None:
        index = self.table.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def _update_buttons(self) -> None:
        has = self.model.rowCount() > 0
        for button in (self.open_button, self.erase_button, self.keep_button):
            button.setEnabled(has)
        (self.table if has else self.close_button).setFocus()

    # ---------------------------------------------------------------- actions
    def open_family(self) -> None:
        due = self.selected()
        if due is not None:
            self.open_family_requested.emit(due.family_id)
            self.accept()

    def confirm_erase(self) -> QMessageBox | None:
        due = self.selected()
        if due is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, _("Erase family"),
                          _("Erase all personal data of {name}?").format(name=isolate(due.name)), parent=self)
        box.setInformativeText(_("The retention rules say so. The erasure travels with the next sync; "
                                 "the consent history stays as proof. This cannot be undone."))
        erase = box.addButton(_("&Erase"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter on a misclick erases nothing
        box.finished.connect(lambda _result: self.erase(due) if box.clickedButton() is erase else None)
        box.open()
        return box

    def erase(self, due: Due):
        family_id = due.family_id
        self.setEnabled(False)

        def done(_result) -> None:
            self.setEnabled(True)
            self.status.setText(_("The family was erased."))
            self.families_changed.emit()
            self.reload()

        def failed(error) -> None:
            self.setEnabled(True)
            self._failed(error)

        return runner_for(self).run(lambda services, progress: services.retention.erase(family_id),
                                    on_done=done, on_error=failed, title=_("Erasing..."), parent=self)

    def keep(self):
        from elternlotse.ui.dialogs.keep_dialog import KeepDialog

        due = self.selected()
        if due is None:
            return None
        dialog = KeepDialog(self.services, due.family_id, due.name, self)
        dialog.accepted.connect(lambda: self._kept(dialog.kept_until))
        dialog.open()
        return dialog

    def _kept(self, until: date | None) -> None:
        if until is not None:
            self.status.setText(_("Kept until {day}.").format(day=isolate(format_date(until, "medium", active_language()))))
        self.families_changed.emit()
        self.reload()

    def save_record(self) -> None:
        from pathlib import Path

        path, _filter = QFileDialog.getSaveFileName(self, _("Save the record of processing"),
                                                    _("record-of-processing.pdf"), _("PDF files (*.pdf)"))
        if not path:
            return
        language = active_language()
        try:
            self.services.retention.write_record(Path(path), language)
        except Exception as error:  # noqa: BLE001 - a full or read-only disk: its sentence, nothing half written
            self.status.setText(error_text(error))
            return
        self.status.setText(_("Record of processing written: {path}").format(path=isolate(path)))
