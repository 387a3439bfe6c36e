"""Help menu: the keyboard shortcuts and a short first-steps guide, in the UI language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout

from elternlotse.domain.text import N_
from elternlotse.i18n import _

#: (keys, what they do); keys in Qt's portable form, shown in the platform's native text.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("F1", N_("These keyboard shortcuts")),
    ("Ctrl+1", N_("Go to a page (Ctrl+1 to Ctrl+9, in the order of the list on the left)")),
    ("Ctrl+N", N_("New family (opens quick capture)")),
    ("Ctrl+F", N_("Search families")),
    ("Ctrl+S", N_("Save the family or the quick capture")),
    ("Ctrl+Z", N_("Undo the last change in a family, also while typing in a field")),
    ("Ctrl+Shift+Z", N_("Redo")),
    ("Escape", N_("Back from a family to the list")),
    ("Ctrl+L", N_("Lock Elternlotse (unsaved entries are kept)")),
    ("Alt", N_("Alt and an underlined letter: the button or field with that letter")),
    ("Ctrl+Q", N_("Quit")),
)

FIRST_STEPS = N_(
    "1. Quick capture (Ctrl+2): type the parent's name, choose the language by typing part of its name, "
    "add the children's grades.\n"
    "2. Read the consent text with the parent (German beside their language), tick what they agree to and "
    "choose how consent was given. Without consent to store the data nothing is saved.\n"
    "3. Save with Enter or Ctrl+S, print the handout, then \"Next family\".\n"
    "4. Families (Ctrl+1): search in any spelling or script, open a family with Enter, edit it, save with Ctrl+S.\n"
    "5. Next steps and Events: whom to call, whom to invite, who came.\n"
    "6. Sync: exchange a sync file with your coordinating office.\n"
    "Leaving the laptop? Lock it with Ctrl+L: nothing typed is lost.")


def _dialog(parent, title: str) -> tuple[QDialog, QVBoxLayout]:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    return dialog, layout


def _close_button(dialog: QDialog, layout: QVBoxLayout) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)


def shortcuts_dialog(parent=None) -> QDialog:
    dialog, layout = _dialog(parent, _("Keyboard shortcuts"))
    table = QTableWidget(len(SHORTCUTS), 2)
    table.setAccessibleName(_("Keyboard shortcuts"))
    table.setHorizontalHeaderLabels([_("Keys"), _("What they do")])
    for row, (keys, what) in enumerate(SHORTCUTS):
        shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) if keys != "Alt" else "Alt"
        for column, text in enumerate((shown, _(what))):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(row, column, item)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    table.resizeRowsToContents()
    layout.addWidget(table)
    _close_button(dialog, layout)
    dialog.resize(640, 420)
    table.setFocus()
    return dialog


def first_steps_dialog(parent=None) -> QDialog:
    dialog, layout = _dialog(parent, _("First steps"))
    text = QLabel(_(FIRST_STEPS))
    text.setWordWrap(True)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                 | Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(text)
    _close_button(dialog, layout)
    dialog.resize(600, 360)
    return dialog


__all__ = ["SHORTCUTS", "FIRST_STEPS", "shortcuts_dialog", "first_steps_dialog"]
