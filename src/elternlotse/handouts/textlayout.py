"""Lines of text ready to draw: wrapping, and right-to-left shaping and ordering.

Right-to-left (Arabic, Persian, Sorani, ...), the recipe of the team's tech notes:

1. mark bracket pairs with RLM/LRM so that they resolve like the Unicode bracket
   rule (N0) says; the pure-Python UBA of python-bidi predates that rule and
   would otherwise split "(PDF)" into two closing brackets;
2. wrap in **logical** order, measuring each word in its shaped form
   (Arabic joining does not cross a space, so a word shapes alone as it does
   inside the paragraph);
3. per line: ``bidi.algorithm.get_display`` with a right-to-left base (mirrors
   brackets) on the unshaped letters, then the runs per font, in which every
   Arabic-script word is shaped by HarfBuzz (``fonts.shape_visual``: joining,
   Pashto and Sorani letters, marks); the line is drawn right-aligned.

Reordering a whole paragraph before wrapping would put its last line on top.
Each line keeps its logical text (tests, checks of what copies out of the PDF).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bidi.algorithm import get_display

from elternlotse.handouts.fonts import INVISIBLE, SIZE_FACTOR, Run, family_for_script, split_runs

RLM, LRM = "\u200f", "\u200e"
#: Break opportunities: white space except the no-break space (U+00A0).
_SPACE = re.compile(r"([^\S\u00a0]+)")
_OPEN = {"(": ")", "[": "]", "{": "}", "«": "»", "‹": "›"}
#: Line height relative to the font size, per font family (Naskh has tall ascenders and deep descenders).
LEADING = {"latin": 1.32, "arabic": 1.55, "ethiopic": 1.45}


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float
    height: float
    rtl: bool
    logical: str  # the line's text in logical order (for tests and checks)


@lru_cache(maxsize=64)
def direction(language: str) -> str:
    """'rtl' or 'ltr', from CLDR (Babel); never from a hard-coded list."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"


