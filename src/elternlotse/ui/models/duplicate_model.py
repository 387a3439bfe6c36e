"""Candidate duplicates of a family being typed: a small table model."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from elternlotse.domain.contact import display_phone
from elternlotse.i18n import _
from elternlotse.i18n.formatting import ltr

NAME, CHILDREN, PHONE, LANGUAGES = range(4)
SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2


class DuplicateModel(QAbstractTableModel):
    """Rows are ``FamilyRow`` objects from ``FamilyService.find_duplicates``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def family_id(self, row: int) -> str:
        return self._rows[row].id

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt's name
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {NAME: _("Parents"), CHILDREN: _("Children (grade)"), PHONE: _("Phone"),
                LANGUAGES: _("Languages")}.get(section)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == RowRole:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, SortRole, Qt.ItemDataRole.ToolTipRole):
            if column == NAME:
                return row.guardians
            if column == CHILDREN:
                return row.children
            if column == PHONE:
                return row.phone if role == SortRole else ltr(display_phone(row.phone)) if row.phone else ""
            if column == LANGUAGES:
                return row.languages
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        return None
