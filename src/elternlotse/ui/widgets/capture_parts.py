"""Parts of the quick capture form: a child's row, the event the family is met at, field hints and refusals."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from elternlotse.domain.consent import Purpose
from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, translate_error
from elternlotse.i18n.formatting import format_datetime, isolate
from elternlotse.services.families import STORE_CONSENT_NEEDED
from elternlotse.services.quick_capture import (
    CAPTURE_EVIDENCE,
    CHANNEL_NEEDS,
    EVIDENCE_NEEDED,
    GRADE_NEEDED,
    CaptureChild,
)

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


def show_check(edit: QLineEdit, hint: QLabel, final: bool, normalise) -> None:
    """A live hint under a phone or e-mail field: the number as stored, or (on leaving) why it is refused."""
    text = edit.text().strip()
    if not text:
        hint.setVisible(False)
        return
    try:
        shown = normalise(text)
    except ElternlotseError as error:
        if final:  # while typing a number is incomplete, not wrong: say so when the field is left
            hint.setText(translate_error(error, isolate=True))
            hint.setStyleSheet("color: #b00020;")
            hint.setVisible(True)
        else:
            hint.setVisible(False)
        return
    hint.setText("✓ " + isolate(shown))
    hint.setStyleSheet("color: #1b5e20;")
    hint.setVisible(True)


def field_for_error(page, error: ElternlotseError):
    """The widget (or the child's row) a quick-capture refusal is about, for the cursor to go to."""
    if error.message_id == GRADE_NEEDED and 0 < error.params.get("number", 0) <= len(page.child_rows):
        return page.child_rows[error.params["number"] - 1]
    channel_fields = {message: getattr(page, attr) for attr, message in CHANNEL_NEEDS.values()}
    target = {
        "Please enter the parent's name.": page.name,
        STORE_CONSENT_NEEDED: page.consent.boxes.get((Purpose.STORE, None)),
        EVIDENCE_NEEDED: page.evidence_buttons[CAPTURE_EVIDENCE[0]],
        "Consent given verbally needs the witness's name.": page.witness,
    }.get(error.message_id) or channel_fields.get(error.message_id)
    field = error.params.get("field")
    if target is None and field in (_("Phone"), _("E-mail")):
        target = page.phone if field == _("Phone") else page.email
    return target
