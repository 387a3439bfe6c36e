"""Models of the Import page: the column mapping and the dry run's rows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from elternlotse.domain.sheet_mapping import FIELDS
from elternlotse.domain.text import N_
from elternlotse.i18n import _, translate_error
from elternlotse.ui.models.list_model import ListTableModel

OUTCOME_LABELS = {"new": N_("new"), "updated": N_("updated"), "duplicate": N_("duplicate"), "refused": N_("refused")}
NOT_IMPORTED = N_("(not imported)")


class MappingModel(ListTableModel):
    """One row per column of the sheet: (index, header, field key or '')."""

    COLUMN, FIELD = 0, 1

    def show(self, headers: list[str], columns: dict[int, str]) -> None:
        self.set_rows([(i, header, columns.get(i, "")) for i, header in enumerate(headers)])

    def set_field(self, row: int, key: str) -> None:
        """Give the column at ``row`` the field ``key`` ('' = not imported); a field is taken by one column only."""
        rows = [(i, header, "" if key and field == key else field) for i, header, field in self.rows()]
        if 0 <= row < len(rows):
            rows[row] = (rows[row][0], rows[row][1], key)
        self._rows = rows
        self.dataChanged.emit(self.index(0, self.FIELD), self.index(max(0, len(rows) - 1), self.FIELD))

    def columns(self) -> dict[int, str]:
        return {i: field for i, _header, field in self.rows() if field}

    def headers(self) -> list[str]:
        return [_("Column"), _("Imported as")]

    def cell(self, row, column: int, role: int):
        if role == Qt.ItemDataRole.CheckStateRole:
            return None
        if column == self.COLUMN:
            return row[1] or f"#{row[0] + 1}"
        return _(FIELDS[row[2]]) if row[2] else _(NOT_IMPORTED)


class DryRunModel(ListTableModel):
    """One row per row of the sheet that is not new: row number, outcome, name, reason (new rows too)."""

    ROW, OUTCOME, NAME, REASON = range(4)

    def headers(self) -> list[str]:
        return [_("Row"), _("Outcome"), _("Name"), _("Reason")]

    def cell(self, row, column: int, role: int):
        if role == Qt.ItemDataRole.CheckStateRole:
            return None
        if column == self.ROW:
            return row.row if role != Qt.ItemDataRole.DisplayRole else str(row.row)
        if column == self.OUTCOME:
            return _(OUTCOME_LABELS[row.outcome])
        if column == self.NAME:
            return row.name
        return translate_error(row.error) if row.error is not None else ""
