"""Change the passphrase (from Settings): current one, new one twice, strength hint, suggestion.

The session closes the main window and the store before showing this dialog: the
key switch (store/rekey.py) needs the only connection to the store.  The change
runs in the background; on success ``self.services`` is the store opened with the
new passphrase and ``self.passphrase`` the new passphrase.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from elternlotse import app
from elternlotse.domain.errors import ValidationError, WrongPassphraseError
from elternlotse.i18n import _, translate_error
from elternlotse.services.passphrase import check_strength
from elternlotse.store.database import change_passphrase
from elternlotse.store.keys import PRODUCTION, KeyDerivation
from elternlotse.ui.dialogs.passphrase_fields import StrengthHint
from elternlotse.ui.tasks import TaskRunner, error_text


class PassphraseDialog(QDialog):
    def __init__(self, data_dir: Path, parent=None, key_derivation: KeyDerivation = PRODUCTION) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.key_derivation = key_derivation
        self.services = None
        self.passphrase = ""
        self._runner = TaskRunner(None, self)
        self.setWindowTitle(_("Change the passphrase"))
        self.setMinimumWidth(460)

        intro = QLabel(_("The store is closed while its key changes. From then on only the new passphrase opens "
                         "it: write it down and keep it safe."))
        intro.setWordWrap(True)
        self.current_edit = QLineEdit()
        self.new_edit = QLineEdit()
        self.repeat_edit = QLineEdit()
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = StrengthHint(self.new_edit, self.repeat_edit, self)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(_("Current passphrase:"), self.current_edit)
        form.addRow(_("New passphrase:"), self.new_edit)
        form.addRow("", self.hint.strength_label)
        form.addRow(_("New passphrase again:"), self.repeat_edit)
        form.addRow("", self.hint)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.change_button = self.buttons.addButton(_("Change passphrase"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.change_button.setDefault(True)
        # Otherwise the button box makes Cancel the default when shown, and Enter would cancel.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.current_edit.setFocus()

    def show_error(self, text: str, focus: QLineEdit) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        focus.setFocus()

    def change(self) -> None:
        if self.services is not None or not self.change_button.isEnabled():
            return
        old, new = self.current_edit.text(), self.new_edit.text()
        if not old:
            return self.show_error(_("Please enter the current passphrase."), self.current_edit)
        if new != self.repeat_edit.text():
            self.repeat_edit.clear()
            return self.show_error(_("The two new passphrases differ; nothing was changed."), self.repeat_edit)
        if new == old:
            return self.show_error(_("The new passphrase is the same as the old one; nothing was changed."), self.new_edit)
        try:
            check_strength(new)
        except ValidationError as error:
            return self.show_error(translate_error(error, isolate=True), self.new_edit)
        self.change_button.setEnabled(False)
        self.error_label.hide()
        data_dir, kdf = self.data_dir, self.key_derivation

        def work(_services, _progress):
            change_passphrase(data_dir, old, new, kdf)
            return app.open_store(data_dir, new, key_derivation=kdf)

        self._runner.run(work, on_done=lambda services: self._changed(services, new), on_error=self._failed,
                         title=_("Changing the key of the encrypted store..."), parent=self)

    def _changed(self, services, passphrase: str) -> None:
        self.services, self.passphrase = services, passphrase
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.change_button.setEnabled(True)
        if isinstance(error, WrongPassphraseError):
            self.current_edit.clear()
            self.show_error(_("The current passphrase is wrong; nothing was changed."), self.current_edit)
        else:
            self.show_error(error_text(error), self.current_edit)
