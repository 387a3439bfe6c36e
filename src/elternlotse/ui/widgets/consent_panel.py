"""Consent per person: current state per purpose and channel, full history, grant and withdraw.

Withdrawing is one click, exactly as granting.  The contact buttons offer only
the channels the person currently consents to *and* has a value for; the
others are disabled, with the reason next to them and as a tooltip.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.consent import (
    CHANNEL_LABELS,
    CHANNELLED_PURPOSES,
    CHOSEN_EVIDENCE,
    EVIDENCE_LABELS,
    PURPOSE_LABELS,
    Channel,
    ConsentState,
    Purpose,
    derive,
)
from elternlotse.domain.contact import display_phone
from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.family import Child, Family, Guardian
from elternlotse.i18n import _, translate_error
from elternlotse.i18n.formatting import isolate, join_list, language_name
from elternlotse.ui.models.consent_history_model import ConsentHistoryModel, when_text

#: Every slot a person can consent to, in the order shown.
SLOTS: list[tuple[Purpose, Channel | None]] = [
    (Purpose.STORE, None),
    *[(Purpose.CONTACT, c) for c in Channel],
    *[(p, None) for p in Purpose if p not in CHANNELLED_PURPOSES and p is not Purpose.STORE],
]


def slot_label(purpose: Purpose, channel: Channel | None) -> str:
    if channel is None:
        return _(PURPOSE_LABELS[purpose])
    return _("Contact: {channel}").format(channel=_(CHANNEL_LABELS[channel]))


def contact_value(person: Guardian | Child, channel: Channel) -> str:
    """The address used for ``channel`` ("" when the person has none)."""
    if not isinstance(person, Guardian):
        return ""
    if channel in (Channel.PHONE, Channel.SMS):
        return person.phones[0] if person.phones else ""
    if channel is Channel.EMAIL:
        return person.emails[0] if person.emails else ""
    if channel is Channel.MESSENGER:
        return (f"{person.messengers[0].app} {person.messengers[0].handle}".strip()) if person.messengers else ""
    if channel is Channel.POST:
        return person.address
    return ""


def contact_offer(person: Guardian | Child, state: ConsentState, channel: Channel) -> tuple[bool, str]:
    """(offered, reason if not): consent first, then whether there is a number or address."""
    if not state.allows(Purpose.STORE):
        return False, _("no consent to store the data")
    if not state.allows(Purpose.CONTACT, channel):
        return False, _("no consent for this channel")
    if not contact_value(person, channel):
        return False, _("no number or address recorded")
    return True, ""


def _after(entry) -> str | None:
    """Now, or one second after ``entry`` if that is not earlier.

    Times have whole seconds and a withdrawal wins a tie, so granting again in the
    same second as a withdrawal (a click to undo a misclick) would otherwise not count.
    """
    now = datetime.now(timezone.utc).replace(microsecond=0)
    if entry is None:
        return None
    try:
        last = datetime.strptime(entry.at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    if now > last:
        return None
    return (last + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


#: How long a misclicked consent entry can be taken back with one key.
UNDO_SECONDS = 10

_URL_SCHEMES = {Channel.PHONE: "tel:", Channel.SMS: "sms:", Channel.EMAIL: "mailto:"}


class ConsentPanel(QWidget):
    changed = Signal()                      # a consent was granted or withdrawn
    contact_requested = Signal(str, str)    # channel, value

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.family: Family | None = None
        self.state: ConsentState | None = None

        self.person_combo = QComboBox()
        self.person_combo.currentIndexChanged.connect(self._show_person)
        self.evidence_combo = QComboBox()
        # No preselection: the evidence of every entry is chosen on purpose.
        self.evidence_combo.addItem(_("choose the evidence..."), None)
        for evidence in CHOSEN_EVIDENCE:
            self.evidence_combo.addItem(_(EVIDENCE_LABELS[evidence]), evidence.value)
        self.text_version = QLabel()
        chooser = QFormLayout()
        chooser.addRow(_("&Person:"), self.person_combo)
        chooser.addRow(_("E&vidence for a new entry:"), self.evidence_combo)
        chooser.addRow(_("Consent text:"), self.text_version)

        # current state: one row per purpose/channel with a one-click button
        self.state_box = QGroupBox(_("Current consent"))
        grid = QGridLayout(self.state_box)
        self.state_labels: dict[tuple[Purpose, Channel | None], QLabel] = {}
        self.toggle_buttons: dict[tuple[Purpose, Channel | None], QPushButton] = {}
        for row, slot in enumerate(SLOTS):
            name = QLabel(slot_label(*slot))
            status = QLabel()
            button = QPushButton()
            button.clicked.connect(lambda _checked=False, s=slot: self.toggle(*s))
            grid.addWidget(name, row, 0)
            grid.addWidget(status, row, 1)
            grid.addWidget(button, row, 2)
            self.state_labels[slot], self.toggle_buttons[slot] = status, button
        grid.setColumnStretch(1, 1)

        # contact: only what is consented is offered
        self.contact_box = QGroupBox(_("Contact this person"))
        contact_layout = QVBoxLayout(self.contact_box)
        buttons_row = QHBoxLayout()
        self.contact_buttons: dict[Channel, QPushButton] = {}
        for channel in Channel:
            button = QPushButton(_(CHANNEL_LABELS[channel]))
            button.clicked.connect(lambda _checked=False, c=channel: self.contact(c))
            buttons_row.addWidget(button)
            self.contact_buttons[channel] = button
        buttons_row.addStretch(1)
        self.not_offered = QLabel()
        self.not_offered.setWordWrap(True)
        self.not_offered.setStyleSheet("color: palette(mid);")
        contact_layout.addLayout(buttons_row)
        contact_layout.addWidget(self.not_offered)

        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        # A few seconds to take back a misclick: an explicit correcting entry (the history stays append-only).
        self.undo_label = QLabel()
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(_("&Undo this entry"))
        self.undo_button.clicked.connect(self.undo_last)
        self.undo_bar = QWidget()
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self._end_undo)
        self._last_entry: tuple | None = None

        self.history_model = ConsentHistoryModel(self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        history_box = QGroupBox(_("History (all persons of the family)"))
        QVBoxLayout(history_box).addWidget(self.history)

        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addLayout(chooser)
        left.addWidget(self.contact_box)
        left.addStretch(1)
        top.addLayout(left, 1)
        top.addWidget(self.state_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.undo_bar)
        layout.addWidget(history_box, 1)

    # ---------------------------------------------------------------- data
    def set_family(self, family: Family | None) -> None:
        previous = self.person_combo.currentData()
        self.family = family
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        for person in family.persons() if family else []:
            if isinstance(person, Guardian):
                label = person.name
            else:
                label = _("{name} (child, grade {grade})").format(name=person.first_name or "?", grade=person.grade)
            self.person_combo.addItem(label, person.id)
        index = self.person_combo.findData(previous)
        self.person_combo.setCurrentIndex(max(index, 0))
        self.person_combo.blockSignals(False)
        names = {p.id: (p.name if isinstance(p, Guardian) else p.first_name or "?") for p in family.persons()} if family else {}
        self.history_model.set_history(list(family.consents) if family else [], names)
        self._show_person()

    def person(self) -> Guardian | Child | None:
        person_id = self.person_combo.currentData()
        for person in self.family.persons() if self.family else []:
            if person.id == person_id:
                return person
        return None

    def _text_choice(self, person):
        languages = person.languages if isinstance(person, Guardian) else []
        try:
            return self.services.consent_texts.for_parent(languages[0] if languages else "de")
        except ElternlotseError:
            return None

    def _show_person(self) -> None:
        person = self.person()
        enabled = person is not None
        self.state = derive(person.id, self.family.consents) if person else None
        choice = self._text_choice(person) if person else None
        self.text_version.setText(
            _("version {version}, German and {language}").format(
                version=choice.version, language=language_name(choice.text_language))
            if choice else "-")
        for slot, label in self.state_labels.items():
            entry = self.state.current.get(slot) if self.state else None
            button = self.toggle_buttons[slot]
            button.setEnabled(enabled)
            if entry is None:
                label.setText(_("not asked"))
                button.setText(_("Grant"))
            elif entry.granted:
                label.setText(_("given {when}").format(when=when_text(entry.at)))
                button.setText(_("Withdraw"))
            else:
                label.setText(_("withdrawn {when}").format(when=when_text(entry.at)))
                button.setText(_("Grant"))
            label.setStyleSheet("color: #2e7d32;" if entry is not None and entry.granted else
                                "color: #b00020;" if entry is not None else "color: palette(mid);")
            if choice is not None and slot[0] in PURPOSE_LABELS:
                try:
                    words = "\n\n".join(t.for_purpose(*slot) for t in choice.texts)
                except (KeyError, ValueError):
                    words = ""
                button.setToolTip(words)
        reasons = []
        for channel, button in self.contact_buttons.items():
            offered, reason = contact_offer(person, self.state, channel) if person else (False, "")
            button.setEnabled(offered)
            button.setToolTip(contact_value(person, channel) if offered and person else reason)
            if not offered and reason:
                reasons.append(_("{channel}: {reason}").format(channel=_(CHANNEL_LABELS[channel]), reason=reason))
        self.not_offered.setText(_("Not offered: {reasons}").format(reasons=join_list(reasons, strong=True)) if reasons else "")

    # ---------------------------------------------------------------- actions
    def toggle(self, purpose: Purpose, channel: Channel | None) -> None:
        """Grant what is not given, withdraw what is given: with the evidence chosen, a withdrawal confirmed."""
        person = self.person()
        if person is None or self.state is None:
            return
        granted = not self.state.allows(purpose, channel)
        evidence = self.evidence_combo.currentData()
        if not evidence:
            self._refuse(_("Please choose the evidence for this entry first (how was it given?)."))
            self.evidence_combo.setFocus()
            return
        if not granted and not self.confirm_withdrawal(person, purpose, channel):
            return
        self._record(person, purpose, channel, granted, evidence)
        if self.error_label.isHidden():
            self._offer_undo(person, purpose, channel, granted, evidence)

    def confirm_withdrawal(self, person, purpose: Purpose, channel: Channel | None) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Withdraw consent"), _("Withdraw the consent \"{what}\" of {name}?").format(
            what=slot_label(purpose, channel), name=isolate(self.person_combo.currentText())),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)  # Enter on a misclick changes nothing
        return box.exec() == QMessageBox.StandardButton.Yes

    def _offer_undo(self, person, purpose: Purpose, channel: Channel | None, granted: bool, evidence: str) -> None:
        self._last_entry = (person.id, purpose, channel, granted, evidence)
        what = slot_label(purpose, channel)
        self.undo_label.setText(
            (_("Recorded: \"{what}\" given.") if granted else _("Recorded: \"{what}\" withdrawn.")).format(what=what))
        self.undo_bar.show()
        self._undo_timer.start()

    def _end_undo(self) -> None:
        self._undo_timer.stop()
        self._last_entry = None
        self.undo_bar.hide()

    def undo_last(self) -> None:
        """Take back the last entry by writing the opposite one (the history keeps both)."""
        if self._last_entry is None:
            return
        person_id, purpose, channel, granted, evidence = self._last_entry
        self._end_undo()
        person = next((p for p in self.family.persons() if p.id == person_id), None) if self.family else None
        if person is not None:
            self._record(person, purpose, channel, not granted, evidence)

    def _refuse(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _record(self, person, purpose: Purpose, channel: Channel | None, granted: bool, evidence: str) -> None:
        state = derive(person.id, self.family.consents)
        choice = self._text_choice(person)
        try:
            self.services.consent.record(
                person.id, purpose, channel, granted, evidence=evidence, at=_after(state.current.get((purpose, channel))),
                text_version=choice.version if (choice and granted) else "",
                text_language=choice.text_language if (choice and granted) else "")
            self.set_family(self.services.families.get(self.family.id))
        except ElternlotseError as error:
            self.error_label.setText(translate_error(error))
            self.error_label.show()
            return
        self.error_label.hide()
        self.changed.emit()

    def contact(self, channel: Channel) -> None:
        person = self.person()
        if person is None or not contact_offer(person, self.state, channel)[0]:
            return  # never contact without consent, even if called directly
        value = contact_value(person, channel)
        self.contact_requested.emit(channel.value, value)
        scheme = _URL_SCHEMES.get(channel)
        if scheme and QDesktopServices.openUrl(QUrl(scheme + value.replace(" ", ""))):
            return
        self._show_value(channel, value)  # a laptop without a phone or mail program: the number to dial

    def _show_value(self, channel: Channel, value: str) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        shown = display_phone(value) if channel in (Channel.PHONE, Channel.SMS) else value
        box = QMessageBox(QMessageBox.Icon.Information, _(CHANNEL_LABELS[channel]),
                          _("No program on this computer opens it. The number or address: {value}").format(
                              value=isolate(shown)), QMessageBox.StandardButton.Close, self)
        copy = box.addButton(_("Copy"), QMessageBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(shown))
        box.setObjectName("contact_value")
        box.open()


__all__ = ["ConsentPanel", "SLOTS", "contact_offer"]
