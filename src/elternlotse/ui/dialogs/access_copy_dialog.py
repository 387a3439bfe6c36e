"""GDPR Art. 15/20: the access copy of a family, shown readably, saved as JSON, printed or saved as PDF.

The content is the portable family document (``services.families.document``),
the same as ``elternlotse family show ID --json``; the readable view is built
from it, so nothing is shown that is not in the copy and nothing is left out.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtGui import QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QTextBrowser, QVBoxLayout

from elternlotse.domain.consent import CHANNEL_LABELS, EVIDENCE_LABELS, PURPOSE_LABELS, Channel, Evidence, Purpose
from elternlotse.i18n import _
from elternlotse.ui.models.consent_history_model import when_text


def readable_html(document: dict, organisation: str = "") -> str:
    """The access copy as HTML for people (headings, tables), in the UI language."""
    e = html.escape
    names = {g["id"]: g["name"] for g in document.get("guardians", [])}
    names.update({c["id"]: c.get("first_name") or "?" for c in document.get("children", [])})
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"<h2>{e(_('Copy of the stored data (GDPR Art. 15)'))}</h2>",
        f"<p>{e(_('Made on {date} by {organisation}. Family id: {id}').format(date=now, organisation=organisation or '-', id=document.get('id', '')))}</p>",
        f"<h3>{e(_('Parents and guardians'))}</h3>",
    ]
    for guardian in document.get("guardians", []):
        rows = [
            (_("Name"), guardian.get("name", "")),
            (_("Languages"), ", ".join(guardian.get("languages", []))),
            (_("Phone"), ", ".join(guardian.get("phones", []))),
            (_("E-mail"), ", ".join(guardian.get("emails", []))),
            (_("Messenger"), ", ".join(f"{m.get('app', '')} {m.get('handle', '')}".strip() for m in guardian.get("messenger", []))),
            (_("Address"), guardian.get("address", "")),
        ]
        parts.append(_table(rows))
    parts.append(f"<h3>{e(_('Children'))}</h3>")
    children = document.get("children", [])
    if children:
        parts.append("<table border='1' cellspacing='0' cellpadding='4'><tr>" + "".join(
            f"<th>{e(t)}</th>" for t in (_("First name"), _("Grade"), _("School"), _("School year"))) + "</tr>")
        for child in children:
            parts.append("<tr>" + "".join(f"<td dir='auto'>{e(str(v))}</td>" for v in (
                child.get("first_name") or "-", child.get("grade", ""), child.get("school", ""), child.get("school_year", ""))) + "</tr>")
        parts.append("</table>")
    else:
        parts.append(f"<p>{e(_('none'))}</p>")
    parts.append(f"<h3>{e(_('Consents (full history)'))}</h3>")
    consents = document.get("consents", [])
    if consents:
        head = (_("When"), _("Person"), _("Purpose"), _("Given / withdrawn"), _("Evidence"), _("Text version"), _("Recorded by"))
        parts.append("<table border='1' cellspacing='0' cellpadding='4'><tr>" + "".join(f"<th>{e(t)}</th>" for t in head) + "</tr>")
        for entry in consents:
            purpose = _(PURPOSE_LABELS[Purpose(entry["purpose"])])
            if entry.get("channel"):
                purpose += f" ({_(CHANNEL_LABELS[Channel(entry['channel'])])})"
            cells = (when_text(entry.get("at", "")), names.get(entry.get("person"), "?"), purpose,
                     _("given") if entry.get("granted") else _("withdrawn"),
                     _(EVIDENCE_LABELS[Evidence(entry["evidence"])]),
                     " ".join(x for x in (entry.get("text_version", ""), entry.get("text_language", "")) if x),
                     entry.get("recorded_by", ""))
            parts.append("<tr>" + "".join(f"<td dir='auto'>{e(str(c))}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    else:
        parts.append(f"<p>{e(_('none'))}</p>")
    parts.append(f"<h3>{e(_('Notes'))}</h3><p dir='auto'>{e(document.get('notes') or '-')}</p>")
    return "\n".join(parts)


def _table(rows: list[tuple[str, str]]) -> str:
    e = html.escape
    body = "".join(f"<tr><th align='left'>{e(k)}</th><td dir='auto'>{e(v or '-')}</td></tr>" for k, v in rows)
    return f"<table cellspacing='0' cellpadding='3'>{body}</table><br/>"


def write_json(document: dict, path: Path) -> Path:
    Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Path(path)


def write_pdf(html_text: str, path: Path) -> Path:
    """Qt's text layout shapes every script (Arabic, Cyrillic, Ethiopic) with font fallback."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setOutputFileName(str(path))
    document = QTextDocument()
    document.setHtml(html_text)
    document.print_(printer)
    return Path(path)


class AccessCopyDialog(QDialog):
    def __init__(self, document: dict, organisation: str = "", parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.html = readable_html(document, organisation)
        self.setWindowTitle(_("Access copy (GDPR Art. 15)"))
        self.resize(820, 640)
        self.view = QTextBrowser()
        self.view.setAccessibleName(_("Access copy"))
        self.view.setHtml(self.html)
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _default_name(self, suffix: str) -> str:
        return f"elternlotse-family-{str(self.document.get('id', ''))[:8]}.{suffix}"

    def _save_json(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as JSON"), self._default_name("json"), "JSON (*.json)")
        if path:
            write_json(self.document, Path(path))

    def _save_pdf(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), self._default_name("pdf"), "PDF (*.pdf)")
        if path:
            write_pdf(self.html, Path(path))

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.view.document().print_(printer)
