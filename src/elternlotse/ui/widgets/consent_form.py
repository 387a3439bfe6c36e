"""The consent form on paper, before anything is saved: the texts side by side, boxes to tick, signature.

Quick capture prints it for the parent to read and sign (the evidence "signed paper
form"); nothing is stored by printing.  Each text keeps its own direction.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from elternlotse.i18n import _
from elternlotse.i18n.formatting import language_name, ltr
from elternlotse.i18n.languages import language
from elternlotse.ui.widgets.consent_choices import ROWS


def _cell(text, value: str) -> str:
    direction = "rtl" if language(text.language).rtl else "ltr"
    return f"<td dir='{direction}' valign='top'>{html.escape(value)}</td>"


def consent_form_html(choice, name: str = "") -> str:
    """One row per purpose/channel: a box, then each text (German, the parent's language)."""
    texts = list(choice.texts)
    head = "".join(f"<th>{html.escape(language_name(t.language))}</th>" for t in texts)
    rows = ["<tr><td></td>" + "".join(_cell(t, t.intro) for t in texts) + "</tr>"]
    for key in ROWS:
        rows.append("<tr><td valign='top' style='font-size: 16pt'>&#9744;</td>"
                    + "".join(_cell(t, t.for_purpose(*key)) for t in texts) + "</tr>")
    rows.append("<tr><td></td>" + "".join(_cell(t, t.withdrawal) for t in texts) + "</tr>")
    who = html.escape(name.strip()) or "&nbsp;" * 40
    title = html.escape(_("Consent: text version {version}").format(version=ltr(choice.version)))
    name_label, signature_label = html.escape(_("Name:")), html.escape(_("Date and signature:"))
    return (f"<h2>{title}</h2>"
            f"<table border='1' cellspacing='0' cellpadding='5' width='100%'><tr><th></th>{head}</tr>"
            + "".join(rows) + "</table>"
            f"<p><br>{name_label} {who}</p>"
            f"<p><br>{signature_label} ______________________________</p>")


def print_consent_form(choice, name: str, parent: QWidget | None) -> bool:
    """Ask for the printer and print; True when it went to the printer."""
    if choice is None:
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print the consent form"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    document = QTextDocument()
    document.setHtml(consent_form_html(choice, name))
    document.print_(printer)
    return True


__all__ = ["consent_form_html", "print_consent_form"]
