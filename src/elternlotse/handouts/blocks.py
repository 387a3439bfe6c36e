"""The pieces a handout is built of: the store's details, type sizes, the renderer's own phrases,
and the items (lines, bullets, tick boxes, signature lines) of one content block in one column.

Shared by ``render`` (the layouts) and ``personal`` (the family part).  Qt-free, store-free.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.family import Child
from elternlotse.domain.retention import Rules, parse_rules
from elternlotse.domain.text import N_
from elternlotse.handouts.content import fill_placeholders, handouts_root
from elternlotse.handouts.fonts import split_runs
from elternlotse.handouts.layout import ACCENT, GREY, Column, Item, draw_line
from elternlotse.handouts.textlayout import Line, isolate_ltr, wrap

#: A provider of a child's next steps, in the given language (short sentences).
NextSteps = Callable[[Child, str], Sequence[str]]


@dataclass
class HandoutContext:
    """The store's details printed on a handout (placeholders, footer, metadata).

    ``retention``: the retention rules whose paragraph fills ``{retention}`` (the office's
    rules as the review applies them; without, the bundled ``resources/retention.json``).
    """

    organisation: str = ""
    navigator: str = ""
    contact: str = ""
    retention: Rules | None = None

    def values(self, language: str | None = None) -> dict[str, str]:
        """The placeholder values; with ``language`` also the retention paragraph in it."""
        values = {"organisation": self.organisation, "navigator": self.navigator, "contact": self.contact}
        if language is not None:
            values["retention"] = (self.retention or bundled_retention_rules()).paragraph(language)
        return values


def bundled_retention_rules() -> Rules:
    from elternlotse.resources import project_path

    return _bundled_rules(project_path("resources", "retention.json"))


@lru_cache(maxsize=2)
def _bundled_rules(path: Path) -> Rules:
    return parse_rules(path.read_text(encoding="utf-8"))


@dataclass
class Style:
    body: float
    heading: float
    title: float
    small: float

    def scaled(self, factor: float) -> "Style":
        return Style(self.body * factor, self.heading * factor, self.title * factor, self.small)


# ---------------------------------------------------------------- strings

@lru_cache(maxsize=4)
def _all_strings(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def handout_string(key: str, language: str, root: Path | None = None, **params: object) -> str:
    table = _all_strings((root or handouts_root()) / "strings.json")
    # the language, its base (fa for fa-AF), else German: the words the school uses
    text = table.get(language, {}).get(key) or table.get(language.split("-")[0], {}).get(key) or table["de"][key]
    return text.format(**{k: localise_digits(str(v), language) for k, v in params.items()})


def localise_digits(text: str, language: str) -> str:
    """Digits as the language writes them by default (CLDR through Babel): Persian digits for fa."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return text
    system = locale.default_numbering_system if hasattr(locale, "default_numbering_system") else "latn"
    digits = {"arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}.get(system)
    if not digits:
        return text
    return "".join(digits[int(ch)] if "0" <= ch <= "9" else ch for ch in text)


# ---------------------------------------------------------------- drawing helpers


def _line_items(lines: list[Line], column: Column, indent: float = 0.0, space_before: float = 0.0,
                color=None, marker: Callable[[Canvas, float, float, Line], None] | None = None) -> list[Item]:
    items = []
    for i, line in enumerate(lines):
        def draw(c, x, y, line=line, first=(i == 0)):
            left = x if column.rtl else x + indent
            draw_line(c, line, left, column.width - indent, y, color, column.language)
            if first and marker:
                marker(c, x, y, line)
        items.append(Item(line.height, draw, space_before if i == 0 else 0.0))
    return items


def _wrap(text: str, column: Column, size: float, bold: bool = False, indent: float = 0.0) -> list[Line]:
    return wrap(text, column.width - indent, size, column.family, column.rtl, bold)


def block_items(block, column: Column, style: Style, values: dict[str, str], box: bool = True) -> list[Item]:
    """The items of one content block in one column.

    ``box=False``: a tick box's text without the box (German beside the parent's
    language: one box per purpose, in the parent's column, so that nobody ticks twice).
    """
    if column.rtl:  # a German contact line, an organisation's name: one left-to-right unit each
        values = {k: v if k == "retention" else isolate_ltr(v) for k, v in values.items()}  # that one is in the column's language
    fill = lambda t: fill_placeholders(t, values)
    if block.kind == "heading":
        items = _line_items(_wrap(fill(block.text), column, style.heading, bold=True), column,
                            space_before=style.body * 0.9, color=ACCENT)
        for item in items:
            item.kind = "heading"
        return items
    if block.kind == "paragraph":
        return _line_items(_wrap(fill(block.text), column, style.body), column, space_before=style.body * 0.75)
    if block.kind == "bullets":
        items: list[Item] = []
        indent = style.body * 1.3
        for n, entry in enumerate(block.items):
            lines = _wrap(fill(entry), column, style.body, indent=indent)

            def bullet(c, x, y, line, size=style.body):
                runs = split_runs("•", "latin", size)
                text_y = y - line.height * 0.74
                c.setFont(runs[0].font, runs[0].size)
                if column.rtl:
                    c.drawRightString(x + column.width - size * 0.25, text_y, "•")
                else:
                    c.drawString(x + size * 0.25, text_y, "•")
            items.extend(_line_items(lines, column, indent, space_before=style.body * (0.45 if n == 0 else 0.2), marker=bullet))
        return items
    if block.kind == "checkbox":
        indent = style.body * 1.8
        lines = _wrap(fill(block.text), column, style.body, indent=indent)

        def tick(c, x, y, line, size=style.body):
            side = size * 0.95
            top = y - (line.height - side) / 2 - line.height * 0.05
            bx = x + column.width - side if column.rtl else x
            c.setLineWidth(0.8)
            c.rect(bx, top - side, side, side, stroke=1, fill=0)
        return _line_items(lines, column, indent, space_before=style.body * 0.5, marker=tick if box else None)
    if block.kind == "signature":
        gap = style.body * 3.2
        line_width = min(column.width, 260.0)

        def rule(c, x, y):
            c.setLineWidth(0.7)
            c.setStrokeColor(GREY)
            start = x + column.width - line_width if column.rtl else x
            c.line(start, y - gap + 2, start + line_width, y - gap + 2)
            c.setStrokeColor(Color(0, 0, 0))
        items = [Item(gap, rule, space_before=style.body * 0.6)]
        items += _line_items(_wrap(fill(block.text), column, style.small + 1), column, color=GREY)
        return items
    raise ValidationError(N_("'{kind}' is not a kind of handout block."), kind=block.kind)
