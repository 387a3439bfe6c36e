"""Handouts as print-ready A4 PDFs with ReportLab.

Layouts:

* **single**: one language;
* **bilingual**: the parent's language beside German, block by block; the
  parent's column comes first in the parent's reading direction (left for
  left-to-right languages, right for Arabic script), German in the other;
* **personalised**: either of the above with a family part at the top: the
  guardians' names, each child with grade and (when a ``next_steps`` provider is
  given) the child's next steps, and the navigator's contact.

The page is built in two passes: blocks become rows of items (lines, boxes) in
one or two columns; the rows are cut into pages; then every page is drawn with
its footer ("page n / m", the review flag while a text is not reviewed).
Nothing here reads the UI language: every language comes in as an argument.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.family import Family
from elternlotse.domain.text import N_
from elternlotse.handouts.content import SOURCE_LANGUAGE, HandoutLibrary, HandoutText, fill_placeholders
from elternlotse.handouts.fonts import font_name, register_fonts, split_runs
from elternlotse.handouts.layout import (
    GREY,
    GUTTER,
    LIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    Column,
    Item,
    Row,
    draw_line,
    draw_qr,
    paginate,
)
from elternlotse.handouts.textlayout import direction, script_family, wrap
from elternlotse.handouts.blocks import (
    HandoutContext,
    NextSteps,
    Style,
    _line_items,
    block_items,
    handout_string,
    localise_digits,
)
from elternlotse.handouts.personal import family_rows

SINGLE = Style(body=11.5, heading=14.0, title=20.0, small=7.5)
BILINGUAL = Style(body=10.0, heading=12.0, title=15.0, small=7.0)
#: A form (a text with tick boxes: the consent form) beside German: it must stay one sheet, signature
#: and tick boxes on the same page, so it starts smaller and may shrink down to FORM_MIN_BODY.
BILINGUAL_FORM = Style(body=9.0, heading=10.5, title=13.0, small=6.5)
FORM_SHRINK_STEPS = (0.95, 0.9, 0.85)
FORM_MIN_BODY = 7.6
#: A form's signature column beside its tick boxes (points): wide enough to sign on.
SIGNATURE_W_SINGLE = 165.0
SIGNATURE_W_BILINGUAL = 120.0
QR_SIZE_SINGLE = 62.0
QR_SIZE_BILINGUAL = 54.0
#: When the last page is filled less than this, try smaller type (these factors) to save the page.
SHRINK_BELOW = 0.3
SHRINK_STEPS = (0.95, 0.9)
MIN_BODY = 9.5  # points: never smaller body text than this


# ---------------------------------------------------------------- items and rows


@dataclass
class Document:
    """One handout laid out: pages of placed items, plus what the footer needs."""

    pages: list[list[tuple[Item, float, float]]] = field(default_factory=list)
    footer_languages: list[str] = field(default_factory=list)
    unreviewed: list[str] = field(default_factory=list)
    title: str = ""
    language: str = ""


# ---------------------------------------------------------------- building a document

def _title_rows(url: str | None, texts: dict[str, HandoutText], languages: list[str], columns: list[Column],
                style: Style, values: dict[str, dict[str, str]], root: Path) -> list[Row]:
    """The titles; with a public page, its QR code at the outer edge beside them and its address below.

    The QR code sits at the right edge of the page, or at the left edge when the
    parent's language is written right to left (the edge where that reader's eye
    ends the title line).  The title next to it is wrapped narrower.
    """
    parent = languages[0]
    size = QR_SIZE_SINGLE if len(columns) == 1 else QR_SIZE_BILINGUAL
    qr_left = direction(parent) == "rtl"
    qr_x = MARGIN_X if qr_left else PAGE_W - MARGIN_X - size
    cells: list[list[Item]] = []
    for col in columns:
        title = fill_placeholders(texts[col.language].title, values[col.language])
        beside = bool(url) and col.x <= qr_x + size / 2 <= col.x + col.width
        cut = size + 12 if beside else 0.0
        indent = cut if beside and (qr_left != col.rtl) else 0.0
        lines = wrap(title, col.width - cut, style.title, col.family, col.rtl, bold=True)
        cells.append(_line_items(lines, col, indent=indent))
    if url:
        cells.append([Item(size, lambda c, x, y: draw_qr(c, url, qr_x, y - size, size))])
    rows = [Row(cells)]
    if url:
        main = next(col for col in columns if col.language == parent)
        label = handout_string("more_info", parent, root) + " " + url
        address = [[] for _ in columns]
        address[columns.index(main)] = _line_items(wrap(label, main.width, style.small + 1, main.family, main.rtl),
                                                   main, space_before=4, color=GREY)
        rows.append(Row(address))
    rows.append(Row([[Item(style.body * 0.6, lambda c, x, y: None)]]))
    return rows


def _columns(languages: list[str], family_of: dict[str, str]) -> list[Column]:
    if len(languages) == 1:
        lang = languages[0]
        return [Column(MARGIN_X, PAGE_W - 2 * MARGIN_X, lang, family_of[lang], direction(lang) == "rtl")]
    width = (PAGE_W - 2 * MARGIN_X - GUTTER) / 2
    parent, german = languages
    parent_rtl = direction(parent) == "rtl"
    left, right = (german, parent) if parent_rtl else (parent, german)
    return [Column(MARGIN_X, width, left, family_of[left], direction(left) == "rtl"),
            Column(MARGIN_X + width + GUTTER, width, right, family_of[right], direction(right) == "rtl")]


def build_document(topic_id: str, language: str, with_language: str | None = None, *,
                   family: Family | None = None, next_steps: NextSteps | None = None,
                   context: HandoutContext | None = None, library: HandoutLibrary | None = None) -> Document:
    """Lay out one handout (pages of placed items); ``draw_documents`` puts it on a canvas."""
    library = library or HandoutLibrary()
    context = context or HandoutContext()
    register_fonts()
    topic = library.topic(topic_id)
    languages = [language]
    if with_language and with_language != language:
        languages.append(with_language)
    texts: dict[str, HandoutText] = {lang: library.load(topic_id, lang) for lang in languages}
    if len(languages) == 2 and SOURCE_LANGUAGE not in languages:
        raise ValidationError(N_("A bilingual handout puts a language beside German; '--with' must be 'de'."))
    if len(languages) == 2 and language == SOURCE_LANGUAGE:
        languages.reverse()  # the parent's language is the other one
    family_of = {lang: _text_family(texts[lang]) for lang in languages}
    form = any(block.kind == "checkbox" for block in texts[languages[0]].blocks)
    base = SINGLE if len(languages) == 1 else (BILINGUAL_FORM if form else BILINGUAL)
    columns = _columns(languages, family_of)
    values = {lang: context.values(lang) for lang in languages}  # per column: {retention} is in its language

    def layout(style: Style) -> list[list[tuple[Item, float, float]]]:
        rows: list[Row] = _title_rows(topic.qr_url, texts, languages, columns, style, values, library.root)
        if family is not None:
            rows += family_rows(family, columns, style, context, next_steps, library.root)
        blocks = texts[languages[0]].blocks
        ticks = [i for i, block in enumerate(blocks) if block.kind == "checkbox"]
        signatures = [i for i, block in enumerate(blocks) if block.kind == "signature"] if ticks else []
        for i, block in enumerate(blocks):
            if i in signatures:
                continue  # beside the tick boxes
            if signatures and i == ticks[0]:
                rows.append(_form_row(range(ticks[0], ticks[-1] + 1), signatures, texts, languages, columns,
                                      style, values))
            if signatures and ticks[0] <= i <= ticks[-1]:
                continue
            cells = [block_items(texts[col.language].blocks[i], col, style, values[col.language],
                                 box=len(columns) == 1 or col.language == languages[0]) for col in columns]
            rows.append(Row(cells, keep_with_next=block.kind == "heading"))
        return paginate(rows, columns)

    pages = layout(base)
    if len(pages) > 1 and (form or last_page_fill(pages) < SHRINK_BELOW):
        # A few lines spill onto a page of their own: a slightly smaller type saves a sheet.
        for factor in (FORM_SHRINK_STEPS if form else SHRINK_STEPS):
            if base.body * factor < (FORM_MIN_BODY if form else MIN_BODY):
                break
            smaller = layout(base.scaled(factor))
            if len(smaller) < len(pages):
                pages = smaller
                break

    doc = Document(footer_languages=languages, title=texts[languages[0]].title, language=languages[0])
    doc.unreviewed = [lang for lang in languages if not texts[lang].reviewed]
    doc.pages = pages
    return doc


def _form_row(region: range, signatures: list[int], texts: dict[str, HandoutText], languages: list[str],
              columns: list[Column], style: Style, values: dict[str, dict[str, str]]) -> Row:
    """A form's tick boxes (the blocks from its first to its last box) with the signature beside them.

    The boxes' columns (the parent's language on the reading side, German beside it) are narrowed; the
    signature lines with their captions (the parent's language, then German) stand in a column at the
    other edge, top-aligned with the first box: the boxes on the left for left-to-right languages, on
    the right for Arabic script, the signature on the opposite side.
    """
    parent = languages[0]
    rtl = direction(parent) == "rtl"
    sig_w = SIGNATURE_W_SINGLE if len(columns) == 1 else SIGNATURE_W_BILINGUAL
    area = PAGE_W - 2 * MARGIN_X - sig_w - GUTTER
    area_x = MARGIN_X + sig_w + GUTTER if rtl else MARGIN_X
    sig_x = MARGIN_X if rtl else MARGIN_X + area + GUTTER
    width = area if len(columns) == 1 else (area - GUTTER) / 2
    narrow = [Column(area_x + k * (width + GUTTER), width, col.language, col.family, col.rtl)
              for k, col in enumerate(columns)]
    cells: list[list[Item]] = [[] for _ in narrow]
    for i in region:
        parts = [block_items(texts[col.language].blocks[i], col, style, values[col.language],
                             box=len(narrow) == 1 or col.language == parent) for col in narrow]
        tallest = max(sum(item.height + item.space_before for item in part) for part in parts)
        for cell, part in zip(cells, parts, strict=True):
            cell += part
            rest = tallest - sum(item.height + item.space_before for item in part)
            if rest > 0.01:  # the languages' columns stay level, block by block
                cell.append(Item(rest, lambda c, x, y: None))
    signature: list[Item] = []
    for n, i in enumerate(signatures):
        for k, lang in enumerate(dict.fromkeys([parent, *languages])):
            col = Column(sig_x, sig_w, lang, columns[languages.index(lang)].family, direction(lang) == "rtl")
            items = block_items(texts[lang].blocks[i], col, style, values[lang])
            if k:  # German's caption under the parent's, one line to sign on
                items = items[1:]
                items[0].space_before = style.small * 0.4
            elif n == 0 and cells[0]:
                items[0].space_before = cells[0][0].space_before  # level with the first box
            signature += items
    return Row([*cells, signature], xs=[col.x for col in narrow] + [sig_x])


@lru_cache(maxsize=512)
def _text_family(text: HandoutText) -> str:
    return script_family(text.strings())


def last_page_fill(pages: list[list[tuple[Item, float, float]]]) -> float:
    """How much of the last page's text area is used (0..1)."""
    if not pages or not pages[-1]:
        return 0.0
    lowest = min(y - item.height for item, _, y in pages[-1])
    return (PAGE_H - MARGIN_TOP - lowest) / (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)


# ---------------------------------------------------------------- drawing and files

def _footer(c: Canvas, doc: Document, page: int, pages: int, root: Path) -> None:
    c.setStrokeColor(LIGHT)
    c.setLineWidth(0.5)
    c.line(MARGIN_X, MARGIN_BOTTOM - 18, PAGE_W - MARGIN_X, MARGIN_BOTTOM - 18)
    c.setStrokeColor(Color(0, 0, 0))
    number = f"{page} / {pages}"
    runs = split_runs(number, "latin", 8)
    c.setFillColor(GREY)
    c.setFont(runs[0].font, runs[0].size)
    first_rtl = direction(doc.footer_languages[0]) == "rtl"
    if first_rtl:
        c.drawString(MARGIN_X, MARGIN_BOTTOM - 30, number)
    else:
        c.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 30, number)
    flags = list(doc.unreviewed)
    if flags and SOURCE_LANGUAGE not in flags:
        flags.append(SOURCE_LANGUAGE)  # the flag in German too, for the school
    y = MARGIN_BOTTOM - 22
    width = PAGE_W - 2 * MARGIN_X - 50
    for lang in flags:
        rtl = direction(lang) == "rtl"
        text = handout_string("unreviewed", lang, root)
        line = wrap(text, width, 7.0, script_family([text]), rtl)[0]
        x = MARGIN_X + 50 if rtl else MARGIN_X
        draw_line(c, line, x, width, y, GREY, lang)
        y -= line.height
    c.setFillColor(Color(0, 0, 0))


