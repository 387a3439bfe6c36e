"""The rows of a small dialog's form: a mnemonic label as the field's buddy, an accessible name."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLayout, QPushButton, QVBoxLayout


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


def lay_out_form_dialog(dialog, parts, accept_text: str, on_accept) -> QPushButton:
    """``parts`` (widgets and layouts, top to bottom) above an accept button and Cancel.

    The accept button is the default only once the box is in the dialog, so Enter accepts;
    Cancel rejects.  Returns the accept button.
    """
    buttons = QDialogButtonBox()
    accept = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(buttons)
    accept.setDefault(True)
    return accept


__all__ = ["add_labelled_rows", "error_label", "lay_out_form_dialog"]
