"""Table models for the KAoA pages: next steps, a child's checklist, events, attendance, invitations.

Each model has column constants, ``SortRole`` and ``RowRole``; rows are the
service's result objects, never raw row numbers for the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QModelIndex, Qt, Signal

from elternlotse.domain.consent import CHANNEL_LABELS, Channel
from elternlotse.domain.contact import display_phone
from elternlotse.domain.events import EVENT_TYPE_LABELS
from elternlotse.domain.kaoa import STATUS_LABELS
from elternlotse.i18n import _, ngettext
from elternlotse.i18n.formatting import format_date, format_datetime, isolate, join_list, language_name, ltr, ui_value

from elternlotse.ui.models.list_model import ListTableModel, RowRole, SortRole  # noqa: F401  (re-exported)

_DISPLAY = Qt.ItemDataRole.DisplayRole


# ---------------------------------------------------------------- next steps

@dataclass(frozen=True)
class AgendaRow:
    week: date
    family_id: str
    family: str
    contacts: str
    item: object  # services.agenda.AgendaItem


def contact_text(option) -> str:
    """``Phone call: 0176 1234 5678`` etc. for one consented channel, the channel named in the UI language."""
    phone_like = option.channel in ("phone", "sms") or option.channel == "messenger" and option.value[:1] in "+0123456789"
    value = display_phone(option.value) if phone_like and option.value else option.value
    try:
        label = _(CHANNEL_LABELS[Channel(option.channel)])
    except ValueError:
        label = option.channel
    # The number or address left to right as a whole: in an Arabic row "0170 69976065" would
    # show its groups swapped and "+49..." its plus at the end.
    return f"{label}: {ltr(value)}" + (f" ({isolate(option.app)})" if option.app else "")


def agenda_rows(agenda) -> list[AgendaRow]:
    rows = []
    for week in agenda.weeks:
        for family in week.families:
            contacts = join_list((contact_text(c) for c in family.contacts), strong=True)
            for item in family.items:
                rows.append(AgendaRow(week.monday, family.family_id, family.name, contacts, item))
    return rows


class AgendaModel(ListTableModel):
    WEEK, FAMILY, CHILD, STEP, UNTIL, CONTACT = range(6)

    def headers(self) -> list[str]:
        return [_("Week of"), _("Family"), _("Child (grade)"), _("Step"), _("Until"), _("Contact")]

    def cell(self, row: AgendaRow, column: int, role: int):
        if role == Qt.ItemDataRole.CheckStateRole:
            return None
        item = row.item
        sort = role == SortRole
        if column == self.WEEK:
            return row.week.isoformat() if sort else format_date(row.week)
        if column == self.FAMILY:
            return row.family.casefold() if sort else row.family
        if column == self.CHILD:
            name = item.child or _("(no first name)")
            return f"{name} ({item.grade})"
        if column == self.STEP:
            return f"{item.stage}: {item.text}"
        if column == self.UNTIL:
            return item.ends.isoformat() if sort else format_date(item.ends)
        if column == self.CONTACT:
            return row.contacts or ("" if sort else _("no consent to contact"))
        return None


# ---------------------------------------------------------------- checklist

class ChecklistModel(ListTableModel):
    STAGE, ITEM, STATUS, DATE, BY, NOTE = range(6)

    def headers(self) -> list[str]:
        return [_("Stage"), _("Item"), _("Status"), _("Date"), _("By"), _("Note")]

    def cell(self, entry, column: int, role: int):
        if role == Qt.ItemDataRole.CheckStateRole:
            return None
        if column == self.STAGE:
            title = entry.stage_title
            return title if entry.known else _("{stage} (from an earlier catalogue version)").format(stage=title)
        if column == self.ITEM:
            return entry.text
        if column == self.STATUS:
            return entry.status if role == SortRole else _(STATUS_LABELS[entry.status])
        if column == self.DATE:
            return entry.date if role == SortRole or not entry.date else format_date(date.fromisoformat(entry.date))
        if column == self.BY:
            return entry.done_by
        if column == self.NOTE:
            return entry.note
        return None

    def data(self, index: QModelIndex, role=_DISPLAY):
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            entry = self.row_at(index.row())
            if entry is not None and entry.current and entry.status in ("open", "discussed"):
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


# ---------------------------------------------------------------- events

class EventListModel(ListTableModel):
    WHEN, TYPE, TITLE, PLACE, PRESENT = range(5)

    def headers(self) -> list[str]:
        return [_("When"), _("Type"), _("Title"), _("Place"), _("Present")]

    def cell(self, row, column: int, role: int):
        if role == Qt.ItemDataRole.CheckStateRole:
            return None
        if column == self.WHEN:
            return row.starts if role == SortRole else format_datetime(datetime.fromisoformat(row.starts), "short")
        if column == self.TYPE:
            return _(EVENT_TYPE_LABELS[row.type])
        if column == self.TITLE:  # a German title in an Arabic table keeps its own order, aligned with the UI
            return row.title if role == SortRole else ui_value(row.title)
        if column == self.PLACE:
            return row.place if role == SortRole else ui_value(row.place)
        if column == self.PRESENT:
            total = row.families + row.headcount
            return total if role == SortRole else ngettext(
                "{families} family + {headcount}", "{families} families + {headcount}", row.families).format(
                families=row.families, headcount=row.headcount)
        return None


class AttendanceModel(ListTableModel):
    """Families to tick; rows are ``FamilyRow``.  Ticking emits ``toggled(family_id, present)``."""

    PRESENT, FAMILY, CHILDREN, LANGUAGES = range(4)
    toggled = Signal(str, bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._present: set[str] = set()

    def set_present(self, family_ids) -> None:
        self._present = set(family_ids)
        if self._rows:
            self.dataChanged.emit(self.index(0, self.PRESENT), self.index(len(self._rows) - 1, self.PRESENT))

    def is_present(self, family_id: str) -> bool:
        return family_id in self._present

    def headers(self) -> list[str]:
        return [_("Present"), _("Family"), _("Children (grade)"), _("Languages")]

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        if index.isValid() and index.column() == self.PRESENT:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def cell(self, row, column: int, role: int):
        present = row.id in self._present
        if column == self.PRESENT:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
            return int(present) if role == SortRole else None
        if role == Qt.ItemDataRole.CheckStateRole:
            return None
        if column == self.FAMILY:
            return row.guardians
        if column == self.CHILDREN:
            return row.children
        if column == self.LANGUAGES:
            return row.languages
        return None

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.PRESENT or role != Qt.ItemDataRole.CheckStateRole:
            return False
        row = self._rows[index.row()]
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        checked = state == Qt.CheckState.Checked.value
        if checked:
            self._present.add(row.id)
        else:
            self._present.discard(row.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.toggled.emit(row.id, checked)
        return True


class InvitationModel(ListTableModel):
    FAMILY, CHILDREN, CHANNEL, LANGUAGES = range(4)

    def headers(self) -> list[str]:
        return [_("Family"), _("Children (grade, stage)"), _("Invite via"), _("Languages")]

    def cell(self, inv, column: int, role: int):
        if role == Qt.ItemDataRole.CheckStateRole:
            return None
        if column == self.FAMILY:
            return inv.name
        if column == self.CHILDREN:
            no_name = _("(no first name)")
            return join_list("{} ({}, {})".format(isolate(name) if name else no_name, grade, stage) for _id, name, grade, stage in inv.children)
        if column == self.CHANNEL:
            return contact_text(inv.channel)
        if column == self.LANGUAGES:
            return join_list(language_name(tag) for tag in inv.languages)
        return None
