"""Settings page: the navigator's UI language, the idle lock, the organisation details.

Language switch, chosen behaviour (docs/i18n.md): the choice is saved to
settings.json at once; then the navigator decides between

* **Switch now**: the main window is rebuilt in the new language (every string is
  built again; the store stays open, the current page is shown again).  Offered
  only when no page reports unsaved entries (optional ``has_unsaved_changes()``
  on a page); otherwise the page names them and asks to save them first;
* **At next start**: nothing changes until the app is started again.

The UI language is the navigator's; it has nothing to do with a parent's language
(handouts, consent texts), which is chosen per person and per handout.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from elternlotse import settings as settings_file
from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.formatting import (
    format_date, format_number, format_time, isolate, join_list, language_name, ui_paragraph, ui_value,
)
from elternlotse.i18n.languages import UI_LANGUAGES, language
from elternlotse.ui import i18n_qt
from elternlotse.ui.widgets.backup_box import BackupBox


class SettingsPage(QWidget):
    #: (new settings, switch the UI language now).  The main window forwards it to the
    #: session, which rebuilds the window for a new language.
    settings_changed = Signal(object, bool)
    status_message = Signal(str)
    #: "Change passphrase..." pressed: the session closes the store and shows the passphrase dialog.
    passphrase_change_requested = Signal()
    identity_changed = Signal()  # name or organisation saved: the status bar shows them

    @staticmethod
    def page_title() -> str:
        return _("Settings")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.data_dir = Path(services.store.path).parent
        self.settings = settings_file.load(self.data_dir)

        # ---- language
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("ui_language")
        system = i18n_qt.resolve_language("")
        self.language_combo.addItem(
            _("Language of this computer ({language})").format(language=isolate(language(system).own_name)), "")
        for name, tag in i18n_qt.language_choices(UI_LANGUAGES):
            self.language_combo.addItem(name, tag)
            index = self.language_combo.count() - 1
            self.language_combo.setItemData(index, language_name(tag), Qt.ItemDataRole.ToolTipRole)
        self.apply_language_button = QPushButton(_("Apply language"))
        self.apply_language_button.clicked.connect(self.apply_language)
        self.language_combo.currentIndexChanged.connect(self._update_apply_button)
        row = QHBoxLayout()
        row.addWidget(self.language_combo, 1)
        row.addWidget(self.apply_language_button)
        row.addStretch(1)
        note = QLabel(_("This is the language of the app for you. Handouts and consent texts are printed in the "
                        "parent's language, which you choose for each family."))
        note.setWordWrap(True)
        self.formats_label = QLabel()
        self.formats_label.setWordWrap(True)
        language_box = QGroupBox(_("Language"))
        language_form = QFormLayout(language_box)
        language_form.addRow(_("Language of the app:"), row)
        language_form.addRow(note)
        language_form.addRow(_("Formats:"), self.formats_label)

        # ---- lock
        self.idle_spin = QSpinBox()
        self.idle_spin.setObjectName("idle_lock_minutes")
        self.idle_spin.setRange(0, settings_file.MAX_IDLE_MINUTES)
        self.idle_spin.setSpecialValueText(_("never"))
        self.idle_spin.setSuffix(" " + _("min"))
        self.idle_spin.editingFinished.connect(self.apply_idle_minutes)
        self.idle_spin.setMaximumWidth(220)
        self.language_combo.setMaximumWidth(420)
        lock_box = QGroupBox(_("Security"))
        lock_form = QFormLayout(lock_box)
        lock_form.addRow(_("Lock after no use for:"), self.idle_spin)
        self.passphrase_button = QPushButton(_("Change passphrase..."))
        self.passphrase_button.setObjectName("change_passphrase")
        self.passphrase_button.clicked.connect(self.passphrase_change_requested)
        passphrase_row = QHBoxLayout()
        passphrase_row.addWidget(self.passphrase_button)
        self.recovery_button = QPushButton(_("Recovery key..."))
        self.recovery_button.setObjectName("recovery_key")
        self.recovery_button.clicked.connect(self.open_recovery_key)
        passphrase_row.addWidget(self.recovery_button)
        passphrase_row.addStretch(1)
        lock_form.addRow(_("Passphrase:"), passphrase_row)

        # ---- organisation (from the store; set at first start)
        self.org_labels = {key: QLabel() for key in ("role", "folder", "node")}
        for label in self.org_labels.values():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setMaxLength(200)
        self.identity_button = QPushButton(_("Save name and organisation"))
        self.identity_button.clicked.connect(self.save_identity)
        for edit in (self.name_edit, self.organisation_edit):
            edit.returnPressed.connect(self.save_identity)
        self.identity_error = QLabel()
        self.identity_error.setStyleSheet("color: #b00020;")
        self.identity_error.setWordWrap(True)
        self.identity_error.hide()
        org_box = QGroupBox(_("Organisation"))
        org_form = QFormLayout(org_box)
        org_form.addRow(_("Your &name:"), self.name_edit)
        org_form.addRow(_("O&rganisation:"), self.organisation_edit)
        org_form.addRow("", self.identity_button)
        org_form.addRow(self.identity_error)
        org_form.addRow(_("Role of this computer:"), self.org_labels["role"])
        org_form.addRow(_("Data folder:"), self.org_labels["folder"])
        org_form.addRow(_("Device id:"), self.org_labels["node"])

        layout = QVBoxLayout(self)
        layout.addWidget(language_box)
        layout.addWidget(lock_box)
        layout.addWidget(org_box)
        self.backup_box = BackupBox(services)
        self.backup_box.status_message.connect(self.status_message)
        layout.addWidget(self.backup_box)
        layout.addStretch(1)
        self.refresh()

    # ------------------------------------------------------------------ view
    def open_recovery_key(self) -> None:
        from elternlotse.ui.dialogs.recovery_key_dialog import RecoveryKeyDialog

        self.recovery_dialog = RecoveryKeyDialog(self.services, self)
        self.recovery_dialog.open()

    def refresh(self) -> None:
        self.settings = settings_file.load(self.data_dir)
        index = self.language_combo.findData(self.settings.ui_language)
        self.language_combo.setCurrentIndex(max(index, 0))
        self.idle_spin.setValue(self.settings.idle_lock_minutes)
        sample = _dt.datetime(2026, 11, 22, 14, 30)
        self.formats_label.setText(ui_paragraph("   ".join(  # the one date format of every screen
            isolate(text) for text in (format_date(sample), format_time(sample), format_number(1234567.89)))))
        info = self.services.store.info
        # values keep their own order (a Latin name in an Arabic form) but align with the form
        self.name_edit.setText(info.name)
        self.organisation_edit.setText(info.organisation)
        self.org_labels["role"].setText(_("coordinating office") if info.is_office else _("parent navigator"))
        self.org_labels["folder"].setText(ui_value(self.data_dir))
        self.org_labels["node"].setText(ui_value(getattr(info, "node_id", "")))
        self._update_apply_button()

    def _update_apply_button(self) -> None:
        chosen = self.language_combo.currentData() or ""
        self.apply_language_button.setEnabled(i18n_qt.resolve_language(chosen) != active_language()
                                              or chosen != self.settings.ui_language)

    # ------------------------------------------------------------------ actions
    def _save(self, key: str, value) -> settings_file.Settings | None:
        try:
            new = self.settings.with_value(key, value)
            settings_file.save(self.data_dir, new)
        except (ElternlotseError, OSError) as error:
            text = translate_error(error, isolate=True) if isinstance(error, ElternlotseError) else str(error)
            QMessageBox.warning(self, _("Settings"), _("The settings could not be saved: {reason}").format(reason=text))
            return None
        self.settings = new
        return new

    def save_identity(self) -> None:
        """Name and organisation: recorded with every consent taken from now on, shown in the status bar."""
        try:
            self.services.store.set_identity(self.name_edit.text(), self.organisation_edit.text())
        except ElternlotseError as error:
            self.identity_error.setText(translate_error(error, isolate=True))
            self.identity_error.show()
            self.name_edit.setFocus()
            return
        self.identity_error.hide()
        for edit in (self.name_edit, self.organisation_edit):
            edit.setModified(False)
        self.identity_changed.emit()
        self.status_message.emit(_("Saved."))

    def has_unsaved_changes(self) -> bool:
        info = self.services.store.info
        return (self.name_edit.text().strip(), self.organisation_edit.text().strip()) != (info.name, info.organisation)

    def apply_idle_minutes(self) -> None:
        if self.idle_spin.value() == self.settings.idle_lock_minutes:
            return
        new = self._save("idle_lock_minutes", self.idle_spin.value())
        if new is not None:
            self.settings_changed.emit(new, False)
            self.status_message.emit(_("Saved."))

    def unsaved_pages(self) -> list[str]:
        """Titles of the built pages that hold unsaved entries (see ``page_has_unsaved_entries``)."""
        window = self.window()
        titles = []
        for page in getattr(window, "pages", []):
            if page is not None and page is not self and page_has_unsaved_entries(page):
                titles.append(type(page).page_title())
        return titles

    def apply_language(self) -> None:
        chosen = self.language_combo.currentData() or ""
        new = self._save("ui_language", chosen)
        if new is None:
            return
        target = i18n_qt.resolve_language(chosen)
        if target == active_language():
            self.settings_changed.emit(new, False)
            self._update_apply_button()
            return
        name = language(target).own_name
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Language of the app"))
        box.setText(_("Show the app in {language}?").format(language=isolate(name)))
        unsaved = self.unsaved_pages()
        if unsaved:
            box.setInformativeText(_(
                "Entries on these pages are not saved yet: {pages}. Save them first and then apply the language "
                "again, or let the app switch at the next start.").format(pages=join_list(isolate(t) for t in unsaved)))
        else:
            box.setInformativeText(_("The window is built again in the new language. Everything saved stays as it "
                                     "is; the page you are on is shown again."))
        now = box.addButton(_("Switch now"), QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton(_("At next start"), QMessageBox.ButtonRole.RejectRole)
        now.setEnabled(not unsaved)
        box.setDefaultButton(later if unsaved else now)
        box.exec()
        switch_now = box.clickedButton() is now
        self.settings_changed.emit(new, switch_now)
        if not switch_now:
            self.status_message.emit(_("The new language is used from the next start."))
        self._update_apply_button()


def page_has_unsaved_entries(page: QWidget) -> bool:
    """The page's own answer (``has_unsaved_changes()``), else a careful guess.

    Without the method, any enabled, editable text field the person typed into
    (``QLineEdit.isModified``, a modified text document) counts as unsaved: asking
    once too often is better than losing a half-filled form.
    """
    check = getattr(page, "has_unsaved_changes", None)
    if callable(check):
        return bool(check())
    for edit in page.findChildren(QLineEdit):
        if edit.property("search_field"):
            continue  # what was typed into a search box is not an entry
        if edit.isModified() and edit.text().strip() and edit.isEnabled() and not edit.isReadOnly():
            return True
    for edit in page.findChildren(QPlainTextEdit) + page.findChildren(QTextEdit):
        if edit.document().isModified() and edit.toPlainText().strip() and not edit.isReadOnly():
            return True
    return False
