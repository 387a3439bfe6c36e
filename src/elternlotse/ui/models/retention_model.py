"""Families due for erasure under the retention rules: one row per family and rule (retention review)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from elternlotse.domain.retention import RULE_LABELS, Due
from elternlotse.i18n import _, active_language
from elternlotse.i18n.formatting import format_date, isolate
from elternlotse.ui.models.list_model import ListTableModel, RowRole, SortRole

__all__ = ["RetentionModel", "RowRole", "SortRole"]


class RetentionModel(ListTableModel):
    DUE, FAMILY, RULE, SINCE = range(4)

    def __init__(self, rule_text=lambda key: "", parent=None) -> None:
        super().__init__(parent)
        self.rule_text = rule_text  # rule key -> the rule's sentence in the UI language (tooltip)

    def headers(self) -> list[str]:
        return [_("Due since"), _("Family"), _("Reason"), _("Period began")]

    def cell(self, row: Due, column: int, role: int):
        if role == SortRole:
            return {self.DUE: row.due.isoformat(), self.SINCE: row.since.isoformat(),
                    self.FAMILY: row.name.casefold()}.get(column, row.rule)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.rule_text(row.rule) if column == self.RULE else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.DUE:
            return isolate(format_date(row.due, "medium", active_language()))
        if column == self.FAMILY:
            return isolate(row.name)
        if column == self.RULE:
            return _(RULE_LABELS[row.rule])
        if column == self.SINCE:
            return isolate(format_date(row.since, "medium", active_language()))
        return None
