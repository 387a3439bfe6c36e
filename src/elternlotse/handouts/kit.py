"""The event kit as print-ready PDFs: the invitation letter (with its tear-off reply slip) and the sign-in sheet.

The sentences are data (``resources/handouts/event_kit.json``, German fallback per key); the
event's facts come in as an ``EventFacts`` (the service reads the store). Lines are laid out by
``textlayout.wrap`` (right-to-left shaping and ordering, data values kept left to right) and drawn
by ``layout.draw_line`` with their language, as the handouts are.

Invitation (here): one A4 page per language pair, the family's language beside German (the parent's
column first in the parent's reading direction); the letter above a dashed cut line, the reply
slip below it in both languages. Sign-in sheet (``sign_in``): landscape A4 in one language (German by default),
a table of the invited families and blank rows, and a headcount box on the last page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from elternlotse.handouts.blocks import handout_string, localise_digits
from elternlotse.handouts.content import SOURCE_LANGUAGE, handouts_root
from elternlotse.handouts.fonts import font_name, register_fonts
from elternlotse.handouts.layout import ACCENT, GREY, GUTTER, LIGHT, MARGIN_X, PAGE_H, PAGE_W, Column, draw_line
from elternlotse.handouts.textlayout import LRI, PDI, Line, direction, isolate_ltr, script_family, wrap

SLIP_TOP = 250.0           # the dashed cut line, in points from the foot of the page
LETTER_TOP = PAGE_H - 48.0
FOOT = 40.0
BLACK = Color(0, 0, 0)
BODY_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5)  # the letter shrinks until it stays above the cut line


@dataclass
class Speaker:
    name: str
    role: str


@dataclass
class EventFacts:
    """What the kit prints about one event (store values as typed; topics per language from the catalogue)."""

    title: str
    starts: str  # "YYYY-MM-DDTHH:MM", local time
    ends: str = ""
    place: str = ""
    topics: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # language -> (stage title, parents' text)
    speakers: list[Speaker] = field(default_factory=list)
    interpreter: bool = False
    navigator: str = ""
    organisation: str = ""
    contact: str = ""


@dataclass
class SignInRow:
    name: str = ""
    grades: str = ""


# ---------------------------------------------------------------- sentences

@lru_cache(maxsize=4)
def _table(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def kit_string(key: str, language: str, root: Path | None = None, **params: str) -> str:
    """A sentence of the kit in ``language`` (its base language, else German), placeholders filled."""
    table = _table((root or handouts_root()) / "event_kit.json")
    text = table.get(language, {}).get(key) or table.get(language.split("-")[0], {}).get(key) or table["de"][key]
    return text.format(**params)


def kit_languages(root: Path | None = None) -> list[str]:
    """The languages the kit's sentences are written in."""
    return [k for k in _table((root or handouts_root()) / "event_kit.json") if not k.startswith("_") and k != "reviewed"]


def kit_reviewed(language: str, root: Path | None = None) -> bool:
    return language in _table((root or handouts_root()) / "event_kit.json").get("reviewed", [])


def format_day(value: str, language: str) -> str:
    """The event's day as the language writes a date (CLDR through Babel), digits localised."""
    from babel.dates import format_date

    day = datetime.fromisoformat(value).date()
    try:
        text = format_date(day, "full", locale=language.replace("-", "_"))
    except Exception:  # noqa: BLE001 - a locale Babel lacks (kmr, ti): the German date
        text = format_date(day, "full", locale="de")
    return localise_digits(text, language)


def format_hours(starts: str, ends: str, language: str) -> str:
    first = datetime.fromisoformat(starts).strftime("%H:%M")
    text = first + (" – " + datetime.fromisoformat(ends).strftime("%H:%M") if ends else "")
    return localise_digits(text, language)


# ---------------------------------------------------------------- columns of lines

