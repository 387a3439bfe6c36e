"""Correct one hours entry of a navigator (Navigators page > Edit hours): checked as when it was entered."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.roster import HoursEntry
from elternlotse.i18n import _, translate_error
from elternlotse.ui.widgets.form_rows import add_labelled_rows, error_label, lay_out_form_dialog
from elternlotse.ui.widgets.hours_form import HoursForm


class HoursDialog(QDialog):
    def __init__(self, services, entry: HoursEntry, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.entry = entry
        self.setWindowTitle(_("Correct hours"))
        self.setMinimumWidth(460)        # an activity's name fits; the grab in ar showed it cut at 330 pixels
        self.form = HoursForm(services.roster.today())
        self.form.load(entry)
        self.error = error_label()
        form = QFormLayout()
        add_labelled_rows(form, self.form.rows())
        self.save_button = lay_out_form_dialog(self, (form, self.error), _("&Save hours"), self.save)  # Enter saves
        self.form.hours.setFocus()
        self.form.hours.selectAll()

    def save(self) -> None:
        try:
            self.services.roster.edit_hours(self.form.entry(self.entry.navigator_id, self.entry.id))
        except ElternlotseError as error:
            self.error.setText(translate_error(error, isolate=True))
            self.error.show()
            return
        self.accept()
