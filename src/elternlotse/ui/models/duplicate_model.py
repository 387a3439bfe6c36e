"""Candidate duplicates of a family being typed: a small table model."""

from __future__ import annotations

from PySide6.QtCore import Qt

from elternlotse.domain.contact import display_phone
from elternlotse.i18n import _
from elternlotse.i18n.formatting import ltr
from elternlotse.ui.models.list_model import ListTableModel, RowRole, SortRole  # noqa: F401  (RowRole re-exported)

NAME, CHILDREN, PHONE, LANGUAGES = range(4)
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, SortRole, Qt.ItemDataRole.ToolTipRole)


class DuplicateModel(ListTableModel):
    """Rows are ``FamilyRow`` objects from ``FamilyService.find_duplicates``."""

    def family_id(self, row: int) -> str:
        return self._rows[row].id

    def headers(self) -> list[str]:
        return [_("Parents"), _("Children (grade)"), _("Phone"), _("Languages")]

    def cell(self, row, column: int, role: int):
        if role not in _TEXT_ROLES:
            return None
        if column == NAME:
            return row.guardians
        if column == CHILDREN:
            return row.children
        if column == PHONE:
            return row.phone if role == SortRole else ltr(display_phone(row.phone)) if row.phone else ""
        if column == LANGUAGES:
            return row.languages
        return None
