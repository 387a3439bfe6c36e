"""Bundled fonts and the split of text into runs per font.

ReportLab has no glyph fallback: a character the font lacks is drawn blank.  The
Arabic and Ethiopic Noto fonts lack Latin letters, some punctuation and (for
Ethiopic) the digits, so every string is split into runs, each in the first
font of a chain that has the character: the script's own font first, then
Noto Sans, then the others.  Coverage comes from the fonts' cmaps (fontTools).
Fonts live under ``resources/fonts/`` with their licence (SIL OFL 1.1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import arabic_reshaper
from arabic_reshaper.letters import LETTERS_ARABIC
from fontTools.ttLib import TTFont as _FontFile
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import SUBSETN, ShapedStr, TTFont, makeToUnicodeCMap, shapeStr

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
    width: float = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "width", text_width(self.text, self.font, self.size))


def text_width(text: str, font: str, size: float) -> float:
    """The advance width of a run; a shaped run (HarfBuzz) counts the shaper's advances."""
    data = getattr(text, "__shapeData__", None)
    if not data:
        return pdfmetrics.stringWidth(text, font, size)
    total = 0.0
    for ch, sd in zip(text, data, strict=False):
        if sd.cluster == 0x7FFFFFFF:  # a character added unshaped beside a shaped segment
            total += pdfmetrics.stringWidth(ch, font, size)
        else:
            total += sd.x_advance * size / 1000.0
    return total


#: Letters and marks that join or combine in Arabic script (not digits, not punctuation),
#: plus ZWNJ/ZWJ and the tatweel: a maximal segment of these is one unit for the shaper.
_JOINING = re.compile("[\u0610-\u061A\u0620-\u065F\u0670-\u06D3\u06D5-\u06DC\u06DF-\u06E8\u06EA-\u06EF"
                      "\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\u200C\u200D\u0640]+")
_JOINERS = "\u200c\u200d"


_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": True})


@lru_cache(maxsize=65536)
def _shape_segment(logical: str, font: str) -> str:
    """One Arabic-script segment (logical order) shaped: glyphs in visual order.

    Where Unicode has presentation forms for every letter of the segment (Arabic,
    Persian, most of Dari), they are used: they copy out of the PDF as letters.
    Pashto and Sorani letters (ټ ښ ګ ڼ ڵ ێ ە ...) have none, so such a segment is
    shaped by HarfBuzz with the font's own tables (its contextual glyphs get
    private codes).  HarfBuzz's advances are per 1000 units: one shaping serves
    every size.
    """
    if all(ch in LETTERS_ARABIC for ch in logical if unicodedata.category(ch)[0] == "L"):
        forms = _RESHAPER.reshape(logical)
        return "".join(ch for ch in forms if ch not in INVISIBLE)[::-1]
    shaped = shapeStr(logical, font, 10)
    data = getattr(shaped, "__shapeData__", None)
    _remember_private(shaped, data, logical, pdfmetrics.getFont(font))
    if data and " " in shaped:
        # HarfBuzz draws a default-ignorable (ZWNJ) as the space glyph with no advance; a segment
        # has no real space, so drop it (else text extraction would split "گام‌های" in two)
        keep = [i for i, ch in enumerate(shaped) if ch != " "]
        shaped = ShapedStr("".join(shaped[i] for i in keep), shapeData=[data[i] for i in keep])
    return shaped


def _remember_private(shaped: str, data, logical: str, font) -> None:
    """Note which letters of ``logical`` each private-code glyph of ``shaped`` stands for (its cluster)."""
    if not data or not isinstance(font, ShapingFont):
        return
    starts = sorted({sd.cluster for sd in data if 0 <= sd.cluster <= len(logical)})
    seen: set[int] = set()
    for ch, sd in zip(shaped, data, strict=False):
        code = ord(ch)
        if code not in _PRIVATE or sd.cluster in seen or code in font.private_text:
            continue
        seen.add(sd.cluster)
        later = [c for c in starts if c > sd.cluster]
        text = logical[sd.cluster:later[0] if later else len(logical)]
        text = "".join(c for c in text if c not in INVISIBLE)
        if text:
            font.private_text[code] = text


def shape_visual(text: str, font: str) -> str:
    """Shape the Arabic-script segments of ``text``, which is in visual order (after the bidi algorithm)."""
    if not _JOINING.search(text):
        return text
    out: str = ""
    last = 0
    for match in _JOINING.finditer(text):
        out = out + text[last:match.start()] if text[last:match.start()] else out
        segment = match.group(0)[::-1]  # back to logical order for the shaper
        out = out + _shape_segment(segment, font) if segment.strip(_JOINERS) else out
        last = match.end()
    rest = text[last:]
    return out + rest if rest else out