def draw_documents(c: Canvas, docs: Sequence[Document], root: Path) -> int:
    """Draw documents one after another on ``c``; return the number of pages."""
    count = 0
    for doc in docs:
        total = len(doc.pages)
        for n, page in enumerate(doc.pages, start=1):
            for item, x, y in page:
                c.saveState()
                item.draw(c, x, y)
                c.restoreState()
            _footer(c, doc, n, total, root)
            c.showPage()
            count += 1
    return count


def _canvas(target, title: str, language: str, author: str, subject: str, languages: Sequence[str] = ()) -> Canvas:
    """A canvas with the document's metadata.

    The initial font is a bundled one (else ReportLab declares an unused,
    non-embedded Helvetica on every page); ``invariant=0`` gives the true
    creation date.  ``/Lang`` is the parent's language; every line carries its
    own (see ``draw_line``), and the keywords name all languages of the sheet.
    """
    register_fonts()
    c = Canvas(target, pagesize=A4, lang=language, pageCompression=1, invariant=0,
               initialFontName=font_name("latin"))
    c.setTitle(title)
    c.setAuthor(author or "Elternlotse")
    c.setSubject(subject)
    c.setCreator("Elternlotse")
    c.setKeywords(["Elternlotse", "handout", subject, *dict.fromkeys([language, *languages])])
    return c


