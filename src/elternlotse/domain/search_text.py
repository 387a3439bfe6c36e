"""Text folding for search across spellings and scripts.

Every indexed name is folded twice:
- ``fold``: transliterated to Latin (anyascii), lower-cased, diacritics and the
  Turkish dotted/dotless i removed, so "Yılmaz", "YILMAZ" and "Yilmaz" meet,
  and "Олена" becomes "olena".
- ``skeleton``: the folded word without vowels (and without w/y, which Arabic
  script writes for long vowels) and without doubled letters, so a Latin
  "Mohammed" meets the transliteration "mhmd" of محمد.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_NON_WORD = re.compile(r"[^a-z0-9@.+]+")
_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLES = re.compile(r"(.)\1+")
# German spellings people use without umlauts ("Mueller" for "Müller").
_GERMAN_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("ı", "i").replace("İ", "I")
    text = anyascii(text).lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def words(text: str) -> list[str]:
    return [w for w in fold(text).replace("@", " ").replace(".", " ").replace("+", " ").split() if w]


def skeleton_word(word: str) -> str:
    for digraph, vowel in _GERMAN_DIGRAPHS:
        word = word.replace(digraph, vowel)
    if word.isdigit():
        return ""
    core = _DOUBLES.sub(r"\1", _VOWELS.sub("", word))
    return core if len(core) >= 2 else ""


def skeleton(text: str) -> str:
    return " ".join(s for s in (skeleton_word(w) for w in words(text)) if s)
