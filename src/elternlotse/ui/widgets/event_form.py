"""A small dialog to plan an event: type, date and time, place, title, topics (stages), languages, speakers."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.events import EVENT_TYPE_LABELS, EVENT_TYPES, SPEAKER_ROLE_LABELS, SPEAKER_ROLES
from elternlotse.i18n import _, active_language, translate_error


class EventFormDialog(QDialog):
    """Builds an event document and adds it through ``services.events.add``; ``event`` holds the result."""

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.created_event = None
        self.setWindowTitle(_("New event"))
        self.type_combo = QComboBox()
        for kind in EVENT_TYPES:
            self.type_combo.addItem(_(EVENT_TYPE_LABELS[kind]), kind)
        start = QDateTime.currentDateTime().addDays(7)
        start.setTime(start.time().fromString("16:30", "HH:mm"))
        self.starts_edit = QDateTimeEdit(start)
        self.starts_edit.setCalendarPopup(True)
        self.ends_edit = QDateTimeEdit(start.addSecs(2 * 3600))
        self.ends_edit.setCalendarPopup(True)
        self.title_edit = QLineEdit()
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(_("e.g. Gesamtschule Haspe, cafeteria"))
        self.topics_list = QListWidget()
        language = active_language()
        for stage in services.catalogs.get().stages:
            item = QListWidgetItem(stage.title(language))
            item.setData(Qt.ItemDataRole.UserRole, stage.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.topics_list.addItem(item)
        self.languages_edit = QLineEdit("de")
        self.languages_edit.setPlaceholderText(_("language tags, e.g. de, tr, ar"))
        self.interpreter_box = QCheckBox(_("Interpreter present"))
        self.speaker_name = QLineEdit()
        self.speaker_role = QComboBox()
        for role in SPEAKER_ROLES:
            self.speaker_role.addItem(_(SPEAKER_ROLE_LABELS[role]), role)
        self.error = QLabel()
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("Type"), self.type_combo)
        form.addRow(_("Starts"), self.starts_edit)
        form.addRow(_("Ends"), self.ends_edit)
        form.addRow(_("Title"), self.title_edit)
        form.addRow(_("Place"), self.place_edit)
        form.addRow(_("Topics (stages)"), self.topics_list)
        form.addRow(_("Languages"), self.languages_edit)
        form.addRow("", self.interpreter_box)
        form.addRow(_("Speaker"), self.speaker_name)
        form.addRow(_("Speaker's role"), self.speaker_role)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def document(self) -> dict:
        topics = [self.topics_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.topics_list.count())
                  if self.topics_list.item(i).checkState() == Qt.CheckState.Checked]
        speakers = []
        if self.speaker_name.text().strip():
            speakers.append({"name": self.speaker_name.text().strip(), "role": self.speaker_role.currentData()})
        return {
            "type": self.type_combo.currentData(),
            "starts": self.starts_edit.dateTime().toString("yyyy-MM-ddTHH:mm"),
            "ends": self.ends_edit.dateTime().toString("yyyy-MM-ddTHH:mm"),
            "title": self.title_edit.text(), "place": self.place_edit.text(), "topics": topics,
            "languages": [t.strip() for t in self.languages_edit.text().replace(";", ",").split(",") if t.strip()],
            "interpreter": self.interpreter_box.isChecked(), "speakers": speakers,
        }

    def save(self) -> None:
        try:
            self.created_event = self.services.events.add(self.document())
        except ElternlotseError as error:
            self.error.setText(translate_error(error, isolate=True))
            return
        self.accept()
