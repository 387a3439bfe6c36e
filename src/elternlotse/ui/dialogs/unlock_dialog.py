"""Unlock the store at each start and after the idle lock; a wrong passphrase says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from elternlotse import app
from elternlotse.domain.errors import WrongPassphraseError
from elternlotse.i18n import _
from elternlotse.ui.tasks import TaskRunner, error_text


class UnlockDialog(QDialog):
    """On success ``self.services`` is the open store and ``self.passphrase`` the passphrase.

    ``opener(data_dir, passphrase)`` opens the store off the GUI thread (default
    ``app.open_store``; the desktop start also warms the first page's data there).
    ``while_waiting()`` runs on the GUI thread meanwhile (the start imports the main
    window then: the key derivation leaves that core free).
    """

    def __init__(self, data_dir: Path, passphrase: str = "", locked_after_idle: bool = False, parent=None,
                 opener: Callable | None = None, while_waiting: Callable[[], None] | None = None,
                 locked: bool = False, key_derivation=None) -> None:
        super().__init__(parent)
        self.key_derivation = key_derivation  # for the new key of a recovery; None: production
        self.data_dir = Path(data_dir)
        self._opener = opener or app.open_store
        self._while_waiting = while_waiting
        self.services = None
        self.passphrase = ""
        self.attempts = 0
        self._runner = TaskRunner(None, self)
        self.setWindowTitle(_("Unlock Elternlotse"))
        self.setMinimumWidth(420)

        if locked_after_idle:
            text = _("Elternlotse was locked because it was not used for a while. Enter your passphrase to go on.")
        elif locked:
            text = _("Elternlotse is locked. Your unsaved entries are kept: enter your passphrase to go on.")
        else:
            text = _("Enter your passphrase to open the families' data.")
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.passphrase_edit = QLineEdit(passphrase)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(_("&Passphrase:"), self.passphrase_edit)

        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(_("&Unlock"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        self.buttons.addButton(_("&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.forgot_button = self.buttons.addButton(_("&Forgot passphrase?"), QDialogButtonBox.ButtonRole.ResetRole)
        self.forgot_button.setAutoDefault(False)
        self.forgot_button.clicked.connect(self.forgot)
        self.buttons.accepted.connect(self.unlock)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)  # an error line never clips the dialog
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.passphrase_edit.setFocus()

    def unlock(self) -> None:
        if self.services is not None or not self.unlock_button.isEnabled():
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.error_label.setText(_("Please enter the passphrase."))
            self.error_label.show()
            self.adjustSize()
            return
        self.unlock_button.setEnabled(False)
        data_dir, opener = self.data_dir, self._opener
        self._runner.run(lambda _s, _p: opener(data_dir, passphrase),
                         on_done=lambda services: self._opened(services, passphrase),
                         on_error=self._failed, title=_("Opening the encrypted store..."), parent=self)
        if self._while_waiting is not None:
            QTimer.singleShot(0, self._while_waiting)  # after the button has been repainted disabled

    def _opened(self, services, passphrase: str) -> None:
        self.services, self.passphrase = services, passphrase
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.attempts += 1
        self.unlock_button.setEnabled(True)
        if isinstance(error, WrongPassphraseError):
            self.error_label.setText(_("That passphrase is wrong. Please try again."))
        else:
            self.error_label.setText(error_text(error))
        self.error_label.show()
        self.adjustSize()
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def forgot(self) -> None:
        """The recovery dialog; a new passphrase set there opens the store as an unlock would."""
        from elternlotse.ui.dialogs.recover_dialog import RecoverDialog

        self.recover_dialog = RecoverDialog(self.data_dir, self, key_derivation=self.key_derivation)
        self.recover_dialog.accepted.connect(lambda: self._opened(self.recover_dialog.services,
                                                                  self.recover_dialog.passphrase))
        self.recover_dialog.open()
