"""Candidate duplicates of a family being typed: a small table model, best match first.

Rows are ``(FamilyRow, reason)`` pairs from ``FamilyService.rank_duplicates``.  The
first column says why a family is listed: an exact phone number or e-mail address
(bold, with a warning icon: almost surely the same family) or only a similar name
(plain: maybe).  Names are bidi islands, as in the family list, so "Olena / محمد"
reads in one order in either UI direction.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QStyle

from elternlotse.domain.contact import display_phone
from elternlotse.i18n import N_, _
from elternlotse.i18n.formatting import ltr, ui_paragraph
from elternlotse.ui.models.family_table_model import isolated_names, language_names
from elternlotse.ui.models.list_model import ListTableModel, RowRole, SortRole

MATCH, NAME, CHILDREN, PHONE, LANGUAGES = range(5)
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, SortRole, Qt.ItemDataRole.ToolTipRole)

REASON_LABELS = {
    "phone": N_("Same phone number"),
    "email": N_("Same e-mail address"),
    "name": N_("Similar name"),
}
EXACT = ("phone", "email")


class DuplicateModel(ListTableModel):
    """Rows are ``(FamilyRow, reason)`` from ``FamilyService.rank_duplicates``, best first."""

    def family_id(self, row: int) -> str:
        return self._rows[row][0].id

    def reason(self, row: int) -> str:
        return self._rows[row][1]

    def headers(self) -> list[str]:
        return [_("Match"), _("Parents"), _("Children (grade)"), _("Phone"), _("Languages")]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == RowRole:  # the family row, as in every list model
            row = self.row_at(index.row()) if index.isValid() else None
            return row[0] if row else None
        if index.isValid() and 0 <= index.row() < len(self._rows) and self._rows[index.row()][1] in EXACT:
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.DecorationRole and index.column() == MATCH:
                return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return super().data(index, role)

    def cell(self, row, column: int, role: int):
        family, reason = row
        if role not in _TEXT_ROLES:
            return None
        if column == MATCH:
            return _(REASON_LABELS[reason])
        if column == NAME:
            return ui_paragraph(isolated_names(family.guardians, " / ")) if family.guardians else ""
        if column == CHILDREN:
            return ui_paragraph(isolated_names(family.children, ", ")) if family.children else ""
        if column == PHONE:
            return family.phone if role == SortRole else ltr(display_phone(family.phone)) if family.phone else ""
        if column == LANGUAGES:
            return language_names(family.languages)
        return None
