"""Page geometry, placed items, pagination and the low-level drawing of lines and QR codes.

A block of a handout becomes *items* (a line, a check box, a rule) of fixed
height in a *column*; items of the columns of one block form a *row*.
``paginate`` cuts rows into pages, splitting a row between items where it must
(never leaving a heading alone at the foot of a page).  ``draw_line`` draws one
laid-out line, right-aligned when it is right to left, with its language (``/Lang``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from elternlotse.handouts.textlayout import Line

PAGE_W, PAGE_H = A4
MARGIN_X = 50.0
MARGIN_TOP = 48.0
MARGIN_BOTTOM = 66.0
GUTTER = 18.0
GREY = Color(0.35, 0.35, 0.35)
LIGHT = Color(0.6, 0.6, 0.6)
ACCENT = Color(0.05, 0.3, 0.5)


@dataclass
class Item:
    """Something of fixed height drawn at (x, y_top) of its column."""

    height: float
    draw: Callable[[Canvas, float, float], None]
    space_before: float = 0.0
    kind: str = ""  # the block kind it comes from ("heading", ...), for checks


@dataclass
class Row:
    """Columns placed side by side; a row may be split between its items at a page break."""

    columns: list[list[Item]]
    keep_with_next: bool = False
    #: Where this row's columns start, when they are not the page's columns (a form's tick boxes with
    #: the signature beside them); ``None``: the page's columns.
    xs: list[float] | None = None

    def height(self, at_top: bool = False) -> float:
        return max((_column_height(c, at_top) for c in self.columns), default=0.0)


def _column_height(items: list[Item], at_top: bool) -> float:
    total = 0.0
    for i, item in enumerate(items):
        total += item.height + (0.0 if (i == 0 and at_top) else item.space_before)
    return total


@dataclass
class Column:
    x: float
    width: float
    language: str
    family: str
    rtl: bool


def draw_line(c: Canvas, line: Line, x: float, width: float, y_top: float, color=None, lang: str = "") -> None:
    """Draw one line: right-aligned within the column when it is right to left.

    The line is a marked-content span with its language (``/Lang``: a bilingual
    sheet declares both, ISO 32000 14.9.2).  No ``/ActualText``: poppler reads it
    backwards in right-to-left lines, while the glyphs themselves (presentation
    forms, or shaped glyphs whose ToUnicode names their letters) come out in
    logical order from pdftotext and pypdf alike.
    """
    if not line.runs:
        return
    start = x + width - line.width if line.rtl else x
    baseline = y_top - line.height * 0.74
    props = []
    if lang:
        props.append("/Lang (%s)" % lang.replace("(", "").replace(")", "").replace("\\", ""))
    if props:
        c._code.append("/Span <<%s>> BDC" % " ".join(props))
    text = c.beginText(start, baseline)
    if color is not None:
        text.setFillColor(color)
    for run in line.runs:
        text.setFont(run.font, run.size)
        text.textOut(run.text)
    c.drawText(text)
    if props:
        c._code.append("EMC")


@lru_cache(maxsize=64)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules (error correction M, with its quiet zone), computed once per address."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def draw_qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as one filled path, a rectangle per horizontal run of dark modules."""
    matrix = qr_matrix(url)
    cell = size / len(matrix)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + 1) * cell
        start = None
        for col, dark in enumerate(row + (False,)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rect(x + start * cell, top, (col - start) * cell, cell)
                start = None
    c.setFillColor(Color(0, 0, 0))
    c.drawPath(path, stroke=0, fill=1)


def _can_split(row: Row, space: float, lines: int = 2) -> bool:
    """True when every column can put at least its first ``lines`` items into ``space``."""
    return any(row.columns) and all(_column_height(c[:lines], False) <= space for c in row.columns if c)


def paginate(rows: list[Row], columns: list[Column]) -> list[list[tuple[Item, float, float]]]:
    """Cut rows into pages; a row taller than the space left is split between its items."""
    top, bottom = PAGE_H - MARGIN_TOP, MARGIN_BOTTOM
    pages: list[list[tuple[Item, float, float]]] = [[]]
    y = top
    queue = list(rows)
    i = 0
    while i < len(queue):
        row = queue[i]
        at_top = y == top
        needed = row.height(at_top)
        if row.keep_with_next and i + 1 < len(queue):
            follower = queue[i + 1]
            needed += max((_column_height(c[:2], False) for c in follower.columns if c), default=0.0)
        if needed > y - bottom and not at_top and (row.keep_with_next or not _can_split(row, y - bottom)):
            pages.append([])
            y = top
            continue
        xs = row.xs or [columns[k].x if k < len(columns) else MARGIN_X for k in range(len(row.columns))]
        rest_columns: list[list[Item]] = []
        used = 0.0
        for k, items in enumerate(row.columns):
            cy = y
            split = len(items)
            for j, item in enumerate(items):
                gap = 0.0 if (j == 0 and at_top) else item.space_before
                if cy - gap - item.height < bottom and not (at_top and j == 0):
                    split = j
                    break
                cy -= gap + item.height
            if len(items) - split == 1 and split >= 3:
                split -= 1  # no single line alone at the top of the next page
            cy = y
            for j, item in enumerate(items[:split]):
                cy -= 0.0 if (j == 0 and at_top) else item.space_before
                pages[-1].append((item, xs[k], cy))
                cy -= item.height
            used = max(used, y - cy)
            rest_columns.append(items[split:])
        y -= used
        if any(rest_columns):
            if rest_columns:
                for col in rest_columns:
                    if col:
                        col[0] = Item(col[0].height, col[0].draw, 0.0, col[0].kind)
            queue.insert(i + 1, Row(rest_columns, row.keep_with_next, row.xs))
            pages.append([])
            y = top
        i += 1
    if not pages[-1]:
        pages.pop()
    return pages
