"""First start: create the encrypted store (passphrase twice, name, organisation, office mode).

Keyboard first: the UI language can be chosen before anything else (the dialog is
rebuilt in it, typed values kept), Tab runs passphrase, again, show, name,
organisation, office box, Create, Cancel, and Enter in any field creates.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from elternlotse import app
from elternlotse.domain.errors import ValidationError
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.languages import UI_LANGUAGES, language
from elternlotse.services.passphrase import check_strength
from elternlotse.store.database import MIN_PASSPHRASE
from elternlotse.store.keys import PRODUCTION, KeyDerivation
from elternlotse.ui.dialogs.passphrase_fields import StrengthHint
from elternlotse.ui.tasks import TaskRunner, error_text


class FirstStartDialog(QDialog):
    """On success ``self.services`` is the open store and ``self.passphrase`` the passphrase.

    ``language_chosen(tag)``: the person picked another UI language; the session installs
    it and opens the dialog again with ``values()`` (nothing typed is lost).
    """

    language_chosen = Signal(str)

    def __init__(self, data_dir: Path, passphrase: str = "", parent=None, values: dict | None = None,
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

        values = values or {}
        self.language_combo = QComboBox()
        for tag in UI_LANGUAGES:  # each in its own name: a person finds their language without reading ours
            self.language_combo.addItem(language(tag).own_name, tag)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(active_language()), 0))
        # Type-ahead ("Tü..." for Türkçe) moves through several entries: rebuild once typing rests.
        self._language_timer = QTimer(self, singleShot=True, interval=700)
        self._language_timer.timeout.connect(self._language_activated)
        self.language_combo.activated.connect(self._language_timer.start)
        self.passphrase_edit = QLineEdit(values.get("passphrase", passphrase))
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(values.get("repeat", passphrase))
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = StrengthHint(self.passphrase_edit, self.repeat_edit, self)
        self.show_check = QCheckBox(_("S&how passphrase"))
        self.show_check.toggled.connect(self._show_passphrase)
        self.name_edit = QLineEdit(values.get("name", ""))
        self.name_edit.setPlaceholderText(_("e.g. Ayla Demir"))
        self.organisation_edit = QLineEdit(values.get("organisation", ""))
        self.organisation_edit.setPlaceholderText(_("e.g. KoKo Hagen"))
        self.office_check = QCheckBox(_("This computer belongs to the coordinating &office (office mode)"))
        self.office_check.setChecked(bool(values.get("office")))
        self.recovery_check = QCheckBox(_("Make a recovery &key to print (recommended)"))
        self.recovery_check.setChecked(bool(values.get("recovery")))
        self.recovery_dialog = None
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(_("&Language:"), self.language_combo)
        form.addRow(_("&Passphrase:"), self.passphrase_edit)
        form.addRow("", self.hint.strength_label)
        form.addRow(_("Passphrase &again:"), self.repeat_edit)
        form.addRow("", self.show_check)
        form.addRow("", self.hint)
        form.addRow(_("Your &name:"), self.name_edit)
        form.addRow(_("O&rganisation:"), self.organisation_edit)
        form.addRow("", self.office_check)
        form.addRow("", self.recovery_check)
        where = QLabel(_("Data folder: {path}").format(path=str(self.data_dir)))
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(mid);")

        # Own buttons in reading order (Create, then Cancel): the visual order is the Tab order.
        self.create_button = QPushButton(_("&Create"))
        self.create_button.clicked.connect(self.create)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.buttons = QWidget()
        button_row = QHBoxLayout(self.buttons)
        button_row.setContentsMargins(0, 0, 0, 0)
        button_row.addStretch(1)
        button_row.addWidget(self.create_button)
        button_row.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        # Only now is the button inside the dialog: setDefault before that does not make it the default.
        self.create_button.setDefault(True)
        chain = [self.language_combo, self.passphrase_edit, self.repeat_edit, self.show_check, self.hint.suggest_button,
                 self.name_edit,
                 self.organisation_edit, self.office_check, self.recovery_check, self.create_button, self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for edit in (self.passphrase_edit, self.repeat_edit, self.name_edit, self.organisation_edit):
            edit.returnPressed.connect(self.create)
        focus = values.get("focus") or ("name" if passphrase else "passphrase")
        {"name": self.name_edit, "language": self.language_combo}.get(focus, self.passphrase_edit).setFocus()

    def values(self) -> dict:
        """What was typed so far (kept when the dialog is rebuilt in another language)."""
        return {"passphrase": self.passphrase_edit.text(), "repeat": self.repeat_edit.text(),
                "name": self.name_edit.text(), "organisation": self.organisation_edit.text(),
                "office": self.office_check.isChecked(), "recovery": self.recovery_check.isChecked(),
                "focus": "language"}

    def chosen_language(self) -> str:
        return self.language_combo.currentData() or ""

    def _language_activated(self) -> None:
        if self.chosen_language() != active_language():
            self.language_chosen.emit(self.chosen_language())

    def _show_passphrase(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase_edit.setEchoMode(mode)
        self.repeat_edit.setEchoMode(mode)

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
        if not self.recovery_check.isChecked():
            self.accept()
            return
        from elternlotse.ui.dialogs.recovery_key_dialog import RecoveryKeyDialog

        self.recovery_dialog = RecoveryKeyDialog(services, self)  # the store exists: closing it goes on
        self.recovery_dialog.finished.connect(lambda _code: self.accept())
        self.recovery_dialog.open()

    def _failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.show_error(error_text(error))


#: ``exec()`` result when the person chose another UI language (the dialog is shown again in it).
LANGUAGE_CHANGED = 2


def ask_first_start(data_dir: Path, passphrase: str, choose_language: Callable[[str], None],
                    key_derivation: KeyDerivation = PRODUCTION) -> FirstStartDialog | None:
    """Run the first-start dialog; a language choice calls ``choose_language(tag)`` and shows it again.

    Returns the accepted dialog (``services``, ``passphrase``) or None when the person cancelled.
    """
    values = None
    while True:
        dialog = FirstStartDialog(data_dir, passphrase, values=values, key_derivation=key_derivation)
        dialog.language_chosen.connect(lambda _tag, d=dialog: d.done(LANGUAGE_CHANGED))
        code = dialog.exec()
        if code == LANGUAGE_CHANGED:
            choose_language(dialog.chosen_language())
            values = dialog.values()
            continue
        return dialog if code == QDialog.DialogCode.Accepted else None
