"""The sign-in sheet of an event: landscape A4 in one language (German by default), a row per invited
family (name, grades of the invited children) and blank rows, a signature column and a "present" tick
box, and a headcount box on the last page; as few pages as the rows allow.

Each name is drawn as a line of its own (``textlayout.wrap``), so a name in Arabic script is shaped
and ordered alone and never mixes with its neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from elternlotse.handouts.blocks import localise_digits
from elternlotse.handouts.content import SOURCE_LANGUAGE
from elternlotse.handouts.fonts import font_name
from elternlotse.handouts.kit import EventFacts, SignInRow, format_day, format_hours, kit_canvas, kit_string
from elternlotse.handouts.layout import ACCENT, GREY, draw_line
from elternlotse.handouts.textlayout import direction, script_family, wrap

SHEET_W, SHEET_H = landscape(A4)
SHEET_MARGIN = 36.0
ROW_H = 25.0
HEAD_H = 62.0
BOX_H = 60.0
#: Column widths as shares of the table: number, family, grades, persons, signature, present.
SHARES = (0.05, 0.33, 0.10, 0.09, 0.33, 0.10)


def sign_in_capacity() -> tuple[int, int]:
    """Rows on a full page, and on the last page (which also holds the headcount box)."""
    usable = SHEET_H - 2 * SHEET_MARGIN - HEAD_H - ROW_H  # the header row of the table
    return int(usable // ROW_H), int((usable - BOX_H) // ROW_H)


def sign_in_layout(rows: int) -> list[int]:
    """Rows per page: as many as fit, the last page with room for the headcount box."""
    per_page, last_page = sign_in_capacity()
    pages: list[int] = []
    left = rows
    while left > last_page:
        take = min(per_page, left)
        if take == left:
            take -= 1  # a row goes along with the headcount box: never a table without rows
        pages.append(take)
        left -= take
    pages.append(left)
    return pages


def _cell_text(c: Canvas, text: str, x: float, width: float, y_top: float, size: float, language: str,
               bold: bool = False) -> None:
    if not text:
        return
    rtl = direction(language) == "rtl"
    family = script_family([text])
    line = wrap(text, width - 8, size, family, rtl, bold)[0]  # one line a cell: a name is its own line
    draw_line(c, line, x + 4, width - 8, y_top - (ROW_H - line.height) / 2, None, language)


def render_sign_in(facts: EventFacts, rows: Sequence[SignInRow], blank: int, language: str = SOURCE_LANGUAGE,
                   root: Path | None = None) -> bytes:
    """The sign-in sheet: the invited families (``rows``), then ``blank`` empty rows, then the headcount box."""
    entries = list(rows) + [SignInRow() for _ in range(blank)]
    plan = sign_in_layout(len(entries))
    buffer = BytesIO()
    c = kit_canvas(buffer, kit_string("sign_in", language, root), facts.organisation or facts.navigator, "sign-in",
                [language], pagesize=landscape(A4))
    rtl = direction(language) == "rtl"
    width = SHEET_W - 2 * SHEET_MARGIN
    widths = [share * width for share in SHARES]
    if rtl:
        widths = widths[::-1]
    xs = [SHEET_MARGIN + sum(widths[:i]) for i in range(len(widths))]
    headers = [kit_string(k, language, root) for k in ("number", "family", "grade", "persons", "signature", "present")]
    order = list(range(len(SHARES)))[::-1] if rtl else list(range(len(SHARES)))
    number = 0
    for page, count in enumerate(plan, start=1):
        top = SHEET_H - SHEET_MARGIN
        heading = " – ".join(x for x in (kit_string("sign_in", language, root), facts.title) if x)
        line = wrap(heading, width, 15, script_family([heading]), rtl, bold=True)[0]
        draw_line(c, line, SHEET_MARGIN, width, top, ACCENT, language)
        details = "  |  ".join(x for x in (format_day(facts.starts, language),
                                          format_hours(facts.starts, facts.ends, language), facts.place) if x)
        sub = wrap(details, width, 10, script_family([details]), rtl)[0]
        draw_line(c, sub, SHEET_MARGIN, width, top - line.height - 4, GREY, language)
        y = top - HEAD_H
        c.setLineWidth(0.6)
        c.setFillColor(Color(0.92, 0.94, 0.96))
        c.rect(SHEET_MARGIN, y - ROW_H, width, ROW_H, stroke=0, fill=1)
        c.setFillColor(Color(0, 0, 0))
        for k, col in enumerate(order):
            _cell_text(c, headers[col], xs[k], widths[k], y, 9.5, language, bold=True)
        c.rect(SHEET_MARGIN, y - ROW_H, width, ROW_H, stroke=1, fill=0)
        for k in range(1, len(xs)):
            c.line(xs[k], y, xs[k], y - ROW_H)
        y -= ROW_H
        for entry in entries[number:number + count]:
            number += 1
            cells = [localise_digits(str(number), language), entry.name, localise_digits(entry.grades, language),
                     "", "", ""]
            for k, col in enumerate(order):
                _cell_text(c, cells[col], xs[k], widths[k], y, 10, language)
            c.rect(SHEET_MARGIN, y - ROW_H, width, ROW_H, stroke=1, fill=0)
            for k in range(1, len(xs)):
                c.line(xs[k], y, xs[k], y - ROW_H)
            tick = xs[order.index(5)] + widths[order.index(5)] / 2 - 6
            c.rect(tick, y - ROW_H / 2 - 6, 12, 12, stroke=1, fill=0)
            y -= ROW_H
        if page == len(plan):
            _headcount_box(c, y - 12, language, root, rtl)
        pages = localise_digits(f"{page} / {len(plan)}", language)
        c.setFont(font_name("latin"), 8)
        c.setFillColor(GREY)
        c.drawRightString(SHEET_W - SHEET_MARGIN, SHEET_MARGIN - 16, pages)
        c.setFillColor(Color(0, 0, 0))
        c.showPage()
    c.save()
    return buffer.getvalue()


def _headcount_box(c: Canvas, y_top: float, language: str, root: Path | None, rtl: bool) -> None:
    width = 330.0
    x = SHEET_MARGIN if not rtl else SHEET_W - SHEET_MARGIN - width
    c.setLineWidth(1.0)
    c.rect(x, y_top - BOX_H + 10, width, BOX_H - 10, stroke=1, fill=0)
    for n, key in enumerate(("headcount", "anonymous")):
        text = kit_string(key, language, root)
        row_top = y_top - 6 - n * 22
        line = wrap(text, width - 80, 10, script_family([text]), rtl, bold=(n == 0))[0]
        draw_line(c, line, x + 8, width - 80, row_top, None, language)
        box_x = x + 8 if rtl else x + width - 60
        c.rect(box_x, row_top - 16, 52, 15, stroke=1, fill=0)


__all__ = ["render_sign_in", "sign_in_capacity", "sign_in_layout"]
