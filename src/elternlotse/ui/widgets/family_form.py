"""The editable parts of a family: one group per guardian, one grid row per child.

They only read and show widgets and build the portable document's parts; the
family service validates.  Used by the family detail view.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QSpinBox, QToolButton

from elternlotse.domain.contact import display_phone
from elternlotse.i18n import _
from elternlotse.i18n.formatting import ltr
from elternlotse.ui.widgets.language_picker import LanguagePicker


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text or "") if part.strip()]


def parse_messengers(text: str) -> list[dict]:
    """"WhatsApp: +49 176 1234, Signal" -> [{"app": "WhatsApp", "handle": "+49 176 1234"}, {"app": "Signal"}]."""
    out = []
    for part in split_list(text):
        app, _sep, handle = part.partition(":")
        out.append({"app": app.strip(), "handle": handle.strip()})
    return out


class GuardianEditor(QGroupBox):
    def __init__(self, detail, data: dict) -> None:  # detail: commit_edit, typed, remove_person
        super().__init__()
        self.person_id = data.get("id", "")
        self.name = QLineEdit(data.get("name", ""))
        # Languages by name with type-ahead, as in quick capture; a third or further language
        # stored elsewhere (CLI, sync) has no field here and is kept as it is.
        tags = list(dict.fromkeys(data.get("languages", [])))
        self.languages = LanguagePicker(none_label=_("(none)"))
        self.other_language = LanguagePicker(none_label=_("(none)"))
        for picker, tag in ((self.languages, tags[0] if tags else ""), (self.other_language, tags[1] if len(tags) > 1 else "")):
            if tag:
                picker.set_tag(tag)
            else:
                picker.set_tag_none()
            picker.currentIndexChanged.connect(detail.commit_edit)
        self.languages.setAccessibleName(_("Language"))
        self.other_language.setAccessibleName(_("Second language"))
        self._further_languages = tags[2:]
        self.phones = QLineEdit(", ".join(display_phone(p) for p in data.get("phones", [])))
        self.emails = QLineEdit(", ".join(data.get("emails", [])))
        self.messengers = QLineEdit(", ".join(
            f"{m.get('app', '')}: {m.get('handle', '')}" if m.get("handle") else m.get("app", "")
            for m in data.get("messenger", [])))
        self.messengers.setPlaceholderText(_("e.g. {example}").format(example=ltr("WhatsApp: +49 176 1234567")))
        self.address = QLineEdit(data.get("address", ""))
        for edit in (self.name, self.phones, self.emails, self.messengers, self.address):
            edit.editingFinished.connect(detail.commit_edit)
            edit.textEdited.connect(detail.typed)
        self.remove_button = QToolButton()
        self.remove_button.setText(_("Remove"))
        self.remove_button.clicked.connect(lambda: detail.remove_person(self))
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab like every button
        form = QFormLayout(self)
        # No mnemonics here: a family can have several guardians, and one letter must mean one field.
        form.addRow(_("Name:"), self.name)
        language_row = QHBoxLayout()
        language_row.addWidget(self.languages, 1)
        language_row.addWidget(self.other_language, 1)
        form.addRow(_("Languages:"), language_row)
        label = form.labelForField(language_row)
        if label is not None:
            label.setBuddy(self.languages)
        form.addRow(_("Phone:"), self.phones)
        form.addRow(_("E-mail:"), self.emails)
        form.addRow(_("Messenger:"), self.messengers)
        form.addRow(_("Address:"), self.address)
        form.addRow("", self.remove_button)
        self.name.textChanged.connect(self._named)
        self._named(self.name.text())

    def _named(self, text: str) -> None:
        self.setTitle(text or _("New guardian"))
        self.remove_button.setAccessibleName(_("Remove guardian {name}").format(name=text.strip() or _("New guardian")))

    def fields(self) -> list:
        return [self.name, self.languages, self.other_language, self.phones, self.emails, self.messengers, self.address,
                self.remove_button]

    def first_field(self):
        return self.name

    def document(self) -> dict:
        chosen = [self.languages.current_tag(), self.other_language.current_tag(), *self._further_languages]
        data = {"name": self.name.text(), "languages": list(dict.fromkeys(tag for tag in chosen if tag)),
                "phones": split_list(self.phones.text()), "emails": split_list(self.emails.text()),
                "messenger": parse_messengers(self.messengers.text()), "address": self.address.text()}
        if self.person_id:
            data["id"] = self.person_id
        return data


class ChildEditor:
    """One row of the children grid."""

    def __init__(self, detail, data: dict) -> None:  # detail: commit_edit, typed, remove_person
        self.person_id = data.get("id", "")
        self.first_name = QLineEdit(data.get("first_name", ""))
        self.first_name.setPlaceholderText(_("optional"))
        self.grade = QSpinBox()
        self.grade.setRange(1, 13)
        self.grade.setValue(int(data.get("grade") or 8))
        self.school = QLineEdit(data.get("school", ""))
        self.school_year = QLineEdit(data.get("school_year", ""))
        self.school_year.setPlaceholderText("2026/27")
        self.school_year.setMaximumWidth(90)
        for edit in (self.first_name, self.school, self.school_year):
            edit.editingFinished.connect(detail.commit_edit)
            edit.textEdited.connect(detail.typed)
        self.grade.valueChanged.connect(detail.commit_edit)
        self.remove_button = QToolButton()
        self.remove_button.setText(_("Remove"))
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.remove_button.clicked.connect(lambda: detail.remove_person(self))
        self.widgets = [self.first_name, self.grade, self.school, self.school_year, self.remove_button]
        self.first_name.textChanged.connect(self._named)
        self._named(self.first_name.text())

    def _named(self, text: str) -> None:
        """Grid cells have no label of their own: each says what it is and whose it is."""
        who = text.strip() or _("New child")
        for widget, what in ((self.first_name, _("First name")), (self.grade, _("Grade")), (self.school, _("School")),
                             (self.school_year, _("School year"))):
            widget.setAccessibleName(_("{field} of {child}").format(field=what, child=who))
        self.remove_button.setAccessibleName(_("Remove child {name}").format(name=who))

    def first_field(self):
        return self.first_name

    def document(self) -> dict:
        data = {"first_name": self.first_name.text(), "grade": self.grade.value(), "school": self.school.text(),
                "school_year": self.school_year.text()}
        if self.person_id:
            data["id"] = self.person_id
        return data