@dataclass
class Entry:
    """A piece of a column: text (wrapped), a field with a rule to fill in, or a tick box with its text."""

    text: str
    kind: str = "text"  # "text", "bold", "title", "field", "box", "small"
    gap: float = 0.3    # space before, in body sizes
    lang: str = ""      # the language it is written in, when not the column's (German fallback sentences)


def kit_has(language: str, root: Path | None = None) -> bool:
    """True when the kit's sentences are written in ``language`` (or its base language)."""
    table = _table((root or handouts_root()) / "event_kit.json")
    return language in table or language.split("-")[0] in table


def _column_family(language: str) -> str:
    """The script of the language (the handouts' phrases exist in all of them), not of a fallback sentence."""
    return script_family([handout_string("unreviewed", language)])


def _entry_column(entry: Entry, column: Column) -> Column:
    """The column as the entry is written: a German fallback sentence left to right in a Pashto column."""
    if not entry.lang or entry.lang == column.language:
        return column
    return Column(column.x, column.width, entry.lang, _column_family(entry.lang), direction(entry.lang) == "rtl")


def _lines(entry: Entry, column: Column, size: float) -> list[Line]:
    column = _entry_column(entry, column)
    sizes = {"title": size * 1.8, "bold": size * 1.15, "small": size * 0.8}
    indent = size * 1.8 if entry.kind == "box" else 0.0
    width = column.width - indent - (column.width * 0.35 if entry.kind == "field" else 0.0)
    return wrap(entry.text, width, sizes.get(entry.kind, size), column.family, column.rtl,
                bold=entry.kind in ("title", "bold"))


def column_height(entries: Sequence[Entry], column: Column, size: float) -> float:
    return sum(entry.gap * size + sum(line.height for line in _lines(entry, column, size)) for entry in entries)


def draw_column(c: Canvas, entries: Sequence[Entry], column: Column, size: float, y: float) -> float:
    """Draw the entries from ``y`` down; return the y under the last line."""
    whole = column
    for entry in entries:
        column = _entry_column(entry, whole)
        y -= entry.gap * size
        lines = _lines(entry, column, size)
        indent = size * 1.8 if entry.kind == "box" else 0.0
        # always a colour: a text object otherwise keeps the fill of the line drawn before it
        color = ACCENT if entry.kind == "title" else GREY if entry.kind == "small" else BLACK
        for n, line in enumerate(lines):
            left = column.x if column.rtl else column.x + indent
            draw_line(c, line, left, column.width - indent, y, color, column.language)
            baseline = y - line.height * 0.74
            if n == 0 and entry.kind == "box":
                side = size * 0.95
                bx = column.x + column.width - side if column.rtl else column.x
                c.setLineWidth(0.8)
                c.rect(bx, baseline - 1, side, side, stroke=1, fill=0)
            if n == len(lines) - 1 and entry.kind == "field":
                c.setLineWidth(0.6)
                c.setStrokeColor(GREY)
                if column.rtl:
                    c.line(column.x, baseline - 1, column.x + column.width - line.width - 6, baseline - 1)
                else:
                    c.line(column.x + line.width + 6, baseline - 1, column.x + column.width, baseline - 1)
                c.setStrokeColor(Color(0, 0, 0))
            y -= line.height
    return y


def draw_aligned(c: Canvas | None, lists: Sequence[Sequence[Entry]], columns: Sequence[Column], size: float,
                 y: float) -> float:
    """Entry *i* of every column side by side (the columns' entries correspond by index), each row as
    tall as its tallest entry; return the y under the last row.  ``c=None`` only measures."""
    for row in zip(*lists, strict=True):
        bottoms = []
        for entry, column in zip(row, columns, strict=True):
            if c is None:
                bottoms.append(y - column_height([entry], column, size))
            else:
                bottoms.append(draw_column(c, [entry], column, size, y))
        y = min(bottoms)
    return y


