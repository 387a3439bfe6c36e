"""Keep a family that is due for erasure, on purpose: the reason and until when (recorded, audited).

Opened from the retention review; Enter keeps, Escape cancels. The reason is required: the
office must be able to say why it did not erase (Art. 5(2) GDPR, accountability).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QDialog, QFormLayout, QLabel, QLineEdit

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, translate_error
from elternlotse.i18n.formatting import isolate
from elternlotse.ui.i18n_qt import set_date_format
from elternlotse.ui.widgets.form_rows import add_labelled_rows, error_label, lay_out_form_dialog


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class KeepDialog(QDialog):
    def __init__(self, services, family_id: str, name: str, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.family_id = family_id
        self.kept_until: date | None = None
        self.setWindowTitle(_("Keep family"))
        intro = QLabel(_("Keep {name} although the retention rules say erase? Say why; the reason is recorded.")
                       .format(name=isolate(name)))
        intro.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(_("e.g. the family asked for advice again last week"))
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        set_date_format(self.until)  # the locale's one date format, as every date field
        today = services.retention.today()
        self.until.setMinimumDate(_qdate(today).addDays(1))
        self.until.setDate(_qdate(services.retention.rules.keep_for.after(today)))
        self.error = error_label()
        form = QFormLayout()
        add_labelled_rows(form, ((_("&Reason"), self.reason, _("Reason for keeping")),
                                (_("Keep &until"), self.until, _("Keep until"))))
        self.keep_button = lay_out_form_dialog(self, (intro, form, self.error), _("&Keep"), self.keep)  # Enter keeps
        self.reason.setFocus()

    def keep(self) -> None:
        until = date.fromisoformat(self.until.date().toString(Qt.DateFormat.ISODate))
        try:
            self.kept_until = self.services.retention.keep(self.family_id, self.reason.text(), until)
        except ElternlotseError as error:
            self.error.setText(translate_error(error, isolate=True))
            self.error.show()
            self.reason.setFocus()
            return
        self.accept()
