"""First start: create the encrypted store (passphrase twice, name, organisation, office mode)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from elternlotse import app
from elternlotse.domain.errors import ValidationError
from elternlotse.i18n import _, translate_error
from elternlotse.services.passphrase import check_strength
from elternlotse.store.database import MIN_PASSPHRASE
from elternlotse.store.keys import PRODUCTION, KeyDerivation
from elternlotse.ui.dialogs.passphrase_fields import StrengthHint
from elternlotse.ui.tasks import TaskRunner, error_text


class FirstStartDialog(QDialog):
    """On success ``self.services`` is the open store and ``self.passphrase`` the passphrase."""

    def __init__(self, data_dir: Path, passphrase: str = "", parent=None,
                 key_derivation: KeyDerivation = PRODUCTION) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.key_derivation = key_derivation
        self.services = None
        self.passphrase = ""
        self._runner = TaskRunner(None, self)
        self.setWindowTitle(_("Welcome to Elternlotse"))
        self.setMinimumWidth(460)

        intro = QLabel(_(
            "Elternlotse keeps the families' data encrypted on this computer. Choose a passphrase of at least "
            "{count} characters. Without it nobody can open the data, not even you: write it down and keep it safe."
        ).format(count=MIN_PASSPHRASE))
        intro.setWordWrap(True)

        self.passphrase_edit = QLineEdit(passphrase)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(passphrase)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = StrengthHint(self.passphrase_edit, self.repeat_edit, self)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(_("e.g. Ayla Demir"))
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setPlaceholderText(_("e.g. KoKo Hagen"))
        self.office_check = QCheckBox(_("This computer belongs to the coordinating office (office mode)"))
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(_("Passphrase:"), self.passphrase_edit)
        form.addRow("", self.hint.strength_label)
        form.addRow(_("Passphrase again:"), self.repeat_edit)
        form.addRow("", self.hint)
        form.addRow(_("Your name:"), self.name_edit)
        form.addRow(_("Organisation:"), self.organisation_edit)
        form.addRow("", self.office_check)
        where = QLabel(_("Data folder: {path}").format(path=str(self.data_dir)))
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(mid);")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(_("Create"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        # Otherwise the button box makes Cancel the default when shown, and Enter would cancel.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        (self.name_edit if passphrase else self.passphrase_edit).setFocus()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def create(self) -> None:
        if self.services is not None or not self.create_button.isEnabled():
            return  # nothing is created twice
        passphrase = self.passphrase_edit.text()
        if len(passphrase) < MIN_PASSPHRASE:
            self.show_error(_("The passphrase must have at least {count} characters.").format(count=MIN_PASSPHRASE))
            self.passphrase_edit.setFocus()
            return
        if passphrase != self.repeat_edit.text():
            self.show_error(_("The two passphrases differ; nothing was created."))
            self.repeat_edit.clear()
            self.repeat_edit.setFocus()
            return
        if not self.name_edit.text().strip():
            self.show_error(_("Please enter your name: it is recorded with every consent you take."))
            self.name_edit.setFocus()
            return
        try:
            check_strength(passphrase, (self.name_edit.text(), self.organisation_edit.text()))
        except ValidationError as error:
            self.show_error(translate_error(error, isolate=True))
            self.passphrase_edit.setFocus()
            return
        self.create_button.setEnabled(False)
        self.error_label.hide()
        data_dir, name = self.data_dir, self.name_edit.text()
        organisation, office = self.organisation_edit.text(), self.office_check.isChecked()
        kdf = self.key_derivation
        self._runner.run(
            lambda _s, _p: app.create_store(data_dir, passphrase, name, organisation, office, key_derivation=kdf),
            on_done=lambda services: self._created(services, passphrase),
            on_error=self._failed, title=_("Creating the encrypted store..."), parent=self)

    def _created(self, services, passphrase: str) -> None:
        self.services, self.passphrase = services, passphrase
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.show_error(error_text(error))
