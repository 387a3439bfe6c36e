"""Table models of the Navigators and Partners pages (rows are service results, read through RowRole)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from elternlotse.domain.contact import display_phone
from elternlotse.domain.partners import PARTNER_KIND_LABELS, Partner
from elternlotse.domain.roster import ACTIVITY_LABELS, ALLOWANCE_LABELS, HoursEntry
from elternlotse.i18n import _
from elternlotse.i18n.formatting import format_date, format_number, isolate, language_name
from elternlotse.ui.models.list_model import ListTableModel, RowRole, SortRole

__all__ = ["HoursModel", "NavigatorListModel", "PartnerListModel", "RowRole", "SortRole"]

_SHOWN = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


def _day(text: str) -> str:
    return isolate(format_date(date.fromisoformat(text), "medium")) if text else ""


def _euros(cents: int) -> str:
    return isolate(format_number(cents / 100)) + " €" if cents else ""


class NavigatorListModel(ListTableModel):
    """Rows: ``services.roster.NavigatorView``."""
    NAME, LANGUAGES, MODULES, POLICE_CHECK, NOTICE = range(5)

    def __init__(self, module_count: int = 0, parent=None) -> None:
        super().__init__(parent)
        self.module_count = module_count

    def headers(self) -> list[str]:
        return [_("Name"), _("Languages"), _("Modules"), _("Police-record check"), _("Notice")]

    def cell(self, row, column: int, role: int):
        nav = row.navigator
        if role == SortRole:
            return {self.NAME: nav.name.casefold(), self.MODULES: len(nav.modules),
                    self.POLICE_CHECK: nav.police_check}.get(column, self.cell(row, column, Qt.ItemDataRole.DisplayRole))
        if role not in _SHOWN:
            return None
        if column == self.NAME:
            return isolate(nav.name)
        if column == self.LANGUAGES:
            return ", ".join(language_name(tag) for tag in nav.languages)
        if column == self.MODULES:
            return _("{done} of {count}").format(done=len(nav.modules), count=self.module_count)
        if column == self.POLICE_CHECK:
            return _day(nav.police_check) + ("  " + _("(due)") if row.police_check_due else "")
        if column == self.NOTICE:
            return "; ".join(_("{allowance} near or over the limit").format(allowance=_(ALLOWANCE_LABELS[t.allowance]))
                             for t in row.warnings)
        return None


class HoursModel(ListTableModel):
    DAY, HOURS, KIND, ACTIVITY, ALLOWANCE = range(5)

    def headers(self) -> list[str]:
        return [_("Date"), _("Hours"), _("Kind"), _("Activity"), _("Allowance")]

    def cell(self, row: HoursEntry, column: int, role: int):
        if role == SortRole:
            return {self.DAY: row.on, self.HOURS: float(row.hours)}.get(
                column, self.cell(row, column, Qt.ItemDataRole.DisplayRole))
        if role not in _SHOWN:
            return None
        if column == self.DAY:
            return _day(row.on)
        if column == self.HOURS:
            return isolate(format_number(row.hours))
        if column == self.KIND:
            return _(ACTIVITY_LABELS[row.kind])
        if column == self.ACTIVITY:
            return isolate(row.activity) if row.activity else ""
        if column == self.ALLOWANCE:
            return " ".join((_(ALLOWANCE_LABELS[row.allowance]), _euros(row.amount_cents))).strip() if row.allowance else ""
        return None


class PartnerListModel(ListTableModel):
    NAME, KIND, CONTACT, PHONE, EMAIL, LANGUAGES = range(6)

    def headers(self) -> list[str]:
        return [_("Name"), _("Kind"), _("Contact person"), _("Phone"), _("E-mail"), _("Languages")]

    def cell(self, row: Partner, column: int, role: int):
        if role == SortRole:
            return row.name.casefold() if column == self.NAME else self.cell(row, column, Qt.ItemDataRole.DisplayRole)
        if role not in _SHOWN:
            return None
        if column == self.NAME:
            return isolate(row.name)
        if column == self.KIND:
            return _(PARTNER_KIND_LABELS[row.kind])
        if column == self.CONTACT:
            return isolate(row.contact_person) if row.contact_person else ""
        if column == self.PHONE:
            return isolate(display_phone(row.phone)) if row.phone else ""
        if column == self.EMAIL:
            return isolate(row.email) if row.email else ""
        if column == self.LANGUAGES:
            return ", ".join(language_name(tag) for tag in row.languages)
        return None