def script_family(texts: list[str]) -> str:
    """The font family for a text, from the letters it is written in."""
    counts = {"latin": 0, "arabic": 0, "ethiopic": 0}
    for text in texts:
        for ch in text:
            code = ord(ch)
            if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
                counts["arabic"] += 1
            elif 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
                counts["ethiopic"] += 1
            elif ch.isalpha():
                counts["latin"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else "latin"


def _strong(ch: str) -> str | None:
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    return None


def mark_brackets(text: str, base: str = "R") -> str:
    """Resolve bracket pairs as UBA rule N0 does, by putting RLM/LRM on both sides of each bracket."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    closing = {v: k for k, v in _OPEN.items()}
    for i, ch in enumerate(text):
        if ch in _OPEN:
            stack.append((ch, i))
        elif ch in closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == closing[ch]:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    if not pairs:
        return text
    marks: dict[int, str] = {}
    for start, end in pairs:
        inside = {s for s in (_strong(c) for c in text[start + 1:end]) if s}
        if not inside:
            continue
        if base in inside:
            resolved = base
        else:
            before = next((s for s in (_strong(c) for c in reversed(text[:start])) if s), base)
            resolved = before if before != base else base
            if before == "L":
                resolved = "L"
        mark = RLM if resolved == "R" else LRM
        marks[start] = marks[end] = mark
    out = []
    for i, ch in enumerate(text):
        if i in marks:
            out.append(marks[i] + ch + marks[i])
        else:
            out.append(ch)
    return "".join(out)


#: Isolates as embeddings fenced by RLM: python-bidi's pure-Python algorithm fails on isolates, and the
#: marks make the neighbours of an embedded value resolve right to left as an isolate would let them.
_ISOLATES = str.maketrans({"\u2066": "\u200f\u202a", "\u2067": "\u200f\u202b", "\u2068": "\u200f\u202a",
                           "\u2069": "\u202c\u200f"})
#: Latin-digit groups joined by a separator ("0176 1234567", "2026-1", "10:30"): one left-to-right unit.
_NUMBER_GROUP = re.compile(r"\+?[0-9]+(?:[ \u00a0./:\-][0-9]+)+")


_LATIN_IN_BRACKETS = re.compile(r"\([A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß .\-/]{0,28}\)")


#: Data values that must read left to right inside right-to-left text: addresses, e-mail, times, codes.
_URL = re.compile(r"(?:https?://|www\.)[^\s()«»]+[^\s()«».,;:!?،؛]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_VALUE = re.compile(f"{_URL.pattern}|{_EMAIL.pattern}|{_NUMBER_GROUP.pattern}")
LRE, PDF = "\u202a", "\u202c"
LRI, PDI = "\u2066", "\u2069"


def isolate_ltr(value: str) -> str:
    """A value typed in a left-to-right script (a German contact line) as one isolated unit."""
    first = next((s for s in (_strong(c) for c in value) if s), None)
    return f"{LRI}{value}{PDI}" if value and first == "L" else value


def prepare_rtl(text: str) -> str:
    """Logical right-to-left text made safe for python-bidi's UBA.

    Isolates (LRI, RLI, FSI, PDI) become embeddings: the pure-Python algorithm
    fails on isolates.  Data values (an address, an e-mail, groups of Latin
    digits with separators: a phone number, hours 10-12, a version 2026-1) are
    embedded left to right; after Arabic letters the UBA would otherwise turn
    their parts into separate runs in reverse order ("/https://..." or
    "0176 1234567 ,"). Then bracket pairs are marked (``mark_brackets``).
    """
    text = text.translate(_ISOLATES)
    text = _VALUE.sub(lambda m: RLM + LRE + m.group(0) + PDF + RLM, text)
    return mark_brackets(text, "R")


_EMBED_OPEN = "\u202a\u202b\u202d\u202e"


def balance_embeddings(line: str, open_before: list[str]) -> tuple[str, list[str]]:
    """Close the embeddings a line leaves open and reopen them on the next: each line is reordered alone."""
    stack = list(open_before)
    for ch in line:
        if ch in _EMBED_OPEN:
            stack.append(ch)
        elif ch == PDF and stack:
            stack.pop()
    prefix = "".join(open_before)
    # a PDF at the start of a line whose opener was on the line before is matched by the prefix
    return prefix + line + PDF * len(stack), stack


_KEEP = "\u200c\u200d"  # the shaper needs ZWNJ/ZWJ; split_runs drops them after shaping
#: python-bidi drops ZWNJ and ZWJ (class BN) from its output; the Arabic letter mark (class AL,
#: never in our texts) stands in for them through the reordering.
_STAND_IN = {"\u200c": "\u061c", "\u200d": "\u061c\u061c"}


@lru_cache(maxsize=16384)
def visual_rtl(line: str, base: str = "R") -> str:
    """A logical line (already bracket-marked) reordered as drawn left to right (letters unshaped)."""
    masked = line.replace("\u200d", _STAND_IN["\u200d"]).replace("\u200c", _STAND_IN["\u200c"])
    visual = get_display(masked, base_dir=base)
    visual = visual.replace(_STAND_IN["\u200d"], "\u200d").replace(_STAND_IN["\u200c"], "\u200c")
    return "".join(ch for ch in visual if ch not in INVISIBLE or ch in _KEEP)


@lru_cache(maxsize=16384)
def _word_width(word: str, family: str, size: float, bold: bool, rtl: bool) -> float:
    drawn = visual_rtl(word) if rtl or _RTL_CHAR.search(word) else word
    return sum(r.width for r in split_runs(drawn, family, size, bold))


#: A character of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, NKo, their presentation forms).
_RTL_CHAR = re.compile("[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")
#: Format controls dropped from the drawn text and the logical text (ZWNJ stays in the logical text).
_DROP_DRAWN = {ord(ch): None for ch in INVISIBLE}
_DROP_LOGICAL = {ord(ch): None for ch in INVISIBLE if ch != "\u200c"}


@lru_cache(maxsize=8192)
def _tokens(paragraph: str, rtl: bool) -> tuple[str, ...]:
    """The words of a paragraph as wrapped (size-independent, so shared by every layout pass)."""
    paragraph = _NUMBER_GROUP.sub(lambda m: m.group(0).replace(" ", "\u00a0"), paragraph)  # never broken
    if rtl:  # a short German term in brackets stays on one line: split, its parts swap sides
        paragraph = _LATIN_IN_BRACKETS.sub(lambda m: m.group(0).replace(" ", "\u00a0"), paragraph)
    source = prepare_rtl(paragraph) if rtl else paragraph
    return tuple(t for t in _SPACE.split(source) if t and not t.isspace())


def wrap(text: str, width: float, size: float, family: str, rtl: bool, bold: bool = False) -> list[Line]:
    """Break ``text`` into lines no wider than ``width`` (a word longer than a line is cut).

    Words are measured one by one; the line as drawn can differ by a fraction of a
    point (a space or a full stop may land in another font after reordering), so a
    line that comes out too wide gives its last word to the next line.
    """
    leading = size * SIZE_FACTOR[family] * LEADING[family]
    space_width = max(r.width for fam in SIZE_FACTOR for r in split_runs(" ", fam, size, bold))
    lines: list[Line] = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        for token in _tokens(paragraph, rtl):
            if _word_width(token, family, size, bold, rtl) <= width:
                words.append(token)
                continue
            piece = ""  # a word (a URL) longer than the line: cut it
            for ch in token:
                if piece and _word_width(piece + ch, family, size, bold, rtl) > width:
                    words.append(piece)
                    piece = ""
                piece += ch
            words.append(piece)
        start = 0
        carried: list[str] = []  # embeddings open at the start of the next line
        while start < len(words) or (start == 0 and not words):
            end, used = start, 0.0
            while end < len(words):
                w = _word_width(words[end], family, size, bold, rtl) + (space_width if end > start else 0.0)
                if end > start and used + w > width:
                    break
                used += w
                end += 1
            line, still_open = _line_of(words[start:end], carried, size, family, rtl, bold, leading)
            while line.width > width and end - start > 1:
                end -= 1
                line, still_open = _line_of(words[start:end], carried, size, family, rtl, bold, leading)
            carried = still_open
            lines.append(line)
            if not words:
                break
            start = end
    return lines


def _line_of(words: list[str], carried: list[str], size: float, family: str, rtl: bool, bold: bool,
             leading: float) -> tuple[Line, list[str]]:
    text = " ".join(words)
    if not rtl:
        return _make_line(text, size, family, rtl, bold, leading), []
    balanced, still_open = balance_embeddings(text, carried)
    return _make_line(balanced, size, family, rtl, bold, leading), still_open


@lru_cache(maxsize=16384)
def _make_line(logical: str, size: float, family: str, rtl: bool, bold: bool, leading: float) -> Line:
    if rtl:
        drawn = visual_rtl(logical)
    elif _RTL_CHAR.search(logical):
        # right-to-left words inside left-to-right text (an Arabic name on a German sheet)
        drawn = visual_rtl(logical, "L")
    else:
        drawn = logical.translate(_DROP_DRAWN)
    runs = tuple(split_runs(drawn, family, size, bold))
    plain = logical.translate(_DROP_LOGICAL)
    return Line(runs, sum(r.width for r in runs), leading, rtl, plain)


__all__ = ["Line", "direction", "isolate_ltr", "family_for_script", "mark_brackets", "script_family", "visual_rtl", "wrap"]
