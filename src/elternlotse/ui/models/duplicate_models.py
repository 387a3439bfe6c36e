"""Table models of the Duplicates page: candidate pairs, one pair side by side, the latest merges."""

from __future__ import annotations

from elternlotse.i18n import _
from elternlotse.i18n.formatting import format_percent, isolate
from elternlotse.ui.models.sync_models import _Model, when


class CandidateModel(_Model):
    """Candidate pairs (``services.duplicates.Candidate``), best first."""

    SCORE, FIRST, SECOND, REASONS = range(4)

    def headers(self) -> list[str]:
        return [_("Score"), _("Family"), _("Possibly the same as"), _("Why")]

    def value(self, c, column: int):
        from elternlotse.services.duplicates import REASONS

        if column == self.SCORE:
            return isolate(format_percent(round(c.score, 2)))
        if column == self.REASONS:
            return ", ".join(_(REASONS[k]) for k in c.reasons)
        return [None, c.first_label or "-", c.second_label or "-"][column]

    def sort_value(self, c, column: int):
        return c.score if column == self.SCORE else self.value(c, column)


class ComparisonModel(_Model):
    """One pair field by field (``services.duplicates.Comparison``); "=" where both agree."""

    FIELD, FIRST, SECOND, SAME = range(4)

    def headers(self) -> list[str]:
        return [_("Field"), _("First family"), _("Second family"), _("Same?")]

    def value(self, row, column: int):
        if column == self.SAME:
            return "=" if row.same else "≠"
        return [_(row.label), row.first or "-", row.second or "-"][column]


class MergeModel(_Model):
    """The office's latest merges, newest first; undone ones say when."""

    ID, SURVIVOR, MOVED, AT, UNDONE = range(5)

    def headers(self) -> list[str]:
        return [_("Merge"), _("Family kept"), _("Records moved"), _("Merged at"), _("Undone at")]

    def value(self, m, column: int):
        return [m.id, m.labels.get("keep") or m.keep, m.moved, when(m.at), when(m.undone or "")][column]

    def sort_value(self, m, column: int):
        return [m.id, self.value(m, 1), m.moved, m.at, m.undone or ""][column]
