"""The one dialog for errors nobody foresaw: a short sentence, "Copy details", "Close".

Shown by ``ui.error_reporting.ErrorReporter`` (uncaught exceptions on any thread,
Qt's critical messages, unexpected failures of background tasks).  The app keeps
running.  The person never sees a traceback: "Copy details" puts it on the
clipboard (formatted by ``elternlotse.logs``: code locations and error types, no
locals, domain errors as msgids), for whoever supports them; the log file has it
too.  Further errors while the dialog is open are added to it, not stacked as
new dialogs.
"""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from elternlotse import __version__
from elternlotse.i18n import _, active_language
from elternlotse.i18n.formatting import ltr, ui_paragraph

MAX_REPORTS = 20  # details kept for the clipboard; the log has every one


class ErrorDialog(QDialog):
    def __init__(self, log_path: Path | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Elternlotse: unexpected error"))
        self.setMinimumWidth(460)
        self.reports: list[str] = []
        self.count = 0

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.where = QLabel()  # not word-wrapped: a wrapped path breaks apart in right-to-left text
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        if log_path is not None:
            self.where.setText(ui_paragraph(_("The log file: {path}").format(path=ltr(log_path))))
        else:
            self.where.hide()
        self.copied = QLabel()
        self.copied.setWordWrap(True)
        self.copied.hide()

        self.buttons = QDialogButtonBox()
        self.copy_button = self.buttons.addButton(_("&Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(_("C&lose"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.where)
        layout.addWidget(self.copied)
        layout.addWidget(self.buttons)
        self.close_button.setFocus()

    def add(self, error_name: str, details: str) -> None:
        """One more error: the sentence names the latest; the details keep the first ``MAX_REPORTS``."""
        self.count += 1
        if len(self.reports) < MAX_REPORTS:
            self.reports.append(details)
        self.message.setText(ui_paragraph(_(
            "Something went wrong that Elternlotse did not expect ({error}). The app keeps running, and what was "
            "saved before is kept. If it happens again, copy the details and send them to the person who supports you."
        ).format(error=ltr(error_name))))

    def details(self) -> str:
        """What "Copy details" copies: program versions and the tracebacks (no personal data)."""
        header = (f"Elternlotse {__version__}; Python {platform.python_version()}; Qt {qVersion()}; "
                  f"{platform.system()} {platform.release()}; UI language {active_language()}; errors: {self.count}")
        return "\n\n".join([header, *self.reports])

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details())
        self.copied.setText(_("The details are on the clipboard. They say where in the program the error happened; "
                              "they hold no names, phone numbers or notes."))
        self.copied.show()
