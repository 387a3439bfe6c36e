"""Consent per purpose and channel as checkboxes, with the consent text beside each.

The texts come from ``ConsentTextLibrary.for_parent`` (data under
resources/consent-texts/): German in the first column, the parent's language in
the second; each column keeps its own writing direction (Arabic and Persian
right-aligned, right to left), whatever the UI language is.  Where a language
has no text yet the notice above the texts says so and English is shown.
Nothing is ticked in advance: consent is given actively.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from elternlotse.domain.consent import CHANNEL_LABELS, PURPOSE_LABELS, Channel, Purpose
from elternlotse.i18n import _
from elternlotse.services.consent_texts import ConsentTextChoice, language_name
from elternlotse.ui.i18n_qt import apply_direction

#: Rows in order: (purpose, channel).  The contact purpose has a sentence of its own and one row per channel.
ROWS: list[tuple[Purpose, Channel | None]] = [
    (Purpose.STORE, None),
    *[(Purpose.CONTACT, channel) for channel in Channel],
    (Purpose.EVENT_INVITATIONS, None),
    (Purpose.PASS_TO_OFFICE, None),
    (Purpose.PHOTOS, None),
]


def _text_label(tag: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
    label.setProperty("language", tag)
    # Both text columns share the width equally, whatever the length of their words.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class ConsentChoices(QWidget):
    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.choice: ConsentTextChoice | None = None
        self.boxes: dict[tuple[Purpose, Channel | None], QCheckBox] = {}
        self.notice = QLabel()
        self.notice.setObjectName("consentNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel#consentNotice { background: #fff4ce; color: #4a3800; padding: 4px; }")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(6)
        self.headers = [QLabel(), QLabel(), QLabel()]
        for column, header in enumerate(self.headers):
            header.setStyleSheet("font-weight: 600;")
            self.grid.addWidget(header, 0, column)
        self.intro = [_text_label("de"), _text_label("de")]
        self.contact_text = [_text_label("de"), _text_label("de")]
        self.withdrawal = [_text_label("de"), _text_label("de")]
        self.texts: dict[tuple[Purpose, Channel | None], list[QLabel]] = {}

        row = 1
        self._add_text_row(row, QLabel(), self.intro)
        row += 1
        for key in ROWS:
            purpose, channel = key
            if purpose == Purpose.CONTACT and channel == Channel.PHONE:
                heading = QLabel(_(PURPOSE_LABELS[Purpose.CONTACT]))
                heading.setWordWrap(True)
                self._add_text_row(row, heading, self.contact_text)
                row += 1
            box = QCheckBox(_(CHANNEL_LABELS[channel]) if channel else _(PURPOSE_LABELS[purpose]))
            box.setObjectName(f"consent_{purpose.value}_{channel.value}" if channel else f"consent_{purpose.value}")
            if channel:
                box.setStyleSheet("QCheckBox { margin-left: 18px; }")
            box.toggled.connect(self.changed)
            self.boxes[key] = box
            self.texts[key] = [_text_label("de"), _text_label("de")]
            self._add_text_row(row, box, self.texts[key])
            row += 1
        self._add_text_row(row, QLabel(), self.withdrawal)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        self.grid.setColumnMinimumWidth(0, 150)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 10, 0)  # keep the text off the scroll bar
        layout.addWidget(self.notice)
        layout.addLayout(self.grid)
        layout.addStretch(1)

    def _add_text_row(self, row: int, first: QWidget, texts: list[QLabel]) -> None:
        self.grid.addWidget(first, row, 0, Qt.AlignmentFlag.AlignTop)
        for column, label in enumerate(texts, start=1):
            self.grid.addWidget(label, row, column)

    # ---------------------------------------------------------------- texts
    def set_choice(self, choice: ConsentTextChoice) -> None:
        """Show the texts of ``choice``: German, and the parent's language (or English) beside it."""
        self.choice = choice
        texts = choice.texts
        self.headers[0].setText(_("Consent"))
        for column in (0, 1):
            text = texts[column] if column < len(texts) else None
            self.headers[column + 1].setText(language_name(text.language) if text else "")
            self.headers[column + 1].setVisible(text is not None)
            pairs = [(self.intro[column], text.intro if text else ""),
                     (self.contact_text[column], text.purposes["contact"] if text else ""),
                     (self.withdrawal[column], text.withdrawal if text else "")]
            pairs += [(self.texts[key][column], text.for_purpose(*key) if text else "") for key in ROWS]
            for label, value in pairs:
                label.setText(value)
                label.setVisible(text is not None)
                if text is not None:
                    apply_direction(label, text.language)
                    label.setProperty("language", text.language)
            if text is not None:
                apply_direction(self.headers[column + 1], text.language)
        self.grid.setColumnStretch(2, 1 if len(texts) > 1 else 0)
        notices = choice.notices()
        self.notice.setText("\n".join(notices))
        self.notice.setVisible(bool(notices))

    # ---------------------------------------------------------------- state
    def selected(self) -> set[tuple[Purpose, Channel | None]]:
        return {key for key, box in self.boxes.items() if box.isChecked()}

    def set_selected(self, keys) -> None:
        for key, box in self.boxes.items():
            box.setChecked(key in set(keys))

    def clear(self) -> None:
        self.set_selected(())

    def first_box(self) -> QCheckBox:
        return self.boxes[ROWS[0]]
