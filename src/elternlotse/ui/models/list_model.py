"""The common base of the small table models: a list of service result objects as rows.

Subclasses give ``headers()`` and ``cell(row, column, role)``; rows are read
through ``RowRole`` (or ``row_at``), never by raw row numbers in callers.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
_DISPLAY = Qt.ItemDataRole.DisplayRole
LEADING = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)


class ListTableModel(QAbstractTableModel):
    """Rows in a list; subclasses define ``headers()`` and ``cell(row, column, role)``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list:
        return list(self._rows)

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def headers(self) -> list[str]:
        raise NotImplementedError

    def cell(self, row, column: int, role: int):
        return None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section, orientation, role=_DISPLAY):
        if orientation != Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        headers = self.headers()
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: QModelIndex, role=_DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEADING
        if role in (_DISPLAY, SortRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.CheckStateRole):
            return self.cell(row, index.column(), role)
        return None
