"""The Settings page's backup section: "Back up..." and "Restore...", both off the GUI thread.

Decided (docs/architecture.md, "Backup and restore"): restoring from here never touches
the store that is open.  It restores into a new, empty folder the person chooses and
then says how to open it (the app with ``--data-dir``, or moving the folder); replacing
the open store underneath a running session would need every page, the worker
connection and the lock to start again, for little gain over a restart.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, translate_error
from elternlotse.i18n.formatting import format_number, isolate
from elternlotse.ui.tasks import error_text, runner_for

SUFFIX = ".elbackup"


class BackupBox(QGroupBox):
    status_message = Signal(str)

    def __init__(self, services, parent=None) -> None:
        super().__init__(_("Backup"), parent)
        self.services = services
        note = QLabel(_("A backup is one encrypted file holding everything in this store, for example on a USB stick. "
                        "It opens only with the passphrase the store had when the backup was made. Restoring puts it "
                        "into a new, empty folder; the store open here stays as it is."))
        note.setWordWrap(True)
        self.backup_button = QPushButton(_("&Back up..."))
        self.backup_button.setObjectName("back_up")
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button = QPushButton(_("Res&tore..."))
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self.restore)
        self.result_label = QLabel()
        self.result_label.setObjectName("backup_result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)

    # ------------------------------------------------------------------ asking (tests replace these)
    def ask_backup_file(self) -> str:
        path, _filter = QFileDialog.getSaveFileName(self, _("Back up to"), "elternlotse" + SUFFIX,
                                                    _("Elternlotse backup") + f" (*{SUFFIX})")
        return path

    def ask_restore(self) -> tuple[str, str, str]:
        """(backup file, empty folder, passphrase of the backup); an empty part: cancelled."""
        source, _filter = QFileDialog.getOpenFileName(self, _("Restore a backup"), "",
                                                      _("Elternlotse backup") + f" (*{SUFFIX});;* (*)")
        if not source:
            return "", "", ""
        folder = QFileDialog.getExistingDirectory(self, _("An empty folder for the restored store"))
        if not folder:
            return "", "", ""
        passphrase, ok = QInputDialog.getText(self, _("Restore a backup"), _("Passphrase of the backup:"),
                                              QLineEdit.EchoMode.Password)
        return (source, folder, passphrase) if ok and passphrase else ("", "", "")

    # ------------------------------------------------------------------ actions
    def back_up(self) -> None:
        path = self.ask_backup_file()
        if not path:
            return
        self._busy(True)
        runner_for(self).run(lambda services, progress: services.backup.backup(path, progress),
                             on_done=self._backed_up, on_error=self._failed, title=_("Writing the backup..."),
                             parent=self)

    def _backed_up(self, result) -> None:
        self._busy(False)
        size = format_number(round(result.bytes / 1024 / 1024, 1))
        text = _("Backup written to {path} ({size} MB, checked).").format(path=isolate(result.path), size=isolate(size))
        self.result_label.setText(text)
        self.status_message.emit(text)
        self.backup_button.setFocus()

    def restore(self) -> None:
        source, folder, passphrase = self.ask_restore()
        if not source:
            return
        from elternlotse.services.backup import restore

        self._busy(True)
        runner_for(self).run(lambda _services, progress: (restore(source, folder, passphrase, progress=progress), folder)[1],
                             on_done=self._restored, on_error=self._failed, title=_("Restoring the backup..."),
                             parent=self)

    def _restored(self, folder: str) -> None:
        self._busy(False)
        text = _("The backup was restored into {path}. To work with it, start Elternlotse with --data-dir and that "
                 "folder; the office's next sync file brings what changed since, erasures included.").format(
            path=isolate(folder))
        self.result_label.setText(text)
        self.status_message.emit(text)
        self.restore_button.setFocus()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.result_label.setText(translate_error(error, isolate=True) if isinstance(error, ElternlotseError)
                                  else error_text(error))

    def _busy(self, busy: bool) -> None:
        self.backup_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy)
