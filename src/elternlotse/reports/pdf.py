"""The report as an A4 PDF: cover with period and office, key figures, charts, tables, method note.

Charts (ReportLab graphics) show the published, protected values ("<5" and "x" drawn as 0 and
said so below the chart); bars are told apart by shades of grey and hatching, so they read on
a black-and-white printer.  Right-to-left labels (Arabic, Persian) are shaped and reordered
line by line as in the handouts (``handouts.textlayout``).
"""

from __future__ import annotations

import io
from pathlib import Path

from elternlotse.domain.text import N_

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.lib.styles import ParagraphStyle

from elternlotse.handouts.fonts import font_name, register_fonts
from elternlotse.i18n import translator
from elternlotse.handouts.textlayout import direction, prepare_rtl, visual_rtl
from elternlotse.reports.tabular import write_atomically

GREYS = [colors.Color(0.15, 0.15, 0.15), colors.Color(0.55, 0.55, 0.55), colors.Color(0.8, 0.8, 0.8)]
MAX_BARS = 14


def _number(value) -> float:
    return float(value) if isinstance(value, int) else 0.0


class PdfText:
    """Strings as ReportLab draws them in the report's language (visual order for RTL)."""

    def __init__(self, language: str) -> None:
        register_fonts()
        self.rtl = direction(language) == "rtl"
        family = "arabic" if self.rtl else "latin"
        self.font, self.bold = font_name(family), font_name(family, bold=True)

    def __call__(self, text: str) -> str:
        return visual_rtl(prepare_rtl(text)) if self.rtl else text


def write_pdf(report, path: Path, translate) -> Path:
    text = PdfText(report.language)
    align = 2 if text.rtl else 0
    styles = {
        "title": ParagraphStyle("title", fontName=text.bold, fontSize=20, leading=26, alignment=align),
        "h2": ParagraphStyle("h2", fontName=text.bold, fontSize=13, leading=17, spaceBefore=8, alignment=align),
        "body": ParagraphStyle("body", fontName=text.font, fontSize=9.5, leading=13, alignment=align),
    }

    def para(value: str, style: str = "body") -> Paragraph:
        return Paragraph(_escape(text(value)), styles[style])

    # German for the funder plus the report's language: each heading in German first, then translated
    german = None if report.language == "de" else translator("de")
    latin = {name: ParagraphStyle(f"{name}-de", parent=style, fontName=font_name("latin", bold=name != "body"),
                                  alignment=0, textColor=colors.Color(0.3, 0.3, 0.3), spaceAfter=0)
             for name, style in styles.items()}
    german_titles = report.german_titles() if german else {}

    def heading(msgid: str, style: str = "h2") -> list:
        shown = translate(msgid)
        if not german or german(msgid) == shown:
            return [para(shown, style)]
        return [Paragraph(_escape(german(msgid)), latin[style]), para(shown, style)]

    def table_heading(table) -> list:
        de_text = german_titles.get(table.key)
        if not de_text:
            return [para(table.title, "h2")]
        return [Paragraph(_escape(de_text), latin["h2"]), para(table.title, "h2")]

    def key_label(label: str):
        if not german:
            return translate(label)
        return Paragraph(f'<font face="{font_name("latin")}">{_escape(german(label))}</font><br/>'
                         + _escape(text(translate(label))),
                         ParagraphStyle("kf", fontName=text.font, fontSize=8.5, leading=11, alignment=align))

    story = [
        *heading(N_("Report on the parent navigators' work"), "title"),
        para(report.organisation, "h2"),
        para(translate(N_("Period: {first} to {last}")).format(first=report.first.isoformat(), last=report.last.isoformat())),
        para(_protection_note(report.rule, translate)),
        Spacer(1, 6 * mm),
        *heading(N_("Key figures")),
        grid_table([[key_label(label), value] for label, value in report.key_published], text,
                   widths=(120 * mm, 30 * mm)),
    ]
    charts = [("by-language", "bar"), ("by-format", "bar"), ("by-month", "line"), ("by-topic", "stacked")]
    tables = {t.key: t for t in report.tables}
    for key, kind in charts:
        table = tables.get(key)
        if table is None or not table.rows:
            continue
        story += [*table_heading(table), _chart(table, kind, text),
                  para(translate(N_("Hidden values (<5, x) are drawn as 0.")))]
    for table in report.tables:
        if not table.rows:
            continue
        rows = [[table.row_header, *table.columns, translate(N_("Total"))]]
        for label, cells, total in zip(table.rows, table.published.cells, table.published.row_totals, strict=True):
            rows.append([label, *cells, total])
        rows.append([translate(N_("Total")), *table.published.column_totals, table.published.total])
        story += [*table_heading(table), grid_table(rows, text, header=True, totals=True)]
    story += [*heading(N_("Method")), para(translate(N_(
        "Counts come from the contacts, anonymous tallies and events recorded in Elternlotse. A contact about two "
        "topics counts once in every other table and twice in the topic table. Contacts with families without "
        "consent to pass their data to the office come only as their navigators' anonymous counts by month, "
        "without names or ids.")))]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=translate(N_("Report on the parent navigators' work")),
                            author=report.organisation, lang=report.language)
    doc.build(story, onFirstPage=_stamp, onLaterPages=_stamp)
    return write_atomically(path, buffer.getvalue())


