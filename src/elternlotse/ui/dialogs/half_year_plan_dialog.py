"""The half-year plan of a school's family café: proposed from the KAoA windows, changed by month, then
saved as PDF or calendar file, or planned as events (``services.planning``; the CLI's ``plan half-year``).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.formatting import format_date
from elternlotse.ui.i18n_qt import set_date_format
from elternlotse.ui.saved_files import saved, write_private_bytes


class HalfYearPlanDialog(QDialog):
    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.plan = None
        self.setWindowTitle(_("Half-year plan of the family café"))
        self.school = QComboBox()
        self.school.setEditable(True)
        self.school.addItems(services.planning.schools())
        self.school.setAccessibleName(_("School"))
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        set_date_format(self.day)
        self.day.setAccessibleName(_("A day of the half-year"))
        self.propose_button = QPushButton(_("Propose"))
        self.propose_button.clicked.connect(self.propose)
        top = QFormLayout()
        for text, widget in ((_("School:"), self.school), (_("A day of the half-year:"), self.day)):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addRow(label, widget)
        self.months = QFormLayout()
        self.month_boxes: list[tuple[str, QComboBox]] = []
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.pdf_button = QPushButton(_("Save as PDF..."))
        self.ics_button = QPushButton(_("Calendar file..."))
        self.events_button = QPushButton(_("Plan as events"))
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        self.pdf_button.clicked.connect(lambda: self.save(".pdf"))
        self.ics_button.clicked.connect(lambda: self.save(".ics"))
        self.events_button.clicked.connect(self.create_events)
        buttons = QHBoxLayout()
        for button in (self.pdf_button, self.ics_button, self.events_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.propose_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addLayout(self.months)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._enable(False)
        self.school.setFocus()

    def _enable(self, on: bool) -> None:
        for button in (self.pdf_button, self.ics_button, self.events_button):
            button.setEnabled(on)

    def propose(self) -> None:
        try:
            self.plan = self.services.planning.half_year(self.school.currentText(), self.day.date().toPython())
        except ElternlotseError as error:
            self.status.setText(translate_error(error, isolate=True))
            return
        while self.months.rowCount():
            self.months.removeRow(0)
        self.month_boxes.clear()
        stages = self.services.catalogs.get(on=self.day.date().toPython()).stages
        for month in self.plan.months:
            box = QComboBox()
            box.addItem(_("Open questions"), "")
            for stage in stages:
                box.addItem(stage.title(active_language()), stage.key)
            box.setCurrentIndex(max(0, box.findData(month.stage_key)))
            label = format_date(month.first_day, "MMMM y")
            box.setAccessibleName(label)
            self.months.addRow(label, box)
            self.month_boxes.append((month.first_day.strftime("%Y-%m"), box))
        self.status.clear()
        self._enable(True)

    def _chosen(self):
        changes = {month: box.currentData() or "" for month, box in self.month_boxes}
        return self.services.planning.half_year(self.plan.school, self.day.date().toPython(), changes)

    def create_events(self) -> None:
        created = self.services.planning.create_events(self._chosen(), open_title=_("Open questions"))
        self.status.setText(_("Planned as events: {count}.").format(count=len(created)))

    def save(self, suffix: str) -> None:
        plan = self._chosen()
        pattern = _("PDF files (*.pdf)") if suffix == ".pdf" else _("Calendar files (*.ics)")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save"), f"half-year-plan{suffix}", pattern)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        data = self.services.planning.export(plan, suffix, active_language(), _)
        if saved(self, self.services, path, lambda: write_private_bytes(path, data)):
            self.status.setText(_("Saved {path}").format(path=path))
