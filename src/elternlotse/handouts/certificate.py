"""The navigator's training certificate: one A4 page, German and a second language.

German first, then the same text in the navigator's language (or English), each block laid
out by ``textlayout.wrap`` (bidi, shaping of Arabic script, runs per font) and drawn with
``layout.draw_line``; names and dates inside right-to-left lines are isolated left to right.
Sentences are data (``resources/handouts/certificate.json``), the language is an argument.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Sequence

from reportlab.lib.pagesizes import A4

from elternlotse.domain.roster import TrainingModule
from elternlotse.handouts.blocks import localise_digits
from elternlotse.handouts.content import handouts_root
from elternlotse.handouts.kit import kit_canvas
from elternlotse.handouts.layout import ACCENT, GREY, draw_line
from elternlotse.handouts.textlayout import direction, isolate_ltr, script_family, wrap

PAGE_W, PAGE_H = A4
MARGIN = 56.0
SOURCE = "de"


@dataclass(frozen=True)
class CertificateFacts:
    name: str
    organisation: str
    issued: date
    modules: Sequence[tuple[TrainingModule, str]]    # (module, completed on YYYY-MM-DD)
    language: str                                     # the second language (not German)


@lru_cache(maxsize=2)
def _table(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def certificate_string(key: str, language: str, root: Path | None = None, **params: str) -> str:
    table = _table((root or handouts_root()) / "certificate.json")
    text = table.get(language, {}).get(key) or table.get(language.split("-")[0], {}).get(key) or table["en"][key]
    return text.format(**params)


def _day(value: date, language: str) -> str:
    from babel.dates import format_date

    try:
        text = format_date(value, "long", locale=language.replace("-", "_"))
    except Exception:  # noqa: BLE001 - a locale Babel lacks: the ISO date
        text = value.isoformat()
    return localise_digits(text, language)


def _paragraph(c, text: str, y: float, size: float, language: str, bold: bool = False, color=None) -> float:
    rtl = direction(language) == "rtl"
    width = PAGE_W - 2 * MARGIN
    for line in wrap(text, width, size, script_family([text]), rtl, bold):
        draw_line(c, line, MARGIN, width, y, color, language)
        y -= line.height
    return y


def _block(c, facts: CertificateFacts, language: str, y: float) -> float:
    rtl = direction(language) == "rtl"

    def data(value: str) -> str:       # a name or a date inside a right-to-left sentence
        return isolate_ltr(value) if rtl else value

    y = _paragraph(c, certificate_string("title", language), y, 20, language, bold=True, color=ACCENT) - 10
    y = _paragraph(c, certificate_string("intro", language, name=data(facts.name)), y, 11.5, language) - 6
    for module, completed in facts.modules:
        kind = certificate_string("standard" if module.standard else "optional", language)
        day = _day(date.fromisoformat(completed), language)
        y = _paragraph(c, f"• {module.title(language)} ({kind}, {data(day)})", y, 11, language) - 2
    issued = certificate_string("issued", language, day=data(_day(facts.issued, language)),
                                organisation=data(facts.organisation))
    return _paragraph(c, issued, y - 8, 10, language, color=GREY)


def render_certificate(facts: CertificateFacts, root: Path | None = None) -> bytes:
    languages = [SOURCE] + ([facts.language] if facts.language != SOURCE else [])
    buffer = BytesIO()
    c = kit_canvas(buffer, certificate_string("title", SOURCE, root), facts.organisation, "certificate", languages)
    y = PAGE_H - MARGIN
    for n, language in enumerate(languages):
        if n:
            c.setStrokeColor(GREY)
            c.line(MARGIN, y - 8, PAGE_W - MARGIN, y - 8)
            y -= 24
        y = _block(c, facts, language, y)
    c.setStrokeColor(GREY)
    c.line(MARGIN, MARGIN + 40, MARGIN + 220, MARGIN + 40)
    signature = " / ".join(dict.fromkeys(certificate_string("signature", lang, root) for lang in languages))
    _paragraph(c, signature, MARGIN + 34, 8.5, SOURCE, color=GREY)
    c.showPage()
    c.save()
    return buffer.getvalue()


__all__ = ["CertificateFacts", "certificate_string", "render_certificate"]
