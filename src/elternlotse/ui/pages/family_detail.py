"""One family: edit guardians, children, channels and notes; consent; access copy; erasure.

Edits are collected in a ``QUndoStack`` (each finished field edit, each added or
removed person is one step: Ctrl+Z / Ctrl+Shift+Z, also while the cursor is in a
field: the fields' own undo shortcuts are routed to the one stack) and written with Ctrl+S
through ``services.families.update`` (or ``add`` for a new family).  The form
only reads widgets and builds the portable document; the service validates.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import logging

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, translate_error
from elternlotse.i18n.formatting import isolate, ui_paragraph
from elternlotse.ui.dialogs.access_copy_dialog import AccessCopyDialog
from elternlotse.ui.tasks import runner_for
from elternlotse.ui.widgets.checklist_widget import FamilyChecklists
from elternlotse.ui.widgets.consent_panel import ConsentPanel
from elternlotse.ui.widgets.contact_panel import ContactPanel
from elternlotse.ui.widgets.family_form import ChildEditor, GuardianEditor
from elternlotse.ui.widgets.form_undo import Snapshot, UndoRouter

log = logging.getLogger(__name__)


class FamilyDetail(QWidget):
    saved = Signal(str)                 # family id (added or updated)
    erased = Signal(str)
    consent_changed = Signal(str)
    back_requested = Signal()
    open_family_requested = Signal(str)  # from the duplicate warning
    status_message = Signal(str)

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.family_id = ""
        self._loading = False
        self._snapshot: dict = {}
        self.guardian_editors: list[GuardianEditor] = []
        self.child_editors: list[ChildEditor] = []
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._update_buttons)
        self._typing = QTimer(self, singleShot=True, interval=700)
        self._typing.timeout.connect(self.commit_edit)
        self._undo_router = UndoRouter(self)

        # header
        self.back_button = QPushButton(_("&Back to the list"))
        self.back_button.setToolTip(_("Back to the list (Escape)"))
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setToolTip(_("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.undo_button = QPushButton(_("Undo"))
        self.undo_button.setToolTip(_("Undo (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        self.redo_button = QPushButton(_("Redo"))
        self.redo_button.setToolTip(_("Redo (Ctrl+Shift+Z)"))
        self.redo_button.clicked.connect(self.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.access_button = QPushButton(_("A&ccess copy..."))
        self.access_button.setToolTip(_("Show, print or save everything stored about this family (GDPR Art. 15/20)"))
        self.access_button.clicked.connect(self.show_access_copy)
        self.erase_button = QPushButton(_("E&rase..."))
        self.erase_button.setToolTip(_("Erase the family's personal data (GDPR Art. 17)"))
        self.erase_button.clicked.connect(self.confirm_erase)
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)
        for button in (self.undo_button, self.redo_button, self.save_button, self.access_button, self.erase_button):
            header.addWidget(button)

        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        # family tab
        self.guardians_box = QVBoxLayout()
        self.add_guardian_button = add_guardian = QPushButton(_("&Add guardian"))
        add_guardian.clicked.connect(lambda: self.add_person("guardian"))
        self.children_grid = QGridLayout()
        for column, title in enumerate((_("First name"), _("Grade"), _("School"), _("School year"))):
            self.children_grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.children_grid.setColumnStretch(2, 1)
        self.add_child_button = add_child = QPushButton(_("Add chi&ld"))
        add_child.clicked.connect(lambda: self.add_person("child"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)  # Tab leaves the notes; it never types into the data
        self.notes.setUndoRedoEnabled(False)  # one undo history: the form's
        self.notes.installEventFilter(self._undo_router)
        self.notes.setAccessibleName(_("Notes"))
        self.notes.setPlaceholderText(_("Notes (no health data, marks or test results)"))
        self.notes.setMaximumHeight(110)
        self.notes.textChanged.connect(self.typed)

        children_box = QGroupBox(_("Children"))
        children_layout = QVBoxLayout(children_box)
        children_layout.addLayout(self.children_grid)
        children_layout.addWidget(add_child, 0, Qt.AlignmentFlag.AlignLeading)
        notes_box = QGroupBox(_("Notes"))
        QVBoxLayout(notes_box).addWidget(self.notes)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        guardians_row = QHBoxLayout()
        guardians_row.addLayout(self.guardians_box, 1)
        body_layout.addLayout(guardians_row)
        body_layout.addWidget(add_guardian, 0, Qt.AlignmentFlag.AlignLeading)
        self.duplicates = self._duplicate_warning()
        if self.duplicates is not None:
            body_layout.addWidget(self.duplicates)
        body_layout.addWidget(children_box)
        body_layout.addWidget(notes_box)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible Tab stop between the tabs and the fields
        scroll.setWidget(body)
        self.scroll = scroll

        self.consent_panel = ConsentPanel(services)
        self.consent_panel.changed.connect(lambda: self.consent_changed.emit(self.family_id))
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, _("Fam&ily"))
        self.consent_tab = self.tabs.addTab(self.consent_panel, _("C&onsent"))
        self.checklists = FamilyChecklists(services)  # each child's KAoA checklist
        self.checklist_tab = self.tabs.addTab(self.checklists, _("&KAoA steps"))
        self.contacts = ContactPanel(services)  # conversations with the family, recorded in seconds
        self.contacts_tab = self.tabs.addTab(self.contacts, _("Con&tacts"))

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)

        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save)
        for keys, slot in ((QKeySequence.StandardKey.Undo, self.undo),
                           (QKeySequence.StandardKey.Redo, self.redo)):
            shortcut = QShortcut(self)
            shortcut.setKeys(keys)  # every binding of the platform: Ctrl+Y and Ctrl+Shift+Z for redo
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    def _duplicate_warning(self):
        try:
            from elternlotse.ui.widgets.duplicate_warning import DuplicateWarning
        except ImportError:
            return None
        warning = DuplicateWarning(self.services, self)
        warning.open_family_requested.connect(self.open_family_requested)
        return warning

    # ---------------------------------------------------------------- loading
    def load(self, family_id: str) -> None:
        family = self.services.families.get(family_id)
        log.info("family %s opened", family.id)
        self.family_id = family.id
        self.set_form(self.services.families.document(family.id))
        if self.duplicates is not None:
            self.duplicates.clear()  # quiet on a stored family: the warning speaks up after an edit
        self.consent_panel.set_family(family)
        self.tabs.setTabEnabled(self.consent_tab, True)
        self.checklists.load(family.id)
        self.tabs.setTabEnabled(self.checklist_tab, True)
        self.contacts.set_family(family)
        self.tabs.setTabEnabled(self.contacts_tab, True)
        self.undo_stack.clear()
        self.error_label.hide()
        self._update_buttons()
        self._show_form_top()

    def _show_form_top(self) -> None:
        """A newly opened family starts at its top, with the cursor in the first field."""
        self.tabs.setCurrentIndex(0)
        self.scroll.verticalScrollBar().setValue(0)
        first = self.guardian_editors[0].name if self.guardian_editors else self.add_guardian_button
        first.setFocus()

    def new_family(self) -> None:
        self.family_id = ""
        self.set_form({"guardians": [{"name": ""}], "children": [], "notes": ""})
        self.consent_panel.set_family(None)
        self.tabs.setTabEnabled(self.consent_tab, False)
        self.checklists.load("")
        self.tabs.setTabEnabled(self.checklist_tab, False)
        self.contacts.set_family(None)
        self.tabs.setTabEnabled(self.contacts_tab, False)
        self.tabs.setCurrentIndex(0)
        self.undo_stack.clear()
        self.error_label.hide()
        self._update_buttons()
        self._show_form_top()

    def set_form(self, document: dict) -> None:
        """Show ``document`` in the widgets (used by load, undo and redo)."""
        self._loading = True
        try:
            for editor in self.guardian_editors:
                editor.setParent(None)
                editor.deleteLater()
            for child in self.child_editors:
                for widget in child.widgets:
                    widget.setParent(None)
                    widget.deleteLater()
            self.guardian_editors, self.child_editors = [], []
            for data in document.get("guardians", []):
                self._add_guardian_editor(data)
            for data in document.get("children", []):
                self._add_child_editor(data)
            if self.notes.toPlainText() != document.get("notes", ""):
                self.notes.setPlainText(document.get("notes", ""))
            self._snapshot = self.form_document()
        finally:
            self._loading = False
        self._fix_tab_order()
        names = [g.get("name", "") for g in document.get("guardians", [])]
        # Each name as a bidi island in a paragraph of the UI's direction: "فاطمة / Олена" keeps its order.
        self.title.setText(ui_paragraph(" / ".join(isolate(n) for n in names if n)) if any(names) else _("New family"))
        self._check_duplicates()

    def _fields(self) -> list[QWidget]:
        """The form's focusable widgets in reading order (the Tab order)."""
        chain: list[QWidget] = []
        for guardian in self.guardian_editors:
            chain += guardian.fields()
        chain.append(self.add_guardian_button)
        if self.duplicates is not None:
            chain += self.duplicates.focusable()
        for child in self.child_editors:
            chain += [w for w in child.widgets]
        chain += [self.add_child_button, self.notes]
        return chain

    def _fix_tab_order(self) -> None:
        chain = [self.back_button, self.undo_button, self.redo_button, self.save_button, self.access_button,
                 self.erase_button, self.tabs.tabBar(), *self._fields()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _route_undo(self, widgets) -> None:
        for widget in widgets:
            if isinstance(widget, (QLineEdit, QAbstractSpinBox)):
                widget.installEventFilter(self._undo_router)

    def undo(self) -> None:
        self._step(self.undo_stack.undo)

    def redo(self) -> None:
        self._step(self.undo_stack.redo)

    def _step(self, action) -> None:
        """Undo or redo one step; the cursor stays in the same field of the rebuilt form."""
        fields = self._fields()
        focus = self.focusWidget()
        position = fields.index(focus) if focus in fields else -1
        self.commit_edit()  # what was typed since the last step is a step of its own
        action()
        fields = self._fields()
        if 0 <= position < len(fields):
            fields[position].setFocus()

    def _add_guardian_editor(self, data: dict) -> GuardianEditor:
        editor = GuardianEditor(self, data)
        self._route_undo(editor.fields())
        self.guardian_editors.append(editor)
        self.guardians_box.addWidget(editor)
        return editor

    def _add_child_editor(self, data: dict) -> ChildEditor:
        editor = ChildEditor(self, data)
        self._route_undo(editor.widgets)
        self.child_editors.append(editor)
        row = len(self.child_editors)
        for column, widget in enumerate(editor.widgets):
            self.children_grid.addWidget(widget, row, column)
        return editor

    # ---------------------------------------------------------------- editing
    def form_document(self) -> dict:
        return {"guardians": [g.document() for g in self.guardian_editors],
                "children": [c.document() for c in self.child_editors],
                "notes": self.notes.toPlainText()}

    def typed(self, *_args) -> None:
        if not self._loading:
            self._typing.start()

    def commit_edit(self, *_args, text: str = "") -> None:
        """Record the edit since the last step as one undo step."""
        if self._loading:
            return
        self._typing.stop()
        after = self.form_document()
        if after == self._snapshot:
            return
        before, self._snapshot = self._snapshot, after
        self.undo_stack.push(Snapshot(self, before, after, text or _("Edit")))
        self._check_duplicates()

    def add_person(self, kind: str) -> None:
        self.commit_edit()
        if kind == "guardian":
            editor = self._add_guardian_editor({"name": ""})
        else:
            editor = self._add_child_editor({"grade": 8})
        self._fix_tab_order()
        editor.first_field().setFocus()
        self.commit_edit(text=_("Add guardian") if kind == "guardian" else _("Add child"))

    def remove_person(self, editor) -> None:
        self.commit_edit()
        if isinstance(editor, GuardianEditor):
            self.guardian_editors.remove(editor)
            editor.setParent(None)
            editor.deleteLater()
        else:
            self.child_editors.remove(editor)
            for widget in editor.widgets:
                widget.setParent(None)
                widget.deleteLater()
        self._fix_tab_order()
        self.add_guardian_button.setFocus() if isinstance(editor, GuardianEditor) else self.add_child_button.setFocus()
        self.commit_edit(text=_("Remove"))

    def _check_duplicates(self) -> None:
        if self.duplicates is None:
            return
        guardians = [g.document() for g in self.guardian_editors]
        self.duplicates.set_query(
            phones=[p for g in guardians for p in g["phones"]], emails=[m for g in guardians for m in g["emails"]],
            names=[g["name"] for g in guardians if g["name"]], exclude=self.family_id)

    def has_unsaved_changes(self) -> bool:
        return self.form_document() != self._snapshot or not self.undo_stack.isClean()

    def _update_buttons(self, *_args) -> None:
        self.undo_button.setEnabled(self.undo_stack.canUndo())
        self.redo_button.setEnabled(self.undo_stack.canRedo())
        self.access_button.setEnabled(bool(self.family_id))
        self.erase_button.setEnabled(bool(self.family_id))

    # ---------------------------------------------------------------- saving
    def save(self) -> bool:
        self.commit_edit()
        document = self.form_document()
        try:
            if self.family_id:
                family = self.services.families.update(self.family_id, document)
            else:
                family = self.services.families.add(document)
        except ElternlotseError as error:
            log.info("family %s not saved: %s %s", self.family_id or "(new)", type(error).__name__, error.message_id)
            self.error_label.setText(translate_error(error))
            self.error_label.show()
            return False
        focus = self.focusWidget()
        fields = self._fields()
        position = fields.index(focus) if focus in fields else -1
        self.load(family.id)
        if 0 <= position < len(self._fields()):  # Ctrl+S keeps the cursor where it was
            self._fields()[position].setFocus()
        self.status_message.emit(_("Saved: {name}").format(name=family.display_name()))
        self.saved.emit(family.id)
        return True

    # ---------------------------------------------------------------- GDPR
    def show_access_copy(self) -> None:
        if not self.family_id:
            return
        family_id = self.family_id
        organisation = self.services.store.info.organisation
        runner_for(self).run(lambda services, progress: services.families.document(family_id),
                             on_done=lambda document: self._open_access_copy(document, organisation),
                             title=_("Preparing the access copy..."), parent=self)

    def _open_access_copy(self, document: dict, organisation: str) -> None:
        self.access_dialog = AccessCopyDialog(document, organisation, self, services=self.services)
        self.access_dialog.open()

    def confirm_erase(self) -> None:
        if not self.family_id:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Erase family"))
        box.setText(_("Erase all personal data of {name}?").format(name=self.title.text()))
        box.setInformativeText(_(
            "Names, contacts, children and notes are removed from this computer, and the erasure travels with "
            "the next sync. A tombstone without personal data stays, so that an old copy cannot bring the data "
            "back. The consent history stays as proof. This cannot be undone."))
        erase = box.addButton(_("Erase"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is erase:
            self.erase()

    def erase(self):
        """Erase in the background; ``erased`` is emitted when done."""
        family_id = self.family_id
        self.setEnabled(False)

        def done(_result) -> None:
            self.setEnabled(True)
            self.family_id = ""
            self.undo_stack.clear()
            self.status_message.emit(_("The family was erased."))
            self.erased.emit(family_id)

        def failed(error) -> None:
            self.setEnabled(True)
            from elternlotse.ui.tasks import error_text

            self.error_label.setText(error_text(error))
            self.error_label.show()

        return runner_for(self).run(lambda services, progress: services.families.erase(family_id),
                                    on_done=done, on_error=failed, title=_("Erasing..."), parent=self)
