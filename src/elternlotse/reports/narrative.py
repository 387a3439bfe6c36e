"""The Sachbericht skeleton: a DOCX with the report's sections and its figures, for the office to complete.

Written with python-docx from a protected ``Report`` (``Report.protected`` first: the published
cells, never the raw counts): a title with office and period, the key figures, one table per
report table, and the sections a funder's narrative report asks for (goals and activities,
cooperation, data protection, conclusions), each with a short prompt for the office's own text.
Headings and prompts are in the report's language; the figures are the same as in the PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from elternlotse.domain.text import N_
from elternlotse.handouts.textlayout import direction
from elternlotse.reports.pdf import _protection_note
from elternlotse.reports.tabular import write_atomically

SECTIONS = (
    (N_("Goals and activities of the period"),
     N_("Describe the goals, the activities and the places of the period.")),
    (N_("Cooperation and network"),
     N_("Name the schools, partners and migrant organisations you worked with, and how.")),
    (N_("Conclusions and outlook"), N_("What worked, what did not, and what is planned next?")),
)


def write_docx(report, path: Path, translate) -> Path:
    if report.rule == "none":
        raise ValueError("a Sachbericht leaves the office: protect the report first")
    rtl = direction(report.language) == "rtl"
    doc = Document()
    doc.core_properties.title = translate(N_("Narrative report (draft)"))
    doc.core_properties.author = report.organisation

    def paragraph(text: str, style: str | None = None):
        item = doc.add_paragraph(text, style=style)
        if rtl:
            item.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return item

    doc.add_heading(translate(N_("Narrative report (draft)")), level=0)
    paragraph(report.organisation)
    paragraph(translate(N_("Period: {first} to {last}")).format(first=report.first.isoformat(),
                                                              last=report.last.isoformat()))
    paragraph(translate(N_("This draft holds the figures of the period; complete the sections marked with > "
                           "before you send it.")), style="Intense Quote")
    prompts = iter(SECTIONS)
    heading, prompt = next(prompts)
    doc.add_heading(translate(heading), level=1)
    paragraph("> " + translate(prompt))
    doc.add_heading(translate(N_("Key figures")), level=1)
    _table(doc, [[translate(label), value] for label, value in report.key_published])
    for table in report.tables:
        if not table.rows:
            continue
        doc.add_heading(table.title, level=2)
        rows = [[table.row_header, *table.columns, translate(N_("Total"))]]
        for label, cells, total in zip(table.rows, table.published.cells, table.published.row_totals, strict=True):
            rows.append([label, *cells, total])
        rows.append([translate(N_("Total")), *table.published.column_totals, table.published.total])
        _table(doc, rows)
    for heading, prompt in prompts:
        doc.add_heading(translate(heading), level=1)
        paragraph("> " + translate(prompt))
    doc.add_heading(translate(N_("Method")), level=1)
    paragraph(_protection_note(report.rule, translate))
    buffer = io.BytesIO()
    doc.save(buffer)
    return write_atomically(path, buffer.getvalue())


def _table(doc, rows: list[list]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = str(value)
