"""Forgot passphrase? Set a new one with the recovery key (from the unlock dialog).

The store is closed while this runs; the switch is the passphrase change's
(crash-safe, store/rekey.py).  On success ``self.services`` is the store opened with
the new passphrase and ``self.passphrase`` the new passphrase.  Without a recovery
key the dialog says plainly what that means.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from elternlotse import app
from elternlotse.domain.errors import ValidationError
from elternlotse.i18n import _, translate_error
from elternlotse.ui.dialogs.passphrase_fields import StrengthHint
from elternlotse.ui.tasks import TaskRunner, error_text


class RecoverDialog(QDialog):
    def __init__(self, data_dir: Path, parent=None, key_derivation=None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.key_derivation = key_derivation
        self.services = None
        self.passphrase = ""
        self._runner = TaskRunner(None, self)
        self.setWindowTitle(_("Set a new passphrase with the recovery key"))
        self.setMinimumWidth(480)
        intro = QLabel(_("Type the recovery key from the sheet (7 groups of 5 characters) and choose a new passphrase."))
        intro.setWordWrap(True)
        self.key_edit = QLineEdit()
        from elternlotse.store.recovery import GROUP_LENGTH, GROUPS

        self.key_edit.setPlaceholderText("-".join(["X" * GROUP_LENGTH] * GROUPS))  # the sheet's shape
        self.new_edit = QLineEdit()
        self.repeat_edit = QLineEdit()
        for edit in (self.new_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = StrengthHint(self.new_edit, self.repeat_edit, self)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        lost = QLabel(_("Without the passphrase and without the recovery key the data on this laptop cannot be opened "
                        "by anyone; the office still has what was synced."))
        lost.setWordWrap(True)
        lost.setStyleSheet("color: palette(mid);")
        form = QFormLayout()
        form.addRow(_("&Recovery key:"), self.key_edit)
        form.addRow(_("&New passphrase:"), self.new_edit)
        form.addRow("", self.hint.strength_label)
        form.addRow(_("New passphrase &again:"), self.repeat_edit)
        form.addRow("", self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.set_button = self.buttons.addButton(_("&Set new passphrase"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.set_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.recover)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(lost)
        layout.addWidget(self.buttons)
        self.key_edit.setFocus()

    def show_error(self, text: str, focus: QLineEdit) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        focus.setFocus()

    def recover(self) -> None:
        from elternlotse.services.passphrase import check_strength
        from elternlotse.services.recovery import recover
        from elternlotse.store.keys import PRODUCTION
        from elternlotse.store.recovery import parse_key

        if self.services is not None or not self.set_button.isEnabled():
            return
        key, new = self.key_edit.text(), self.new_edit.text()
        try:
            parse_key(key)
        except ValidationError as error:
            return self.show_error(translate_error(error, isolate=True), self.key_edit)
        if new != self.repeat_edit.text():
            self.repeat_edit.clear()
            return self.show_error(_("The two new passphrases differ; nothing was changed."), self.repeat_edit)
        try:
            check_strength(new)
        except ValidationError as error:
            return self.show_error(translate_error(error, isolate=True), self.new_edit)
        self.set_button.setEnabled(False)
        self.error_label.hide()
        data_dir, kdf = self.data_dir, self.key_derivation or PRODUCTION

        def work(_services, _progress):
            recover(data_dir, key, new, kdf)
            return app.open_store(data_dir, new, key_derivation=kdf)

        self._runner.run(work, on_done=lambda services: self._done(services, new), on_error=self._failed,
                         title=_("Changing the key of the encrypted store..."), parent=self)

    def _done(self, services, passphrase: str) -> None:
        self.services, self.passphrase = services, passphrase
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.set_button.setEnabled(True)
        self.show_error(error_text(error), self.key_edit)
