"""The result of a roll-up import in the window: one row per file, what became of it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from elternlotse.domain.errors import ElternlotseError
from elternlotse.i18n import _, translate_error
from elternlotse.i18n.formatting import isolate, ui_value
from elternlotse.i18n.rollup_text import outcome_sentence
from elternlotse.ui.models.list_model import ListTableModel
from elternlotse.ui.tasks import error_text

FILE, RESULT = range(2)


def refusal_text(error: BaseException) -> str:
    """The refusal's own sentence, its values (paths, names) isolated: right-to-left text keeps a path whole."""
    return translate_error(error, isolate=True) if isinstance(error, ElternlotseError) else error_text(error)


def outcome_text(item) -> str:
    """One sentence per file (the CLI's own): stored, replaced, already known, or the refusal's sentence."""
    if item.outcome == "refused":
        return refusal_text(item.error)
    return outcome_sentence(item, isolate)


class RollupResultModel(ListTableModel):
    """Rows are ``services.rollup.RollupOutcome``; read them through ``RowRole``."""

    def headers(self) -> list[str]:
        return [_("File"), _("Result")]

    def cell(self, row, column: int, role: int):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == FILE:
            return ui_value(Path(row.path).name if role == Qt.ItemDataRole.DisplayRole else row.path)
        return outcome_text(row) if column == RESULT else None
