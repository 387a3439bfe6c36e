"""Parts of the quick capture form: a child's row, and the event the family is met at."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from elternlotse.i18n import _
from elternlotse.i18n.formatting import format_datetime
from elternlotse.services.quick_capture import CaptureChild

#: Events offered for attendance: from two days ago to tomorrow (today's first).
EVENT_DAYS_BEFORE, EVENT_DAYS_AFTER = -2, 1


class ChildRow(QWidget):
    def __init__(self, school: str = "", parent=None) -> None:
        super().__init__(parent)
        self.grade = QSpinBox()
        self.grade.setRange(0, 13)
        self.grade.setSpecialValueText(_("grade"))
        self.grade.setAccessibleName(_("Grade"))
        self.first_name = QLineEdit()
        self.first_name.setPlaceholderText(_("first name"))
        self.first_name.setToolTip(_("The child's first name (optional)"))
        self.first_name.setMaxLength(100)
        self.first_name.setAccessibleName(_("The child's first name (optional)"))
        self.school = QLineEdit(school)
        self.school.setPlaceholderText(_("school"))
        self.school.setToolTip(_("The child's school (optional); kept for the next family"))
        self.school.setMaxLength(200)
        self.school.setAccessibleName(_("School"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grade)
        layout.addWidget(self.first_name, 2)
        layout.addWidget(self.school, 3)

    def value(self) -> CaptureChild:
        return CaptureChild(self.grade.value(), self.first_name.text(), self.school.text())


class EventPicker(QComboBox):
    """"no event" plus the events of these days (a stand, an MSO meeting); today's is preselected."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setToolTip(_("The family is marked present at this event; printed handouts are counted for it"))

    def load(self, events, today: date | None = None) -> bool:
        """Fill from an ``EventService``; keep the current choice; return whether there is any event."""
        today = today or date.today()
        rows = []
        for row in (events.list() if events is not None else []):
            try:
                distance = (datetime.fromisoformat(row.starts).date() - today).days
            except ValueError:
                continue
            if EVENT_DAYS_BEFORE <= distance <= EVENT_DAYS_AFTER:
                rows.append((abs(distance), row.starts, row))
        rows.sort(key=lambda item: (item[0], item[1]))
        keep = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(_("no event"), "")
        for _distance, starts, row in rows:
            when = format_datetime(datetime.fromisoformat(starts), "short")
            self.addItem(f"{row.title or row.type} · {when}", row.id)
        index = self.findData(keep) if keep else (1 if rows and rows[0][0] == 0 else 0)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
        return bool(rows)

    def event_id(self) -> str:
        return self.currentData() or ""
