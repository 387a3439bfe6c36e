"""The strength hint and the word suggestion shared by the first-start and passphrase dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from elternlotse.i18n import _
from elternlotse.i18n.formatting import isolate
from elternlotse.services import passphrase as passphrase_rules


class StrengthHint(QWidget):
    """A "Suggest a passphrase" button with the suggestion in clear text (to write down).

    ``strength_label`` (placed by the dialog under the passphrase field) follows
    every keystroke with zxcvbn's verdict; the suggestion fills both fields.
    """

    def __init__(self, edit: QLineEdit, repeat: QLineEdit, parent=None) -> None:
        super().__init__(parent)
        self.edit, self.repeat = edit, repeat
        self.strength_label = QLabel()
        self.strength_label.setObjectName("strength")
        self.suggest_button = QPushButton(_("Suggest a passphrase"))
        self.suggest_button.setAutoDefault(False)  # Enter in a field still presses the dialog's own button
        self.suggestion_label = QLabel()
        self.suggestion_label.setObjectName("suggestion")
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.suggestion_label.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.suggest_button)
        layout.addWidget(self.suggestion_label, 1)
        self.suggest_button.clicked.connect(self.suggest)
        edit.textChanged.connect(self.update_strength)
        self.update_strength(edit.text())

    def update_strength(self, text: str) -> None:
        if not text:
            self.strength_label.setText(_("Four or five unrelated words make a strong passphrase."))
            self.strength_label.setStyleSheet("color: palette(mid);")
            return
        verdict = passphrase_rules.strength(text)
        self.strength_label.setText(_(verdict.label))
        self.strength_label.setStyleSheet("color: #1b5e20;" if verdict.acceptable else "color: #b00020;")

    def suggest(self) -> None:
        words = passphrase_rules.suggest()
        self.edit.setText(words)
        self.repeat.setText(words)
        self.suggestion_label.setText(_("Write it down: {passphrase}").format(passphrase=isolate(words)))
        self.suggestion_label.show()
