"""The fields of one hours entry: the Navigators page's entry form and the correction dialog share them.

Both hand the same ``HoursEntry`` to ``RosterService`` (``add_hours`` / ``edit_hours``), so a
correction is checked exactly as a new entry is.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QDoubleSpinBox, QLineEdit

from elternlotse.domain.roster import ACTIVITY_KINDS, ACTIVITY_LABELS, ALLOWANCE_LABELS, ALLOWANCES, HoursEntry
from elternlotse.i18n import _
from elternlotse.ui.i18n_qt import set_date_format


def date_edit(today) -> QDateEdit:
    """A date field in the screen's date format, no later than ``today`` (a ``datetime.date``)."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    set_date_format(edit)
    day = QDate.fromString(today.isoformat(), Qt.DateFormat.ISODate)
    edit.setMaximumDate(day)
    edit.setDate(day)
    return edit


class HoursForm:
    """Day, hours, kind, activity, allowance and amount of one entry (plain widgets, laid out by the owner)."""

    def __init__(self, today) -> None:
        self.day = date_edit(today)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.25, 24)
        self.hours.setSingleStep(0.25)
        self.hours.setValue(2)
        self.kind = QComboBox()
        for key in ACTIVITY_KINDS:
            self.kind.addItem(_(ACTIVITY_LABELS[key]), key)
        self.activity = QLineEdit()
        self.allowance = QComboBox()
        self.allowance.addItem(_("No allowance"), "")
        for key in ALLOWANCES:
            self.allowance.addItem(_(ALLOWANCE_LABELS[key]), key)
        self.amount = QDoubleSpinBox()
        self.amount.setRange(0, 10000)
        self.amount.setSuffix(" €")
        self.event_id = ""

    def widgets(self) -> list:
        return [self.day, self.hours, self.kind, self.activity, self.allowance, self.amount]

    def rows(self) -> list[tuple[str, object, str]]:
        """(label with its &-letter, widget, accessible name) for ``add_labelled_rows``."""
        return [(_("&Date"), self.day, _("Date")), (_("Ho&urs"), self.hours, _("Hours")),
                (_("&Kind"), self.kind, _("Kind")), (_("Ac&tivity"), self.activity, _("Activity")),
                (_("Allo&wance"), self.allowance, _("Allowance")), (_("A&mount"), self.amount, _("Amount"))]

    def entry(self, nav_id: str, entry_id: str = "") -> HoursEntry:
        return HoursEntry(navigator_id=nav_id, on=self.day.date().toString(Qt.DateFormat.ISODate),
                          hours=Decimal(str(self.hours.value())), kind=self.kind.currentData(),
                          activity=self.activity.text(), event_id=self.event_id,
                          allowance=self.allowance.currentData(), amount_cents=round(self.amount.value() * 100),
                          id=entry_id)

    def load(self, entry: HoursEntry) -> None:
        self.day.setDate(QDate.fromString(entry.on, Qt.DateFormat.ISODate))
        self.hours.setValue(float(entry.hours))
        self.kind.setCurrentIndex(max(0, self.kind.findData(entry.kind)))
        self.activity.setText(entry.activity)
        self.allowance.setCurrentIndex(max(0, self.allowance.findData(entry.allowance)))
        self.amount.setValue(entry.amount_cents / 100)
        self.event_id = entry.event_id

    def clear_after_entry(self) -> None:
        self.activity.clear()
        self.amount.setValue(0)
        self.event_id = ""
