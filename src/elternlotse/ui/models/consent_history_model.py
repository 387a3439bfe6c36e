"""A family's full consent history (newest first): who, when, what, how, which text version."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from elternlotse.domain.consent import CHANNEL_LABELS, EVIDENCE_LABELS, PURPOSE_LABELS, ConsentEntry
from elternlotse.i18n import N_, _

WHEN, PERSON, PURPOSE, CHANNEL, STATE, EVIDENCE, TEXT, RECORDED_BY = range(8)
COLUMN_TITLES = {
    WHEN: N_("When"),
    PERSON: N_("Person"),
    PURPOSE: N_("Purpose"),
    CHANNEL: N_("Channel"),
    STATE: N_("Given / withdrawn"),
    EVIDENCE: N_("Evidence"),
    TEXT: N_("Text version"),
    RECORDED_BY: N_("Recorded by"),
}
SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2


def when_text(at: str) -> str:
    """A stored UTC time (``2026-11-01T10:00:00Z``) in this computer's local time, the UI language's way.

    The store keeps UTC (proof that compares across machines); a person reads local time:
    18:20 in Hagen, not "16:20 UTC".  Numbers stay in order inside right-to-left text.
    """
    from datetime import datetime

    from elternlotse.i18n.formatting import format_datetime, isolate

    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    return isolate(format_datetime(moment, "medium"))


class ConsentHistoryModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[ConsentEntry] = []
        self._names: dict[str, str] = {}

    def set_history(self, entries: list[ConsentEntry], names: dict[str, str]) -> None:
        self.beginResetModel()
        self._entries = sorted(entries, key=lambda e: (e.at, e.stamp), reverse=True)
        self._names = dict(names)
        self.endResetModel()

    def entry(self, row: int) -> ConsentEntry:
        return self._entries[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMN_TITLES)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section in COLUMN_TITLES:
            return _(COLUMN_TITLES[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == RowRole:
            return entry
        if role == SortRole:
            return entry.at + entry.stamp if index.column() == WHEN else self._text(entry, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATE and not entry.granted:
            from PySide6.QtGui import QColor

            return QColor("#b00020")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, entry: ConsentEntry, column: int) -> str:
        if column == WHEN:
            return when_text(entry.at)
        if column == PERSON:
            return self._names.get(entry.person_id, "?")
        if column == PURPOSE:
            return _(PURPOSE_LABELS[entry.purpose])
        if column == CHANNEL:
            return _(CHANNEL_LABELS[entry.channel]) if entry.channel else ""
        if column == STATE:
            return _("given") if entry.granted else _("withdrawn")
        if column == EVIDENCE:
            return _(EVIDENCE_LABELS[entry.evidence])
        if column == TEXT:
            if entry.text_version and entry.text_language:
                return f"{entry.text_version} ({entry.text_language})"
            return entry.text_version or "-"
        if column == RECORDED_BY:
            return entry.recorded_by
        return ""
