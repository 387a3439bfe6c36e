"""Text folding for search across spellings and scripts.

Every indexed name is folded twice:
- ``fold``: transliterated to Latin (anyascii), lower-cased, diacritics and the
  Turkish dotted/dotless i removed, so "Yılmaz", "YILMAZ" and "Yilmaz" meet,
  and "Олена" becomes "olena".
- ``skeleton``: the folded word without vowels (and without w/y, which Arabic
  script writes for long vowels, and v, which German writes as w) and without
  doubled letters, so a Latin "Mohammed" meets the transliteration "mhmd" of محمد.
  Before that, the spellings of one sound are made one: German "sch"/"tsch" and
  Czech-style "š"/"č"/"ž" become "sh"/"ch"/"sh" (Шевченко, "Schewtschenko",
  "Ševčenko" and "Shevchenko" meet), and the Arabic ta marbuta (ة) counts as the
  vowel it is read as (فاطمة meets "Fatima").

Arabic names with the article are written "Al Hassan", "Al-Hassan" and
"Alhassan": ``name_variants`` adds the joined and the split form to what is
indexed, so each spelling finds the others.
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
# One spelling per sound, applied to folded words before the vowels go (order matters: tsch before sch).
_SOUNDS = (("tsch", "ch"), ("sch", "sh"), ("zh", "sh"), ("v", ""))
# Letters that anyascii would flatten to a different sound, mapped first (on the raw text).
_BEFORE_FOLD = str.maketrans({"š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh", "ة": "a"})
# The Arabic article as people write it in Latin script.
_ARTICLES = ("al", "el")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("ı", "i").replace("İ", "I")
    text = anyascii(text).lower()
    return " ".join(_NON_WORD.sub(" ", text).split())


def words(text: str) -> list[str]:
    return [w for w in fold(text).replace("@", " ").replace(".", " ").replace("+", " ").split() if w]


def skeleton_word(word: str) -> str:
    """The consonant skeleton of one folded word ("" when too short to mean anything)."""
    for digraph, vowel in _GERMAN_DIGRAPHS:
        word = word.replace(digraph, vowel)
    if word.isdigit():
        return ""
    for spelling, sound in _SOUNDS:
        word = word.replace(spelling, sound)
    core = _DOUBLES.sub(r"\1", _VOWELS.sub("", word))
    return core if len(core) >= 2 else ""


def skeleton_words(text: str) -> list[str]:
    """The folded words of ``text`` as their skeletons are built (before-fold letters mapped)."""
    return words((text or "").translate(_BEFORE_FOLD))


def skeleton(text: str) -> str:
    return " ".join(s for s in (skeleton_word(w) for w in skeleton_words(text)) if s)


def name_variants(name: str) -> str:
    """Extra spellings of a name for the index: "al hassan" also as "alhassan", and the reverse."""
    folded = words(name)
    extra = []
    for i, word in enumerate(folded):
        if word in _ARTICLES and i + 1 < len(folded):
            extra.append(word + folded[i + 1])
        elif word.startswith(_ARTICLES) and len(word) >= 5:
            extra.append(word[2:])
    return " ".join(extra)
