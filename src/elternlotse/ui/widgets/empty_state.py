"""What a newcomer sees where a list is empty: one sentence and the next action as a button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class EmptyState(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet("font-size: 11pt;")
        self.button = QPushButton()
        self.button.setAutoDefault(True)
        self._action: Callable[[], None] | None = None
        self.button.clicked.connect(lambda: self._action() if self._action else None)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_hint(self, text: str, button_text: str, action: Callable[[], None]) -> None:
        self.label.setText(text)
        self.button.setText(button_text)
        self.button.setAccessibleName(button_text.replace("&", ""))
        self._action = action
        self.show()


__all__ = ["EmptyState"]