def render_handout(topic_id: str, language: str, with_language: str | None = None, *,
                   family: Family | None = None, next_steps: NextSteps | None = None,
                   context: HandoutContext | None = None, library: HandoutLibrary | None = None) -> bytes:
    """One handout as PDF bytes."""
    library = library or HandoutLibrary()
    context = context or HandoutContext()
    doc = build_document(topic_id, language, with_language, family=family, next_steps=next_steps,
                         context=context, library=library)
    buffer = BytesIO()
    c = _canvas(buffer, doc.title, doc.language, context.organisation or context.navigator, topic_id,
                doc.footer_languages)
    draw_documents(c, [doc], library.root)
    c.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class BatchEntry:
    family: Family
    language: str


def render_batch(topic_id: str, entries: Sequence[BatchEntry], *, beside_german: bool = True,
                 next_steps: NextSteps | None = None, context: HandoutContext | None = None,
                 library: HandoutLibrary | None = None, fallback_language: str = "de") -> bytes:
    """One PDF for an event: per family one personalised handout in its language.

    A family whose language has no text for this topic gets ``fallback_language``;
    with ``beside_german`` every non-German handout has German beside it.
    """
    library = library or HandoutLibrary()
    context = context or HandoutContext()
    available = set(library.languages(topic_id))
    docs = []
    for entry in entries:
        lang = entry.language if entry.language in available else fallback_language
        other = SOURCE_LANGUAGE if beside_german and lang != SOURCE_LANGUAGE else None
        docs.append(build_document(topic_id, lang, other, family=entry.family, next_steps=next_steps,
                                   context=context, library=library))
    if not docs:
        raise ValidationError(N_("No family to print a handout for."))
    buffer = BytesIO()
    languages = list(dict.fromkeys(lang for doc in docs for lang in doc.footer_languages))
    c = _canvas(buffer, docs[0].title, SOURCE_LANGUAGE, context.organisation or context.navigator, topic_id, languages)
    draw_documents(c, docs, library.root)
    c.save()
    return buffer.getvalue()


def write_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


__all__ = ["BatchEntry", "Document", "HandoutContext", "NextSteps", "Style", "build_document", "draw_documents",
           "handout_string", "last_page_fill", "localise_digits", "render_batch", "render_handout", "write_atomic"]