_PRIVATE = range(0xE000, 0xF900)


class ShapingFont(TTFont):
    """A TrueType font whose shaped glyphs without a code point copy out of the PDF as their letters.

    ReportLab gives a glyph the shaper chose that the font's cmap does not reach
    (a Pashto letter's initial form, a ligature) a private-use code; its ToUnicode
    entry would then be that private code.  ``private_text`` remembers which
    letters each private code stands for, and the ToUnicode map says so.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.private_text: dict[int, str] = {}

    def addObjects(self, doc) -> None:  # ReportLab's name
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)  # (forgets the document's state)
        if not self.private_text:
            return
        for n, subset in enumerate(subsets):
            if not any(code in self.private_text for code in subset):
                continue
            base = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if isinstance(stream, pdfdoc.PDFStream):
                stream.content = _to_unicode(base, subset, self.private_text)


def _to_unicode(base: str, subset: list[int], private: dict[int, str]) -> str:
    plain = makeToUnicodeCMap(base, subset)
    head, _, tail = plain.partition("%d beginbfchar" % len(subset))
    entries = []
    for i, code in enumerate(subset):
        text = private.get(code) or chr(code)
        entries.append("<%02X> <%s>" % (i, text.encode("utf-16-be").hex().upper()))
    return head + "%d beginbfchar\n" % len(subset) + "\n".join(entries) + tail[tail.index("\nendbfchar"):]


@lru_cache(maxsize=None)
def register_fonts() -> tuple[str, ...]:
    """Register every bundled font with ReportLab once per process; return their names."""
    names = []
    folder = fonts_dir()
    for family, files in FAMILIES.items():
        for bold, file in ((False, files[0]), (True, files[1])):
            name = font_name(family, bold)
            font = ShapingFont(name, str(folder / file)) if family == "arabic" else TTFont(name, str(folder / file))
            pdfmetrics.registerFont(font)
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
    """Split ``text`` into runs, each drawable with one font (see ``_split_runs``)."""
    return list(_split_runs(text, primary, size, bold))


@lru_cache(maxsize=32768)
def _char_family(ch: str, primary: str, bold: bool) -> str | None:
    return family_of_char(ch, primary, bold)


@lru_cache(maxsize=32768)
def _split_runs(text: str, primary: str, size: float, bold: bool = False) -> tuple[Run, ...]:
    """Split ``text`` into runs, each drawable with one font.

    Spaces and other neutral characters stay in the run before them when that
    font has them, so a line does not flicker between fonts at every space.
    A character no bundled font has is replaced by U+FFFD's stand-in "?"
    (the glyph test in the suite makes sure that never happens with our texts).
    """
    register_fonts()
    runs: list[list] = []
    for ch in text:
        if ch in _JOINERS and runs and runs[-1][0] == "arabic":
            runs[-1][1].append(ch)  # the shaper needs ZWNJ/ZWJ ("می‌خواهم" stays unjoined)
            continue
        if ch in INVISIBLE:
            continue
        family = None
        if runs and unicodedata.category(ch)[0] in "ZP" and ord(ch) in coverage(runs[-1][0], bold):
            family = runs[-1][0]
        if family is None:
            family = _char_family(ch, primary, bold)
        if family is None:
            ch, family = "?", "latin"
        if runs and runs[-1][0] == family:
            runs[-1][1].append(ch)
        else:
            runs.append([family, [ch]])
    out = []
    for f, chars in runs:
        name = font_name(f, bold)
        joined = "".join(chars)
        out.append(Run(name, shape_visual(joined, name) if f == "arabic" else joined, size * SIZE_FACTOR[f]))
    return tuple(out)


def runs_width(runs: list[Run]) -> float:
    return sum(r.width for r in runs)


def shaped_notdef(text: str, family: str, bold: bool = False) -> list[str]:
    """Arabic-script segments of ``text`` for which the shaper finds no glyph (.notdef) in the font."""
    register_fonts()
    font = pdfmetrics.getFont(font_name(family, bold))
    bad = []
    for match in _JOINING.finditer(text):
        shaped = _shape_segment(match.group(0), font.fontName)
        if isinstance(shaped, ShapedStr) and any(font.face.charToGlyph.get(ord(ch)) == 0 for ch in shaped):
            bad.append(match.group(0))
    return bad


def missing_glyphs(text: str, primary: str, bold: bool = False) -> list[str]:
    """Characters of ``text`` that no bundled font can draw (for tests and the loader)."""
    return sorted({ch for ch in text if ch not in INVISIBLE and family_of_char(ch, primary, bold) is None})
