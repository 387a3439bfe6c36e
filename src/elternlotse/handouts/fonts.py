"""Bundled fonts and the split of text into runs per font.

ReportLab has no glyph fallback: a character the font lacks is drawn blank.  The
Arabic and Ethiopic Noto fonts lack Latin letters, some punctuation and (for
Ethiopic) the digits, so every string is split into runs, each in the first
font of a chain that has the character: the script's own font first, then
Noto Sans, then the others.  Coverage comes from the fonts' cmaps (fontTools).
Fonts live under ``resources/fonts/`` with their licence (SIL OFL 1.1).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont as _FontFile
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: Family -> (regular file, bold file).
FAMILIES: dict[str, tuple[str, str]] = {
    "latin": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "ethiopic": ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
}
#: Size factor per family so that the scripts look alike in size on the page.
SIZE_FACTOR = {"latin": 1.0, "arabic": 1.12, "ethiopic": 1.06}
#: Characters that are never drawn (format controls; their work is done before drawing).
INVISIBLE = frozenset("\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad")


def fonts_dir() -> Path:
    from elternlotse.resources import project_path

    return project_path("resources", "fonts")


def font_name(family: str, bold: bool = False) -> str:
    return f"Elternlotse-{family}-{'bold' if bold else 'regular'}"


@dataclass(frozen=True)
class Run:
    font: str
    text: str
    size: float

    @property
    def width(self) -> float:
        return pdfmetrics.stringWidth(self.text, self.font, self.size)


@lru_cache(maxsize=None)
def register_fonts() -> tuple[str, ...]:
    """Register every bundled font with ReportLab once per process; return their names."""
    names = []
    folder = fonts_dir()
    for family, files in FAMILIES.items():
        for bold, file in ((False, files[0]), (True, files[1])):
            name = font_name(family, bold)
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
            names.append(name)
    return tuple(names)


@lru_cache(maxsize=None)
def coverage(family: str, bold: bool = False) -> frozenset[int]:
    """The code points the font file maps to a glyph (its cmap)."""
    file = FAMILIES[family][1 if bold else 0]
    with _FontFile(str(fonts_dir() / file), lazy=True) as font:
        return frozenset(font.getBestCmap())


def family_for_script(script: str) -> str:
    return {"Arab": "arabic", "Ethi": "ethiopic"}.get(script, "latin")


def chain(primary: str) -> tuple[str, ...]:
    return (primary, *[f for f in ("latin", "arabic", "ethiopic") if f != primary])


def family_of_char(ch: str, primary: str, bold: bool = False) -> str | None:
    """The first family of the chain that has ``ch``; None when no bundled font has it."""
    code = ord(ch)
    for family in chain(primary):
        if code in coverage(family, bold):
            return family
    return None


def split_runs(text: str, primary: str, size: float, bold: bool = False) -> list[Run]:
    """Split ``text`` into runs, each drawable with one font.

    Spaces and other neutral characters stay in the run before them when that
    font has them, so a line does not flicker between fonts at every space.
    A character no bundled font has is replaced by U+FFFD's stand-in "?"
    (the glyph test in the suite makes sure that never happens with our texts).
    """
    register_fonts()
    runs: list[list] = []
    for ch in text:
        if ch in INVISIBLE:
            continue
        family = None
        if runs and unicodedata.category(ch)[0] in "ZP" and ord(ch) in coverage(runs[-1][0], bold):
            family = runs[-1][0]
        if family is None:
            family = family_of_char(ch, primary, bold)
        if family is None:
            ch, family = "?", "latin"
        if runs and runs[-1][0] == family:
            runs[-1][1].append(ch)
        else:
            runs.append([family, [ch]])
    return [Run(font_name(f, bold), "".join(chars), size * SIZE_FACTOR[f]) for f, chars in runs]


def runs_width(runs: list[Run]) -> float:
    return sum(r.width for r in runs)


def missing_glyphs(text: str, primary: str, bold: bool = False) -> list[str]:
    """Characters of ``text`` that no bundled font can draw (for tests and the loader)."""
    return sorted({ch for ch in text if ch not in INVISIBLE and family_of_char(ch, primary, bold) is None})
