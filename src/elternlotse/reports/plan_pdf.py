"""The half-year plan of a family café as one A4 page: month, day, topic, grades, what parents learn."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from elternlotse.domain.text import N_
from elternlotse.reports.pdf import PdfText, grid_table
from elternlotse.reports.tabular import write_atomically


def write_plan_pdf(title: str, rows: list[list[str]], path: Path, language: str, translate) -> Path:
    return write_atomically(path, plan_pdf(title, rows, language, translate))


def plan_pdf(title: str, rows: list[list[str]], language: str, translate) -> bytes:
    """``rows``: (month, day and time, topic, grades, parents' text) as text in ``language``."""
    text = PdfText(language)
    align = 2 if text.rtl else 0
    heading = ParagraphStyle("h", fontName=text.bold, fontSize=16, leading=21, alignment=align)
    body = ParagraphStyle("b", fontName=text.font, fontSize=8.5, leading=11, alignment=align)
    header = [translate(N_("Month")), translate(N_("Date")), translate(N_("Topic")), translate(N_("Grades")),
              translate(N_("What parents learn"))]
    cells = [header] + [[row[0], row[1], Paragraph(text(row[2]), body), row[3], Paragraph(text(row[4]), body)]
                        for row in rows]
    story = [Paragraph(text(title), heading), Spacer(1, 4 * mm),
             grid_table(cells, text, widths=(28 * mm, 38 * mm, 70 * mm, 22 * mm, 100 * mm), header=True)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                      bottomMargin=14 * mm, title=title, lang=language).build(story)
    return buffer.getvalue()
