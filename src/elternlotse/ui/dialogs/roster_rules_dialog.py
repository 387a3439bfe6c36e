"""The office's roster rule (Navigators page > Office rules): police-record check period, allowance limits.

The same ``RosterService.set_rules`` as ``navigators rules``: amounts typed as euros and parsed by
``parse_amount``, the period checked by ``check_rules``; a bad value is one sentence, nothing saved.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.roster import parse_amount
from elternlotse.i18n import _, translate_error
from elternlotse.ui.widgets.form_rows import add_labelled_rows, error_label, lay_out_form_dialog


class RosterRulesDialog(QDialog):
    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Office rules for the roster"))
        rule = services.roster.rules()
        intro = QLabel(_("When a police-record check is due again, and the tax-free allowance limits a year"
                         " that the tallies and the warnings use."))
        intro.setWordWrap(True)
        self.years = QLineEdit(str(rule.police_check_years))
        self.ehrenamt = QLineEdit(_typed(rule.limits["ehrenamt"]))
        self.uebungsleiter = QLineEdit(_typed(rule.limits["uebungsleiter"]))
        self.error = error_label()
        form = QFormLayout()
        add_labelled_rows(form, (
            (_("&Police-record check due after (years)"), self.years, _("Police-record check due after (years)")),
            (_("&Ehrenamtspauschale limit a year (€)"), self.ehrenamt, _("Ehrenamtspauschale limit a year")),
            (_("Ü&bungsleiterpauschale limit a year (€)"), self.uebungsleiter,
             _("Übungsleiterpauschale limit a year"))))
        self.save_button = lay_out_form_dialog(self, (intro, form, self.error), _("&Save rules"), self.save)  # Enter saves
        self.years.setFocus()
        self.years.selectAll()

    def save(self) -> None:
        years = self.years.text().strip()
        try:
            limits = {kind: parse_amount(edit.text(), kind)
                      for kind, edit in (("ehrenamt", self.ehrenamt), ("uebungsleiter", self.uebungsleiter))}
            self.services.roster.set_rules(int(years) if years.isdigit() else -1, limits)
        except ElternlotseError as error:
            self.error.setText(translate_error(error, isolate=True))
            self.error.show()
            return
        self.accept()



def _typed(cents: int) -> str:
    """A limit as one types it ("840", "960.50"): what ``parse_amount`` reads back in every language."""
    return str(cents // 100) if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"
