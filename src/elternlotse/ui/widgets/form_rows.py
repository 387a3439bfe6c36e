"""The rows of a small dialog's form: a mnemonic label as the field's buddy, an accessible name."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel


def add_labelled_rows(form: QFormLayout, rows) -> None:
    """``rows``: (label with its &-letter, widget, accessible name as a screen reader says it)."""
    for label, widget, name in rows:
        buddy = QLabel(label)
        buddy.setBuddy(widget)
        widget.setAccessibleName(name)
        form.addRow(buddy, widget)


def error_label() -> QLabel:
    """The dialog's one-sentence refusal, red, hidden until there is one."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


__all__ = ["add_labelled_rows", "error_label"]
