"""The event kit for the selected event: invitation letter, sign-in sheet, calendar file.

Each file is rendered off the GUI thread (``ui.tasks``), then saved owner-only through the
file dialog (``ui.saved_files``) with a confirmation of where it went.  The services do the
work (``services.event_kit``, ``services.events.calendar``); this row only asks where.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from elternlotse.i18n import _, active_language
from elternlotse.ui.saved_files import saved, write_private_bytes
from elternlotse.ui.tasks import error_text, runner_for


class EventKitBar(QWidget):
    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.current = None  # the selected event (not 'event': QWidget.event() is Qt's virtual)
        self.invitation_button = QPushButton(_("Invitation letter..."))
        self.sign_in_button = QPushButton(_("Sign-in sheet..."))
        self.calendar_button = QPushButton(_("Calendar file..."))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.invitation_button.clicked.connect(lambda: self.make("invitation"))
        self.sign_in_button.clicked.connect(lambda: self.make("sign-in"))
        self.calendar_button.clicked.connect(lambda: self.make("calendar"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.invitation_button, self.sign_in_button, self.calendar_button):
            layout.addWidget(button)
        layout.addWidget(self.status, 1)
        self.set_event(None)

    def set_event(self, event) -> None:
        self.current = event
        for button in (self.invitation_button, self.sign_in_button, self.calendar_button):
            button.setEnabled(event is not None)
        self.status.clear()

    @staticmethod
    def work_for(kind: str, event_id: str, language: str):
        """``fn(services, progress)`` for the task runner: the file's bytes."""
        def work(services, _progress) -> bytes:
            if kind == "invitation":
                return services.event_kit.invitation(event_id)
            if kind == "sign-in":
                return services.event_kit.sign_in(event_id)
            from elternlotse.i18n import _ as translate

            return services.events.calendar(event_id, language=language, translate=translate)
        return work

    def make(self, kind: str) -> None:
        if self.current is None:
            return
        event_id, day = self.current.id, (self.current.starts or "")[:10]
        runner_for(self).run(self.work_for(kind, event_id, active_language()),
                             on_done=lambda data: self._save(kind, day, data),
                             on_error=lambda error: self.status.setText(error_text(error)),
                             title=_("Preparing the file..."), parent=self)

    def _save(self, kind: str, day: str, data: bytes) -> None:
        suffix, pattern = (".ics", _("Calendar files (*.ics)")) if kind == "calendar" else (".pdf", _("PDF files (*.pdf)"))
        path, _filter = QFileDialog.getSaveFileName(self, _("Save"), f"{kind}-{day}{suffix}", pattern)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        if saved(self, self.services, path, lambda: write_private_bytes(path, data)):
            self.status.setText(_("Saved {path}").format(path=path))
