"""A language picker: names, not codes; type-ahead on any part of any of its names.

Each entry shows the language's name in the UI language and in its own
("Türkisch — Türkçe"); typing finds it by any part of its name in any UI
language, its own name or its tag ("tür", "араб", "arab", "tr").  Typing
alone never picks a language: a suggestion is taken with Enter or a click
(Qt.MatchContains on a model through a QCompleter), and text that names no
language leaves the choice as it was.  The order is the given one (most
common first), the same in every UI language.  ``current_tag()`` is the data
under the hood.  With ``none_label`` the first entry means "no language" (tag
""), chosen also by emptying the field; ``set_tag`` adds a tag that is not in
the list (a language stored elsewhere) rather than lose it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter

from elternlotse.i18n import active_language
from elternlotse.i18n.languages import PARENT_LANGUAGES, UI_LANGUAGES, display_name, language

#: The role holding every name of a language (folded), matched by the completer.
SearchRole = Qt.ItemDataRole.UserRole + 7


def language_label(tag: str, ui_language: str | None = None) -> str:
    """"Türkisch — Türkçe": the name in the UI language and the language's own."""
    own = language(tag).own_name
    local = display_name(tag, ui_language or active_language())
    return own if own.casefold() == local.casefold() else f"{local} — {own}"


def search_text(tag: str) -> str:
    names = {tag, language(tag).own_name, *(display_name(tag, ui) for ui in UI_LANGUAGES)}
    return " | ".join(sorted(name.casefold() for name in names if name))


class LanguagePicker(QComboBox):
    def __init__(self, tags: Iterable[str] = PARENT_LANGUAGES, parent=None, none_label: str | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        model = QStandardItemModel(self)
        if none_label is not None:
            empty = QStandardItem(none_label)
            empty.setData("", Qt.ItemDataRole.UserRole)
            empty.setData("", SearchRole)
            model.appendRow(empty)
        for tag in tags:
            model.appendRow(_item(tag))
        self.setModel(model)
        completer = QCompleter(model, self)
        completer.setCompletionRole(SearchRole)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
        completer.activated[QModelIndex].connect(self._suggestion_taken)
        self.setCompleter(completer)
        self.lineEdit().editingFinished.connect(self._settle)
        # The combo box keeps Enter from its line edit: look at the key first (the filter runs before the combo's).
        self.lineEdit().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.lineEdit() and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._settle()
        return super().eventFilter(obj, event)

    def current_tag(self) -> str:
        return self.currentData(Qt.ItemDataRole.UserRole) or ""

    def set_tag(self, tag: str) -> None:
        index = self.findData(tag, Qt.ItemDataRole.UserRole)
        if index < 0 and tag:
            try:
                self.model().appendRow(_item(tag))
            except LookupError:  # not a language tag at all: nothing to show by name
                return
            index = self.count() - 1
        if index >= 0:
            self.setCurrentIndex(index)

    def set_tag_none(self) -> None:
        """The "no language" entry (only with ``none_label``)."""
        self.setCurrentIndex(max(self.findData("", Qt.ItemDataRole.UserRole), 0))
        self.lineEdit().setText(self.itemText(self.currentIndex()))

    def _suggestion_taken(self, index: QModelIndex) -> None:
        tag = index.data(Qt.ItemDataRole.UserRole)
        QTimer.singleShot(0, lambda: self._take(tag))  # after the completer has written its text

    def _take(self, tag: str) -> None:
        self.set_tag(tag)
        self.lineEdit().setText(self.itemText(self.currentIndex()))

    def matches(self, text: str) -> list[str]:
        """Tags whose names contain ``text`` (what the suggestions list shows)."""
        needle = text.strip().casefold()
        model = self.model()
        return [model.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(model.rowCount())
                if needle and needle in model.index(row, 0).data(SearchRole)]

    def _settle(self) -> None:
        """Leaving the field: an exact or the only match is taken; anything else shows the choice again."""
        text = self.lineEdit().text()
        if text == self.itemText(self.currentIndex()):  # (currentText() of an editable combo is the typed text)
            return
        if not text.strip() and self.findData("", Qt.ItemDataRole.UserRole) >= 0:
            self.set_tag_none()
            return
        found = self.matches(text)
        exact = [tag for tag in found if text.strip().casefold() in
                 {language(tag).own_name.casefold(), display_name(tag, active_language()).casefold(), tag}]
        if len(exact) == 1 or len(found) == 1:
            self.set_tag((exact or found)[0])
        self.lineEdit().setText(self.itemText(self.currentIndex()))


def _item(tag: str) -> QStandardItem:
    item = QStandardItem(language_label(tag))
    item.setData(tag, Qt.ItemDataRole.UserRole)
    item.setData(search_text(tag), SearchRole)
    return item


__all__ = ["LanguagePicker", "language_label", "SearchRole"]