def _columns(languages: Sequence[str]) -> list[Column]:
    if len(languages) == 1:
        lang = languages[0]
        return [Column(MARGIN_X, PAGE_W - 2 * MARGIN_X, lang, _column_family(lang), direction(lang) == "rtl")]
    width = (PAGE_W - 2 * MARGIN_X - GUTTER) / 2
    parent, german = languages
    left, right = (german, parent) if direction(parent) == "rtl" else (parent, german)
    return [Column(MARGIN_X + i * (width + GUTTER), width, lang, _column_family(lang), direction(lang) == "rtl")
            for i, lang in enumerate((left, right))]


# ---------------------------------------------------------------- the invitation letter

def _value(text: str, column: Column) -> str:
    """A store value (a place, a name, a contact line) as one left-to-right unit inside right-to-left text."""
    return isolate_ltr(text) if column.rtl else text


def _hours(facts: EventFacts, column: Column) -> str:
    """The hours; inside right-to-left text one left-to-right digit group ("16:30-18:30", as the handouts write
    "10-12"): ``textlayout`` embeds such a group left to right, while spaced parts would swap sides."""
    hours = format_hours(facts.starts, facts.ends, column.language)
    if not column.rtl:
        return hours
    hours = hours.replace(" – ", "-")
    # Persian digits are not Latin digit groups: isolate them as a whole
    return hours if hours.isascii() else f"{LRI}{hours}{PDI}"


def _speech(column: Column) -> Column:
    """The column the kit's sentences are written in: the column's language, else German (left to right)."""
    if kit_has(column.language):
        return column
    return Column(column.x, column.width, SOURCE_LANGUAGE, _column_family(SOURCE_LANGUAGE), False)


def _in_language(entries: list[Entry], speech: Column, column: Column) -> list[Entry]:
    if speech is not column:
        for entry in entries:
            entry.lang = entry.lang or speech.language
    return entries


def letter_entries(facts: EventFacts, column: Column) -> list[Entry]:
    """The letter in the column's language; sentences the kit lacks in German, the catalogue's topics
    (which exist in every handout language) always in the column's language."""
    speech = _speech(column)
    lang = speech.language
    v = lambda text: _value(text, speech)
    entries = [Entry(kit_string("title", lang), "title", 0.0)]
    if facts.title:
        entries.append(Entry(v(facts.title), "bold", 0.4))
    entries += [Entry(kit_string("dear", lang), gap=1.0), Entry(kit_string("intro", lang), gap=0.2),
                Entry(kit_string("date", lang, value=format_day(facts.starts, lang)), gap=0.8),
                Entry(kit_string("time", lang, value=_hours(facts, speech)), gap=0.2)]
    if facts.place:
        entries.append(Entry(kit_string("place", lang, value=v(facts.place)), gap=0.2))
    for title, parents in facts.topics.get(column.language, []):
        if speech is column:
            entries.append(Entry(kit_string("topic", lang, value=title), "bold", 0.8))
        else:
            entries.append(Entry(title, "bold", 0.8, column.language))
        if parents:
            entries.append(Entry(parents, gap=0.2, lang=column.language))
    if facts.speakers:
        entries.append(Entry(kit_string("speakers", lang, value=""), gap=0.8))
        for s in facts.speakers:
            role = kit_string(f"role_{s.role}", lang)
            entries.append(Entry(f"{role}: {v(s.name)}" if s.name else role, gap=0.1))
    if facts.interpreter:
        entries.append(Entry(kit_string("interpreter", lang), gap=0.8))
    entries.append(Entry(kit_string("free", lang), gap=0.8 if not facts.interpreter else 0.2))
    if facts.contact:
        entries.append(Entry(kit_string("questions", lang, value=v(facts.contact)), gap=0.6))
    entries.append(Entry(kit_string("closing", lang), gap=0.8))
    signer = ", ".join(x for x in (facts.navigator, facts.organisation) if x)
    entries.append(Entry(v(signer) if signer else handout_string("navigator", lang), gap=0.4))
    return _in_language(entries, speech, column)


