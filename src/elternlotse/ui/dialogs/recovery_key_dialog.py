"""Make a recovery key (Settings, first start): where to save its sheet, then the key shown once.

The sheet (PDF, owner-only) is in the UI language and in German; the key is shown
here once, left to right and selectable, and is never stored in clear.  A new key
replaces an older one (the old sheet stops working); the store stays open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from elternlotse.i18n import _, active_language
from elternlotse.i18n.formatting import isolate, ltr
from elternlotse.services.recovery import create_recovery_key, has_recovery_key
from elternlotse.ui.tasks import TaskRunner, error_text


def default_sheet_path() -> Path:
    documents = Path.home() / "Documents"
    return (documents if documents.is_dir() else Path.home()) / "elternlotse-recovery-key.pdf"


class RecoveryKeyDialog(QDialog):
    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.key = ""
        self._runner = TaskRunner(None, self)
        self.setWindowTitle(_("Recovery key"))
        self.setMinimumWidth(480)
        exists = has_recovery_key(services.store)
        text = _("A recovery key sets a new passphrase if yours is forgotten. It is printed on a sheet that you keep "
                 "locked away, apart from the laptop.")
        if exists:
            text += " " + _("This store already has one: a new key replaces it and the old sheet stops working.")
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.path_edit = QLineEdit(str(default_sheet_path()))
        self.choose_button = QPushButton(_("C&hoose..."))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        form = QFormLayout()
        where = QLabel(_("&Save the sheet as:"))
        where.setBuddy(self.path_edit)  # the row holds a button too: name the field explicitly
        form.addRow(where, row)
        self.result_label = QLabel()
        self.result_label.setObjectName("recovery_key")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        self.create_button = QPushButton(_("&Make a new recovery key") if exists else _("&Make the recovery key"))
        self.create_button.clicked.connect(self.create)
        self.close_button = QPushButton(_("Close"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        self.create_button.setDefault(True)
        self.path_edit.setFocus()

    def _choose(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the recovery key sheet"), self.path_edit.text(),
                                                    _("PDF files (*.pdf)"))
        if path:
            self.path_edit.setText(path)

    def create(self) -> None:
        if self.key or not self.create_button.isEnabled() or not self.path_edit.text().strip():
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        store, language = self.services.store, active_language()
        self.create_button.setEnabled(False)
        # Off the GUI thread (an Arabic sheet takes about 0.5 s); it uses the store's path and key, never its
        # connection (the key file is checked on a connection of its own).
        self._runner.run(lambda _s, _p: create_recovery_key(store, path, language),
                         on_done=lambda key: self._created(key, path), on_error=self._failed,
                         title=_("Making the recovery key..."), parent=self)

    def _failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.result_label.setText(error_text(error))
        self.result_label.setStyleSheet("color: #b00020;")
        self.result_label.show()

    def _created(self, key: str, path: Path) -> None:
        self.key = key
        self.result_label.setStyleSheet("")
        self.result_label.setText(_(
            "Your recovery key (shown only now): {key}\nThe sheet is in {path}: print it, keep it apart from the "
            "laptop, then delete the file.").format(key=ltr(self.key), path=isolate(str(path))))
        self.result_label.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()
