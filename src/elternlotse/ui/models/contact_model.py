"""The contacts of one family, newest first (family view, "Contacts" tab)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from elternlotse.domain.contact_log import CONTACT_FORMAT_LABELS, OUTCOME_LABELS, Contact, referral_label
from elternlotse.i18n import _
from elternlotse.i18n.formatting import format_date, isolate, join_list, language_name
from elternlotse.ui.models.list_model import ListTableModel, RowRole, SortRole

__all__ = ["ContactModel", "RowRole", "SortRole"]


def _day(text: str) -> str:
    return isolate(format_date(date.fromisoformat(text), "medium")) if text else ""


class ContactModel(ListTableModel):
    DAY, FORMAT, LANGUAGE, TOPICS, RESULT, FOLLOW_UP, NOTE = range(7)

    def __init__(self, stage_title=lambda key: key, parent=None) -> None:
        super().__init__(parent)
        self.stage_title = stage_title  # key -> title in the UI language (from the catalogue in use)

    def headers(self) -> list[str]:
        return [_("Date"), _("Format"), _("Language"), _("Topics"), _("Result"), _("Follow up"), _("Note")]

    def cell(self, row: Contact, column: int, role: int):
        if role == SortRole:
            return {self.DAY: row.on, self.FOLLOW_UP: row.follow_up}.get(column, self.cell(row, column, Qt.ItemDataRole.DisplayRole))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == self.DAY:
            return _day(row.on)
        if column == self.FORMAT:
            return _(CONTACT_FORMAT_LABELS.get(row.format, row.format))
        if column == self.LANGUAGE:
            text = language_name(row.language) if row.language else ""
            return text + (" + " + _("interpreter") if row.interpreter else "")
        if column == self.TOPICS:
            return join_list(self.stage_title(key) for key in row.topics)
        if column == self.RESULT:
            parts = [_(OUTCOME_LABELS[row.outcome])] if row.outcome else []
            if row.referral:
                parts.append(_("referred to {where}").format(where=_(referral_label(row.referral))))
            return join_list(parts, strong=True)
        if column == self.FOLLOW_UP:
            return _day(row.follow_up)
        if column == self.NOTE:
            return isolate(row.note) if row.note else ""
        return None
