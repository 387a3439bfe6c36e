"""One undo history for a form: whole-form snapshots as undo steps, and the fields' own undo keys routed to it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence, QUndoCommand


class Snapshot(QUndoCommand):
    """One edit step: the whole form before and after (small documents, simple and exact)."""

    def __init__(self, form, before: dict, after: dict, text: str) -> None:
        super().__init__(text)
        self.form, self.before, self.after = form, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:  # the widgets already show it
            self._first = False
            return
        self.form.set_form(self.after)

    def undo(self) -> None:
        self.form.set_form(self.before)


class UndoRouter(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z reach the form's shortcuts instead of a field's own undo.

    A line edit "overrides" the undo keys for its private history; ignoring that
    override hands the keys to the detail's shortcuts (one history for the whole form).
    """

    KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and any(event.matches(k) for k in self.KEYS):
            event.ignore()
            return True
        return False


__all__ = ["Snapshot", "UndoRouter"]
