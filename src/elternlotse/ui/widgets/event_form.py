"""A small dialog to plan an event: type, date and time, place, title, topics (stages), languages, speakers.

Dates and times are typed in the UI locale's own format with a four-digit year (AM/PM where the
locale uses it); the end keeps its distance to the start when the start moves.  Languages are
chosen by name: type part of a name in the picker (Enter) and it is ticked in the list.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QCompleter,
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
from elternlotse.domain.partners import SPEAKER_ROLE_OF_KIND
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.languages import PARENT_LANGUAGES
from elternlotse.ui.i18n_qt import date_display_format, qt_display_format
from elternlotse.ui.widgets.language_picker import LanguagePicker, language_label


def locale_datetime_format(locale: QLocale | None = None) -> str:
    """The app's one date format and the locale's short time ("dd.MM.yyyy HH:mm", "M/d/yyyy h:mm AP")."""
    locale = locale or QLocale()
    return f"{date_display_format()} {locale.timeFormat(QLocale.FormatType.ShortFormat)}"


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
        self.ends_edit = QDateTimeEdit(start.addSecs(2 * 3600))
        for edit in (self.starts_edit, self.ends_edit):
            edit.setDisplayFormat(qt_display_format(locale_datetime_format(), edit.isRightToLeft()))
            edit.setCalendarPopup(True)
        self._duration = 2 * 3600
        self.starts_edit.dateTimeChanged.connect(self._start_moved)
        self.ends_edit.dateTimeChanged.connect(self._end_moved)
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
        self.languages_list = QListWidget()
        for tag in PARENT_LANGUAGES:
            item = QListWidgetItem(language_label(tag))
            item.setData(Qt.ItemDataRole.UserRole, tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tag == "de" else Qt.CheckState.Unchecked)
            self.languages_list.addItem(item)
        self.languages_list.setAccessibleName(_("Languages"))
        self.language_picker = LanguagePicker()
        self.language_picker.setAccessibleName(_("Add a language by name"))
        self.language_picker.lineEdit().clear()
        self.language_picker.currentIndexChanged.connect(self._language_picked)
        self.interpreter_box = QCheckBox(_("Interpreter present"))
        self.speaker_name = QLineEdit()
        self.speaker_role = QComboBox()
        for role in SPEAKER_ROLES:
            self.speaker_role.addItem(_(SPEAKER_ROLE_LABELS[role]), role)
        self._partner_roles = {p.label(): SPEAKER_ROLE_OF_KIND.get(p.kind, "other") for p in services.partners.list()}
        if self._partner_roles:   # speakers picked from the partners directory; free text stays possible
            completer = QCompleter(sorted(self._partner_roles), self.speaker_name)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.activated.connect(self._partner_picked)
            self.speaker_name.setCompleter(completer)
        self.error = QLabel()
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("Type"), self.type_combo)
        form.addRow(_("Starts"), self.starts_edit)
        form.addRow(_("Ends"), self.ends_edit)
        form.addRow(_("Title"), self.title_edit)
        form.addRow(_("Place"), self.place_edit)
        form.addRow(_("Topics (stages)"), self.topics_list)
        form.addRow(_("Languages"), self.language_picker)
        form.addRow("", self.languages_list)
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

    def _partner_picked(self, label: str) -> None:
        index = self.speaker_role.findData(self._partner_roles.get(label, "other"))
        if index >= 0:
            self.speaker_role.setCurrentIndex(index)

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
            "languages": self.languages(),
            "interpreter": self.interpreter_box.isChecked(), "speakers": speakers,
        }

    def languages(self) -> list[str]:
        return [self.languages_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.languages_list.count())
                if self.languages_list.item(i).checkState() == Qt.CheckState.Checked]

    def _language_picked(self, _index: int) -> None:
        tag = self.language_picker.current_tag()
        for row in range(self.languages_list.count()):
            item = self.languages_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == tag:
                item.setCheckState(Qt.CheckState.Checked)
                self.languages_list.scrollToItem(item)

    def _start_moved(self, start: QDateTime) -> None:
        self.ends_edit.blockSignals(True)
        self.ends_edit.setDateTime(start.addSecs(self._duration))
        self.ends_edit.blockSignals(False)

    def _end_moved(self, end: QDateTime) -> None:
        seconds = self.starts_edit.dateTime().secsTo(end)
        if seconds >= 0:
            self._duration = seconds

    def save(self) -> None:
        try:
            self.created_event = self.services.events.add(self.document())
        except ElternlotseError as error:
            self.error.setText(translate_error(error, isolate=True))
            return
        self.accept()