def slip_entries(facts: EventFacts, column: Column) -> list[Entry]:
    speech = _speech(column)
    lang = speech.language
    reply = kit_string("reply", lang) + ": " + (_value(facts.title, speech) if facts.title else kit_string("title", lang))
    return _in_language([Entry(kit_string("cut", lang), "small", 0.0),
            Entry(reply, "bold", 0.6),
            Entry(format_day(facts.starts, lang), gap=0.1),
            Entry(kit_string("come", lang), "field", 0.9),
            Entry(kit_string("child", lang), "field", 0.9),
            Entry(kit_string("class", lang), "field", 0.9),
            Entry(kit_string("not_come", lang), "box", 1.0)], speech, column)


def _draw_invitation_page(c: Canvas, facts: EventFacts, languages: Sequence[str], root: Path | None) -> None:
    columns = _columns(languages)
    letters = [letter_entries(facts, col) for col in columns]
    room = LETTER_TOP - SLIP_TOP - 16
    size = next((s for s in BODY_SIZES if LETTER_TOP - draw_aligned(None, letters, columns, s, LETTER_TOP) <= room),
                BODY_SIZES[-1])
    draw_aligned(c, letters, columns, size, LETTER_TOP)
    c.setDash(4, 3)
    c.setStrokeColor(LIGHT)
    c.setLineWidth(0.7)
    c.line(MARGIN_X - 20, SLIP_TOP, PAGE_W - MARGIN_X + 20, SLIP_TOP)
    c.setDash()
    c.setStrokeColor(Color(0, 0, 0))
    slip_size = 9.5
    draw_aligned(c, [slip_entries(facts, col) for col in columns], columns, slip_size, SLIP_TOP - 6)
    _review_footer(c, languages, root)


def _review_footer(c: Canvas, languages: Sequence[str], root: Path | None) -> None:
    flags = [lang for lang in languages if not kit_reviewed(lang, root)]
    if flags and SOURCE_LANGUAGE not in flags:
        flags.append(SOURCE_LANGUAGE)
    y = FOOT
    width = PAGE_W - 2 * MARGIN_X
    for lang in flags:
        text = handout_string("unreviewed", lang, root)
        line = wrap(text, width, 7.0, script_family([text]), direction(lang) == "rtl")[0]
        draw_line(c, line, MARGIN_X, width, y, GREY, lang)
        y -= line.height


def invitation_pairs(languages: Sequence[str]) -> list[tuple[str, ...]]:
    """One page per language beside German; German alone when there is no other language."""
    others = [lang for lang in dict.fromkeys(languages) if lang != SOURCE_LANGUAGE]
    return [(lang, SOURCE_LANGUAGE) for lang in others] or [(SOURCE_LANGUAGE,)]


def kit_canvas(target, title: str, author: str, subject: str, languages: Sequence[str], pagesize=A4) -> Canvas:
    register_fonts()
    c = Canvas(target, pagesize=pagesize, lang=SOURCE_LANGUAGE, pageCompression=1, invariant=0,
               initialFontName=font_name("latin"))
    c.setTitle(title)
    c.setAuthor(author or "Elternlotse")
    c.setSubject(subject)
    c.setCreator("Elternlotse")
    c.setKeywords(["Elternlotse", subject, *dict.fromkeys(languages)])
    return c


def render_invitation(facts: EventFacts, languages: Sequence[str], root: Path | None = None) -> bytes:
    """The invitation letter: one page per language pair (see ``invitation_pairs``)."""
    pairs = invitation_pairs(languages)
    buffer = BytesIO()
    all_languages = [lang for pair in pairs for lang in pair]
    c = kit_canvas(buffer, facts.title or kit_string("title", SOURCE_LANGUAGE, root), facts.organisation or facts.navigator,
                "invitation", all_languages)
    for pair in pairs:
        _draw_invitation_page(c, facts, pair, root)
        c.showPage()
    c.save()
    return buffer.getvalue()


__all__ = ["EventFacts", "SignInRow", "Speaker", "format_day", "format_hours", "invitation_pairs", "kit_languages",
           "kit_string", "render_invitation"]
