"""Table models of the Sync page: trusted peers, conflicts to review, the change report per family."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import Qt

from elternlotse.i18n import _, pgettext
from elternlotse.i18n.formatting import format_datetime, isolate
from elternlotse.services.sync_report import describe, family_title
from elternlotse.ui.models.list_model import ListTableModel, SortRole


def when(iso: str) -> str:
    """A stored UTC time (``2026-11-22T10:16:52Z``) in the UI language's local format; "-" if empty."""
    if not iso:
        return "-"
    try:
        return format_datetime(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc), style="short")
    except ValueError:
        return iso


class _Model(ListTableModel):
    """Subclasses give ``value`` (shown) and, where it differs, ``sort_value``."""

    def value(self, item, column: int):
        raise NotImplementedError

    def sort_value(self, item, column: int):
        return self.value(item, column)

    def cell(self, item, column: int, role: int):
        if role == SortRole:
            value = self.sort_value(item, column)
            return value if isinstance(value, (int, float)) else str(value or "")
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.value(item, column)
            return "" if value is None else str(value)
        return None


class PeerModel(_Model):
    """Trusted installations: the office (navigator) or the admitted navigators (office)."""

    NAME, ROLE, NODE, FINGERPRINT, LAST_SEQ_IN, LAST_IMPORT, SEQ_OUT, LAST_EXPORT = range(8)

    def headers(self) -> list[str]:
        return [_("Name"), _("Role"), _("Node"), _("Fingerprint"), _("Last file received"), _("Received at"),
                _("Files sent"), _("Last sent")]

    def value(self, peer, column: int):
        role = _("office") if peer.role == "office" else _("navigator")
        if peer.revoked:
            role = _("{role}, key revoked on {date}").format(role=role, date=peer.revoked_on)
        if column == self.LAST_IMPORT:
            return when(peer.last_import_at)
        if column == self.LAST_EXPORT:
            return when(peer.last_export_at)
        return [peer.name, role, peer.node_id, peer.fingerprint, peer.last_seq_in, "", peer.seq_out, ""][column]

    def sort_value(self, peer, column: int):
        if column in (self.LAST_IMPORT, self.LAST_EXPORT):
            return peer.last_import_at if column == self.LAST_IMPORT else peer.last_export_at
        return self.value(peer, column)


def _show(value) -> str:
    if value is None:
        return "-"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ConflictModel(_Model):
    """Concurrent edits: the value that was kept and the one that lost."""

    RECORD, FIELD, CURRENT, OTHER, DETECTED = range(5)

    def headers(self) -> list[str]:
        return [pgettext("the record a conflict is in", "Record"), _("Field"), _("Current value"), _("Other value"),
                _("Detected")]

    def value(self, c, column: int):
        return [c.label or f"{c.table} {c.row_id[:8]}", c.field, _show(c.current_value), _show(c.lost_value),
                when(c.detected)][column]

    def sort_value(self, c, column: int):
        return c.detected if column == self.DETECTED else self.value(c, column)




class FamilyChangeModel(_Model):
    """The change report of the last import: one row per family and file (``services.sync_report``)."""

    FAMILY, SENDER, FILE, WHAT = range(4)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.node_name = str

    def headers(self) -> list[str]:
        return [_("Family"), _("From"), _("File"), _("What happened")]

    def value(self, change, column: int):
        if column == self.FAMILY:
            return family_title(change)
        if column == self.SENDER:
            return self.node_name(change.sender)
        if column == self.FILE:
            return Path(change.file).name
        return describe(change, self.node_name, isolate)

    def cell(self, item, column: int, role: int):
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WHAT:
            return self.value(item, column)
        return super().cell(item, column, role)
