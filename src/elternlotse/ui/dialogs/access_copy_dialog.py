"""GDPR Art. 15/20: the access copy of a family, shown readably, saved as JSON, printed or saved as PDF.

The content is the portable family document (``services.families.document``),
the same as ``elternlotse family show ID --json``; the readable view
(``services.access_copy``) is built from it in the parent's language beside German,
so nothing is shown that is not in the copy and nothing is left out.  Saved files are
owner-only; the first one tells the person that it leaves the encrypted store.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QTextBrowser,
                               QVBoxLayout)

from elternlotse.i18n import _
from elternlotse.i18n.formatting import own_language_name
from elternlotse.i18n.languages import UI_LANGUAGES
from elternlotse.services.access_copy import copy_languages, readable_html
from elternlotse.ui.saved_files import saved, write_private, write_private_bytes

__all__ = ["AccessCopyDialog", "language_choices", "readable_html", "write_json", "write_pdf"]


def language_choices(document: dict) -> list[list[str]]:
    """The parent's language beside German first, then every UI language beside German."""
    choices = [copy_languages(document)]
    for tag in UI_LANGUAGES:
        option = ["de"] if tag == "de" else [tag, "de"]
        if option not in choices:
            choices.append(option)
    return choices


def write_json(document: dict, path: Path) -> Path:
    """Owner-only and complete or absent: the copy holds personal data."""
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return write_private_bytes(path, data)


def write_pdf(html_text: str, path: Path) -> Path:
    """Qt's text layout shapes every script (Arabic, Cyrillic, Ethiopic) with font fallback."""

    def render(tmp: str) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setOutputFileName(tmp)
        document = QTextDocument()
        document.setHtml(html_text)
        document.print_(printer)

    return write_private(path, render)


class AccessCopyDialog(QDialog):
    def __init__(self, document: dict, organisation: str = "", parent=None, services=None) -> None:
        super().__init__(parent)
        self.document = document
        self.organisation = organisation
        self.services = services
        self.setWindowTitle(_("Access copy (GDPR Art. 15)"))
        self.resize(820, 640)
        self.language_box = QComboBox()
        self.choices = language_choices(document)
        for option in self.choices:
            self.language_box.addItem(" + ".join(own_language_name(tag) for tag in option))
        language_label = QLabel(_("&Language of the copy:"))
        language_label.setBuddy(self.language_box)
        self.view = QTextBrowser()
        self.view.setAccessibleName(_("Access copy"))
        self.language_box.currentIndexChanged.connect(self._render)
        self._render()
        note = QLabel(_("Hand this copy to the person in person or send it over a channel they consented to. "
                        "The JSON file is the machine-readable copy (Art. 20)."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.json_button = buttons.addButton(_("Save as JSON..."), QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button = buttons.addButton(_("Save as PDF..."), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button = buttons.addButton(_("Print..."), QDialogButtonBox.ButtonRole.ActionRole)
        self.json_button.clicked.connect(self._save_json)
        self.pdf_button.clicked.connect(self._save_pdf)
        self.print_button.clicked.connect(self._print)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(language_label)
        row.addWidget(self.language_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _render(self) -> None:
        languages = self.choices[max(self.language_box.currentIndex(), 0)]
        self.html = readable_html(self.document, self.organisation, languages)
        self.view.setHtml(self.html)

    def _default_name(self, suffix: str) -> str:
        return f"elternlotse-family-{str(self.document.get('id', ''))[:8]}.{suffix}"

    def _save_json(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as JSON"), self._default_name("json"), "JSON (*.json)")
        if path:
            saved(self, self.services, path, lambda: write_json(self.document, Path(path)))

    def _save_pdf(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), self._default_name("pdf"), "PDF (*.pdf)")
        if path:
            saved(self, self.services, path, lambda: write_pdf(self.html, Path(path)))

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.view.document().print_(printer)
