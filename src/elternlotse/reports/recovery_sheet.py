"""The recovery key sheet: one A4 page with the key, a QR code of it and what to do with it.

Printed in the UI language and in German (the office's language), each with its own
catalogue (``i18n.translator``); the key and the QR code are the same in both.  The file
is written atomically and readable by its owner only (``tabular.write_atomically``).
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from elternlotse.domain.text import N_
from elternlotse.i18n import translator
from elternlotse.reports.pdf import PdfText
from elternlotse.reports.tabular import write_atomically

TITLE = N_("Recovery key for Elternlotse")
FOR_STORE = N_("Store of {name} ({organisation}), created {date}")
WHAT_IT_DOES = N_("If the passphrase is forgotten, this key sets a new one: in the unlock window choose "
                  "\"Forgot passphrase?\", or run 'elternlotse passphrase recover'.")
KEEP_IT = N_("Keep this sheet locked away, apart from the laptop. Anyone who has it and the laptop can open "
             "the data. A new recovery key makes this one useless.")
LOST_BOTH = N_("Without the passphrase and without this key the data on this laptop cannot be opened by anyone; "
               "the office still has what was synced.")


def sheet_bytes(recovery_key: str, languages: list[str], name: str, organisation: str, date: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title="Elternlotse recovery key")
    story: list = []
    seen: list[str] = []
    for language in languages:
        if language in seen:
            continue
        seen.append(language)
        gettext, text = translator(language), PdfText(language)
        align = 2 if text.rtl else 0
        title = ParagraphStyle("t", fontName=text.bold, fontSize=15, leading=20, alignment=align)
        body = ParagraphStyle("b", fontName=text.font, fontSize=10, leading=14, alignment=align, spaceAfter=4)

        def para(value: str, style: ParagraphStyle, text: PdfText = text) -> Paragraph:
            return Paragraph(escape(text(value)), style)

        if len(seen) > 1:
            story.append(Spacer(1, 8 * mm))
        story.append(para(gettext(TITLE), title))
        story.append(para(gettext(FOR_STORE).format(name=name, organisation=organisation or "-", date=date), body))
        story.extend(para(gettext(msg), body) for msg in (WHAT_IT_DOES, KEEP_IT, LOST_BOTH))
        if len(seen) == 1:
            key_style = ParagraphStyle("k", fontName="Courier-Bold", fontSize=17, leading=24, spaceBefore=6,
                                       spaceAfter=6)
            story.append(Paragraph(escape(recovery_key), key_style))
            story.append(_qr(recovery_key))
    doc.build(story)
    return buffer.getvalue()


def _qr(value: str) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    size = 42 * mm
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def write_sheet(path: Path, recovery_key: str, languages: list[str], name: str, organisation: str, date: str) -> Path:
    return write_atomically(Path(path), sheet_bytes(recovery_key, languages, name, organisation, date))
