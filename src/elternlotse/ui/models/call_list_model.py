"""The call list: one row per family (services.call_list.CallEntry)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from elternlotse.domain.contact_log import OUTCOME_LABELS
from elternlotse.i18n import _
from elternlotse.i18n.formatting import format_date, isolate, join_list
from elternlotse.services.call_list import URGENCIES, URGENCY_LABELS
from elternlotse.ui.models.kaoa_models import contact_text
from elternlotse.ui.models.list_model import ListTableModel, RowRole, SortRole

__all__ = ["CallListModel", "RowRole", "SortRole", "channels_text", "last_contact_text"]


def channels_text(entry) -> str:
    """The consented channels, each once (a number for phone and SMS is one line)."""
    return join_list(dict.fromkeys(contact_text(c) for c in entry.channels), strong=True)


def last_contact_text(entry) -> str:
    last = entry.last_contact
    if last is None:
        return ""
    day = isolate(format_date(date.fromisoformat(last.on)))
    if last.outcome:
        return _("{outcome} on {day}").format(outcome=_(OUTCOME_LABELS[last.outcome]), day=day)
    return day


class CallListModel(ListTableModel):
    WHY, FAMILY, CALL, TOPICS, CHILDREN, LAST = range(6)

    def headers(self) -> list[str]:
        return [_("Why now"), _("Family"), _("Call"), _("Topics"), _("Children"), _("Last contact")]

    def cell(self, entry, column: int, role: int):
        if role == Qt.ItemDataRole.CheckStateRole:
            return None
        if role == SortRole:
            if column == self.WHY:
                return f"{URGENCIES.index(entry.urgency)}{entry.due.isoformat()}"
            if column == self.FAMILY:
                return entry.name.casefold()
        if column == self.WHY:
            return _("{why}: {day}").format(why=_(URGENCY_LABELS[entry.urgency]), day=isolate(format_date(entry.due)))
        if column == self.FAMILY:
            return isolate(entry.name)
        if column == self.CALL:
            return channels_text(entry) or ("" if role == SortRole else _("no consent to contact"))
        if column == self.TOPICS:
            return join_list((t.stage for t in entry.topics), strong=True)
        if column == self.CHILDREN:
            kids = dict.fromkeys("{} ({})".format(t.child or _("(no first name)"), t.grade) for t in entry.topics)
            return join_list(isolate(k) for k in kids)
        if column == self.LAST:
            return last_contact_text(entry)
        return None