def _stamp(canvas, doc) -> None:
    canvas.setCreator("Elternlotse")


def _protection_note(rule: str, translate) -> str:
    if rule == "suppress":
        return translate(N_("Small numbers are protected: values of 1 to 4 are shown as <5, and further values as x "
                            "where they could be worked out from the totals."))
    if rule == "round5":
        return translate(N_("Small numbers are protected: every value and total is rounded to a multiple of 5."))
    return translate(N_("Unprotected counts: for the office's own checks only, not for publication."))


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def grid_table(rows: list[list], text: PdfText, widths=None, header: bool = False, totals: bool = False) -> Table:
    cells = [[text(str(v)) if isinstance(v, str) else v for v in (reversed(row) if text.rtl else row)] for row in rows]
    if text.rtl and widths:
        widths = tuple(reversed(widths))  # the first column stands on the right
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONT", (0, 0), (-1, -1), text.font, 8.5), ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if header:
        style += [("FONT", (0, 0), (-1, 0), text.bold, 8.5), ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9))]
    if totals:
        style.append(("FONT", (0, -1), (-1, -1), text.bold, 8.5))
    table.setStyle(TableStyle(style))
    return table


def _chart(table, kind: str, text: PdfText) -> Drawing:
    labels = [text(label)[:34] for label in table.rows][:MAX_BARS]
    series = [[_number(row[i]) for row in table.published.cells][:MAX_BARS] for i in range(len(table.columns))]
    drawing = Drawing(170 * mm, 70 * mm if kind != "bar" else max(40, 9 * len(labels)) * mm * 0.5 + 20 * mm)
    if kind == "line":
        chart = HorizontalLineChart()
        chart.data = [[a + b for a, b in zip(*series, strict=True)]] if len(series) == 2 else series
        chart.lines[0].strokeColor = GREYS[0]
        chart.lines[0].strokeWidth = 1.5
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    elif kind == "stacked":
        chart = VerticalBarChart()
        chart.data = series
        chart.categoryAxis.style = "stacked"
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
        for i in range(len(series)):
            chart.bars[i].fillColor = GREYS[i % len(GREYS)]
    else:
        chart = HorizontalBarChart()
        chart.data = series
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.style = "stacked"
        for i in range(len(series)):
            chart.bars[i].fillColor = GREYS[i % len(GREYS)]
            chart.bars[i].strokeColor = colors.black
    chart.x, chart.y = 45 * mm, 14 * mm
    chart.width, chart.height = 115 * mm, drawing.height - 22 * mm
    chart.categoryAxis.labels.fontName = text.font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font_name("latin")
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    drawing.add(chart)
    return drawing
