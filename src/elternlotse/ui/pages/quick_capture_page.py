"""Quick capture: one keyboard-only screen for the stand at a parent-teacher day or an MSO meeting.

Name, language, phone or e-mail, messenger, children's grades, consent per
purpose and channel (the consent text beside each box in German and in the
parent's language), evidence; Enter or Ctrl+S saves (one call to
``FamilyService.add``), then "Print handout" and "Next family" (Alt+N; clears
the form and puts the cursor back on the name).  The school, the language and
the event stay for the next family: at a stand they are usually the same.
When an event of these days exists (the parent-teacher day, the MSO meeting),
the family is marked present at it on saving, and each printed handout is
counted for it (topic x language: the figures offices report).

While typing, the duplicate warning under the form lists families with the
same phone, e-mail or a similar name; "Open existing family" emits
``open_family_requested(family_id)`` for the main window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QMessageBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.consent import EVIDENCE_LABELS, Evidence
from elternlotse.domain.contact import display_phone, foreign_mobile_hint, normalise_email, normalise_phone
from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, translate_error
from elternlotse.i18n.formatting import isolate, ltr
from elternlotse.services.quick_capture import CAPTURE_EVIDENCE, Capture, capture_document
from elternlotse.ui.widgets.capture_parts import ChildRow, EventPicker, field_for_error, show_check
from elternlotse.ui.widgets.consent_choices import ConsentChoices
from elternlotse.ui.widgets.duplicate_warning import DuplicateWarning
from elternlotse.ui.widgets.language_picker import LanguagePicker

MAX_CHILDREN = 6
MESSENGERS = ["", "WhatsApp", "Signal", "Telegram", "Threema"]


class QuickCapturePage(QWidget):
    open_family_requested = Signal(str)
    family_saved = Signal(str)
    status_message = Signal(str)

    @staticmethod
    def page_title() -> str:
        return _("Quick capture")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.saved_family_id = ""
        self.texts = services.consent_texts

        # ---------------------------------------------------------------- the form (left)
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.name.setPlaceholderText(_("as the parent writes it"))
        self.language = LanguagePicker()  # by name, type-ahead on any part: "tür", "араб", "arab"
        self.phone = QLineEdit()
        # The number left to right as a whole: in an Arabic sentence its groups would swap places.
        self.phone.setPlaceholderText(_("e.g. {example}").format(example=ltr("0176 1234 5678")))
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.phone_hint = self._hint_label()
        self.email = QLineEdit()
        self.email.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.email_hint = self._hint_label()
        self.messenger = QComboBox()
        self.messenger.setEditable(True)
        self.messenger.addItems(MESSENGERS)
        self.messenger.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.event_combo = EventPicker()

        self.children_box = QVBoxLayout()
        self.children_box.setSpacing(4)
        self.child_rows: list[ChildRow] = []
        self.add_child_button = QPushButton(_("Add a &child"))
        self.add_child_button.setAutoDefault(True)
        self.add_child_button.clicked.connect(lambda: self._add_child(focus=True))
        self._add_child()

        self.evidence_group = QButtonGroup(self)
        self.evidence_buttons: dict[Evidence, QRadioButton] = {}
        evidence_row = QHBoxLayout()
        for evidence in CAPTURE_EVIDENCE:
            button = QRadioButton(_(EVIDENCE_LABELS[evidence]))
            self.evidence_group.addButton(button)
            self.evidence_buttons[evidence] = button
            evidence_row.addWidget(button)
        evidence_row.addStretch(1)  # nothing preselected: the evidence is chosen on purpose
        self.witness = QLineEdit()
        self.witness.setPlaceholderText(_("name of the witness"))
        self.witness.setEnabled(False)
        self.evidence_buttons[Evidence.VERBAL_WITH_WITNESS].toggled.connect(self.witness.setEnabled)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("Parent's &name"), self.name)
        form.addRow(_("&Language"), self.language)
        form.addRow(_("&Phone"), self.phone)
        form.addRow("", self.phone_hint)
        form.addRow(_("&E-mail"), self.email)
        form.addRow("", self.email_hint)
        form.addRow(_("&Messenger"), self.messenger)
        children_widget = QWidget()
        children_layout = QVBoxLayout(children_widget)
        children_layout.setContentsMargins(0, 0, 0, 0)
        children_layout.addLayout(self.children_box)
        children_layout.addWidget(self.add_child_button, 0, Qt.AlignmentFlag.AlignLeading)
        form.addRow(_("Children"), children_widget)
        form.addRow(_("Consent given"), evidence_row)
        form.addRow(_("&Witness"), self.witness)
        form.addRow(_("E&vent"), self.event_combo)
        self.form = form

        self.duplicates = DuplicateWarning(services)
        self.duplicates.open_family_requested.connect(self.open_family_requested)

        self.form_widget = QWidget()
        left = QVBoxLayout(self.form_widget)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(form)
        left.addWidget(self.duplicates)
        left.addStretch(1)

        # ---------------------------------------------------------------- consent (right)
        self.consent = ConsentChoices()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.consent)
        self.consent_group = QGroupBox()
        group_layout = QVBoxLayout(self.consent_group)
        group_layout.addWidget(scroll)
        self.form_button = QPushButton(_("P&rint consent form..."))
        self.form_button.setToolTip(_("The texts side by side with boxes and a signature line, before anything is saved"))
        self.form_button.clicked.connect(self.print_consent_form)
        group_layout.addWidget(self.form_button, 0, Qt.AlignmentFlag.AlignTrailing)

        # ---------------------------------------------------------------- buttons
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setToolTip(_("Save the family (Enter or Ctrl+S)"))
        self.save_button.setAutoDefault(True)
        self.save_button.clicked.connect(self.save)
        self.next_button = QPushButton(_("Nex&t family"))
        self.next_button.setAutoDefault(True)
        self.next_button.clicked.connect(self.next_family)
        self.print_button = self._handout_button()

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        if self.print_button is not None:
            buttons.addWidget(self.print_button)
        buttons.addWidget(self.next_button)

        columns = QHBoxLayout()
        columns.addWidget(self.form_widget, 5)
        columns.addWidget(self.consent_group, 8)
        outer = QVBoxLayout(self)
        outer.addLayout(columns, 1)
        outer.addLayout(buttons)

        # ---------------------------------------------------------------- keyboard and signals
        for edit in (self.name, self.phone, self.email, self.witness):
            edit.returnPressed.connect(self.save)
        self.messenger.lineEdit().returnPressed.connect(self.save)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        for edit in (self.name, self.phone, self.email):
            edit.textChanged.connect(self._query_duplicates)
        self.phone.textChanged.connect(lambda: self._check_phone(final=False))
        self.phone.editingFinished.connect(lambda: self._check_phone(final=True))
        self.email.textChanged.connect(lambda: self._check_email(final=False))
        self.email.editingFinished.connect(lambda: self._check_email(final=True))
        self.language.currentIndexChanged.connect(self._show_texts)
        self._fix_tab_order()
        self._show_texts()
        self._load_events()
        self.name.setFocus()

    # ---------------------------------------------------------------- building
    @staticmethod
    def _hint_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    def _handout_button(self) -> QPushButton | None:
        """"Print handout" only where handouts can be rendered (no dead buttons)."""
        try:
            from elternlotse.ui.widgets.handout_printing import can_print_handouts, handout_menu
        except ImportError:
            return None
        if not can_print_handouts(self.services):
            return None
        button = QPushButton(_("Print hand&out"))
        button.setAutoDefault(True)
        button.setEnabled(False)
        button.setMenu(handout_menu(self.services, button, self.print_handout))
        return button

    def _add_child(self, focus: bool = False) -> None:
        school = self.child_rows[-1].school.text() if self.child_rows else ""
        row = ChildRow(school)
        self.child_rows.append(row)
        self.children_box.addWidget(row)
        self.add_child_button.setEnabled(len(self.child_rows) < MAX_CHILDREN)
        if focus:
            self._fix_tab_order()
            row.show()  # a hidden widget takes the focus only once shown
            self._focus_grade(row)
            QTimer.singleShot(0, lambda: self._focus_grade(row))  # after the button's own click handling

    @staticmethod
    def _focus_grade(row: ChildRow) -> None:
        """The grade is typed at once: the "grade" placeholder is selected, so a digit replaces it."""
        row.grade.setFocus(Qt.FocusReason.TabFocusReason)
        row.grade.selectAll()

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = [self.name, self.language, self.phone, self.email, self.messenger]
        for row in self.child_rows:
            chain += [row.grade, row.first_name, row.school]
        chain += [self.add_child_button, *self.evidence_buttons.values(), self.witness, self.event_combo]
        chain += list(self.consent.boxes.values())
        chain += [self.save_button] + ([self.print_button] if self.print_button else []) + [self.next_button]
        for first, second in zip(chain, chain[1:], strict=False):  # neighbours
            QWidget.setTabOrder(first, second)

    def _load_events(self) -> None:
        self.form.setRowVisible(self.event_combo, self.event_combo.load(getattr(self.services, "events", None)))

    def current_event(self) -> str:
        return self.event_combo.event_id() if self.form.isRowVisible(self.event_combo) else ""

    # ---------------------------------------------------------------- live feedback
    def _show_texts(self) -> None:
        choice = self.texts.for_parent(self.current_language())
        self.consent.set_choice(choice)
        self.consent_group.setTitle(_("Consent: text version {version}").format(version=ltr(choice.version)))

    def _check_phone(self, final: bool) -> None:
        self._check(self.phone, self.phone_hint, final, lambda text: display_phone(normalise_phone(text, _("Phone"))))
        foreign = foreign_mobile_hint(self.phone.text(), [self.current_language()])
        if foreign is not None:  # "0532 ..." for a Turkish-speaking parent: a German landline, or a Turkish mobile?
            self.phone_hint.setText(_("Without a country code this is stored as a German number. If it is a mobile "
                                      "number from abroad, write it as {number}.").format(number=isolate(display_phone(foreign[1]))))
            self.phone_hint.setStyleSheet("color: #8a5a00;")
            self.phone_hint.setVisible(True)

    def _check_email(self, final: bool) -> None:
        self._check(self.email, self.email_hint, final, lambda text: normalise_email(text, _("E-mail")))

    @staticmethod
    def _check(edit: QLineEdit, hint: QLabel, final: bool, normalise) -> None:
        show_check(edit, hint, final, normalise)

    def _query_duplicates(self) -> None:
        self.duplicates.set_query([self.phone.text()], [self.email.text()], [self.name.text()])

    # ---------------------------------------------------------------- reading the form
    def current_language(self) -> str:
        return self.language.currentData() or "de"

    def capture(self) -> Capture:
        choice = self.consent.choice
        evidence = next((e for e, b in self.evidence_buttons.items() if b.isChecked()), None)
        return Capture(
            name=self.name.text(), language=self.current_language(), phone=self.phone.text(),
            email=self.email.text(), messenger=self.messenger.currentText(),
            children=[row.value() for row in self.child_rows], consents=self.consent.selected(),
            evidence=evidence, witness=self.witness.text(),
            text_version=choice.version if choice else "", text_language=choice.text_language if choice else "",
        )

    # ---------------------------------------------------------------- actions
    def save(self) -> None:
        if self.saved_family_id:
            return
        try:
            document = capture_document(self.capture())
            family = self.services.families.add(document)
        except ElternlotseError as error:
            self._say(translate_error(error, isolate=True), error=True)
            self._focus_for(error)
            return
        self.saved_family_id = family.id
        attended = self._mark_present(family.id)
        self.duplicates.clear()
        self.form_widget.setEnabled(False)
        self.consent_group.setEnabled(False)
        self.save_button.setEnabled(False)
        if self.print_button is not None:
            self.print_button.setEnabled(True)
        message = _("Saved: {name}.").format(name=isolate(family.display_name()))
        if attended:
            message += " " + _("Marked present at {event}.").format(event=isolate(attended))
        self._say(message + " " + _("Print the handout or go on with the next family."))
        self.status_message.emit(message)
        self.family_saved.emit(family.id)
        self.next_button.setFocus()

    def _focus_for(self, error: ElternlotseError) -> None:
        """Move the cursor to the field a refusal names (one sentence says which, the cursor shows where)."""
        target = field_for_error(self, error)
        if isinstance(target, ChildRow):
            self._focus_grade(target)
        elif target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(target, QLineEdit):
                target.selectAll()

    def focus_first(self) -> None:
        if not self.saved_family_id:
            self.name.setFocus()

    def _mark_present(self, family_id: str) -> str:
        """Attendance at the chosen event; returns the event's label ("" without an event)."""
        event_id = self.current_event()
        if not event_id:
            return ""
        try:
            self.services.events.attend(event_id, family_id)
        except ElternlotseError as error:
            self.status_message.emit(translate_error(error, isolate=True))
            return ""
        return self.event_combo.currentText()

    def print_consent_form(self) -> None:
        from elternlotse.ui.widgets.consent_form import print_consent_form

        print_consent_form(self.consent.choice, self.name.text(), self)

    def print_handout(self, topic: str) -> None:
        from elternlotse.ui.widgets.handout_printing import print_family_handout

        if self.saved_family_id:
            print_family_handout(self.services, self.saved_family_id, self, topic, on_printed=self.handout_printed)

    def handout_printed(self, topic: str, language: str) -> None:
        """Count the handout for the event (reports: handouts given, title x language)."""
        event_id = self.current_event()
        if event_id:
            try:
                self.services.events.add_handouts(event_id, topic, language, 1)
            except ElternlotseError as error:
                self.status_message.emit(translate_error(error, isolate=True))
                return
        self._say(_("Handout printed. Go on with the next family."))
        self.next_button.setFocus()

    def next_family(self) -> None:
        """Clear the form for the next parent (school and language stay); unsaved input only when confirmed."""
        if self.has_unsaved_changes() and not self.confirm_discard():
            return
        self.saved_family_id = ""
        for edit in (self.name, self.phone, self.email, self.witness):
            edit.clear()
        self.messenger.setCurrentIndex(0)
        school = self.child_rows[0].school.text() if self.child_rows else ""
        for row in self.child_rows[1:]:
            row.setParent(None)
            row.deleteLater()
        self.child_rows = self.child_rows[:1]
        self.child_rows[0].grade.setValue(0)
        self.child_rows[0].first_name.clear()
        self.child_rows[0].school.setText(school)
        self.add_child_button.setEnabled(True)
        self.evidence_group.setExclusive(False)  # an exclusive group cannot uncheck its last button
        for button in self.evidence_buttons.values():
            button.setChecked(False)
        self.evidence_group.setExclusive(True)
        self.consent.clear()
        self.duplicates.clear()
        for hint in (self.phone_hint, self.email_hint):
            hint.setVisible(False)
        self.form_widget.setEnabled(True)
        self.consent_group.setEnabled(True)
        self.save_button.setEnabled(True)
        if self.print_button is not None:
            self.print_button.setEnabled(False)
        self._say("")
        self._fix_tab_order()
        self.name.setFocus()

    def confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Next family"),
                          _("This family is not saved yet. Discard what was typed?"),
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Discard

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    # ---------------------------------------------------------------- page protocol
    def refresh(self) -> None:
        self._load_events()
        if not self.saved_family_id and not self.name.text():
            self.name.setFocus()

    def has_unsaved_changes(self) -> bool:
        return not self.saved_family_id and bool(self.name.text().strip() or self.phone.text().strip()
                                                 or self.email.text().strip() or self.consent.selected())
