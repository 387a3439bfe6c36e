"""The language table: UI languages of the app and the parents' languages.

Script and writing direction come from CLDR through Babel (``Locale.text_direction``,
the likely-subtags table for the script), never from a short hard-coded list of
"RTL languages": that list always misses someone (Sorani, Pashto, Urdu) or is
wrong for someone else (Kurmanji is written in Latin script, left to right).
Only where Babel has no data of its own is a value written down here, with the
reason next to it (``_EXPLICIT``).

Two separate questions use this table and must stay apart:

* the navigator's **UI language** (``UI_LANGUAGES``): which catalogue the app's
  own texts come from; chosen in Settings, stored as ``ui_language``;
* a parent's **communication language** (``PARENT_LANGUAGES``): which language
  a handout or a consent text is printed in; stored per person.
"""

from __future__ import annotations

import locale as _locale
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale

#: Languages the app's own texts are translated into (catalogues under translations/).
UI_LANGUAGES: tuple[str, ...] = ("de", "en", "tr", "ar", "fa", "ru", "uk")

#: Parents' communication languages (domain.md, "Languages"), most common first.
PARENT_LANGUAGES: tuple[str, ...] = (
    "de", "tr", "ar", "ru", "uk", "pl", "ro", "bg", "fa", "fa-AF", "ps", "kmr", "ckb",
    "ur", "ti", "sq", "sr", "hr", "bs", "en", "fr", "so",
)

#: The UI language when the system language is not one of ours.
FALLBACK_UI_LANGUAGE = "de"


@dataclass(frozen=True)
class _Explicit:
    babel_tag: str  # the CLDR locale Babel should use for names and formats
    script: str | None = None
    own_name: str | None = None
    reason: str = ""


# Only where Babel's CLDR data does not answer correctly on its own.
_EXPLICIT: dict[str, _Explicit] = {
    # "kmr" (ISO 639-3, Kurmanji) is not a CLDR locale; Babel's alias table turns it
    # into "ku_TR" and names it "kurdî (kurmancî) (Tirkîye)".  CLDR's "ku" *is*
    # Kurmanji in Latin script, so names and formats come from "ku".
    "kmr": _Explicit("ku", script="Latn", own_name="kurdî (kurmancî)",
                     reason="ISO 639-3 code without a CLDR locale; CLDR 'ku' is Kurmanji (Latn)"),
    # Dari: CLDR knows only "fa_AF" and calls it "فارسی (افغانستان)"; speakers call
    # their language "دری".  Script and direction are fa's (likely subtags have no fa_AF).
    # English as read in Europe: CLDR's plain "en" is American (12/2/2026 is the 2nd of
    # December there and the 12th of February to everyone else here, 3:00 PM).  en_GB writes
    # 02/12/2026 and 15:00 and keeps English number separators (en_DE would write 1.234,5).
    "en": _Explicit("en_GB", script="Latn", own_name="English",
                    reason="plain 'en' is en_US: month before day and a 12-hour clock"),
    "fa-AF": _Explicit("fa_AF", script="Arab", own_name="دری",
                       reason="CLDR names Dari 'Persian (Afghanistan)'; its own name is Dari"),
}


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47 as used in the app's data ("fa-AF", "kmr")
    babel_tag: str  # the CLDR locale identifier ("fa_AF", "ku")
    script: str  # ISO 15924 ("Latn", "Arab", "Cyrl", "Ethi")
    direction: str  # "ltr" or "rtl"
    own_name: str  # the language's name in itself, capitalised for a list ("Türkçe", "العربية")

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    def name_in(self, display_language: str) -> str:
        """The language's name in ``display_language`` ("Türkisch" in de)."""
        return display_name(self.tag, display_language)


def _capitalise(name: str) -> str:
    # CLDR writes names for use inside a sentence ("русский"); a list item starts upper case.
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=None)
def _babel_locale(tag: str) -> Locale:
    explicit = _EXPLICIT.get(tag)
    return Locale.parse((explicit.babel_tag if explicit else tag).replace("-", "_"))


def _script_of(tag: str, loc: Locale) -> str:
    explicit = _EXPLICIT.get(tag)
    if explicit and explicit.script:
        return explicit.script
    if loc.script:
        return loc.script
    likely = get_global("likely_subtags")
    for key in (f"{loc.language}_{loc.territory}" if loc.territory else None, loc.language):
        if key and key in likely:
            script = parse_locale(likely[key])[2]
            if script:
                return script
    raise LookupError(f"no script known for {tag}")


@lru_cache(maxsize=None)
def language(tag: str) -> Language:
    """The table row for ``tag``; raises ``LookupError`` for a tag Babel cannot resolve."""
    tag = normalise_tag(tag)
    try:
        loc = _babel_locale(tag)
    except (UnknownLocaleError, ValueError) as error:
        raise LookupError(f"unknown language {tag}") from error
    explicit = _EXPLICIT.get(tag)
    own = explicit.own_name if explicit and explicit.own_name else loc.get_display_name(loc)
    return Language(
        tag=tag,
        babel_tag=str(loc),
        script=_script_of(tag, loc),
        direction="rtl" if loc.text_direction == "rtl" else "ltr",
        own_name=_capitalise(own or tag),
    )


def normalise_tag(tag: str) -> str:
    """"fa_AF" / "fa-af" -> "fa-AF"; "de_DE.UTF-8" -> "de-DE"."""
    tag = tag.split(".")[0].split("@")[0].replace("_", "-")
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(out)


def display_name(tag: str, display_language: str) -> str:
    """Name of ``tag`` written in ``display_language`` (falls back to its own name)."""
    row = language(tag)
    try:
        name = _babel_locale(row.tag).get_display_name(_babel_locale(normalise_tag(display_language)))
    except (LookupError, UnknownLocaleError, ValueError):
        name = None
    if row.tag in _EXPLICIT and normalise_tag(display_language) == row.tag:
        return row.own_name
    return _capitalise(name) if name else row.own_name


def ui_languages() -> list[Language]:
    return [language(tag) for tag in UI_LANGUAGES]


def parent_languages() -> list[Language]:
    return [language(tag) for tag in PARENT_LANGUAGES]


def supported_ui_language(tag: str | None) -> str | None:
    """``tag`` mapped onto a UI language ("de-AT" -> "de", "fa-AF" -> "fa"), else None."""
    if not tag:
        return None
    tag = normalise_tag(tag)
    if tag in UI_LANGUAGES:
        return tag
    base = tag.split("-")[0]
    return base if base in UI_LANGUAGES else None


def system_languages() -> list[str]:
    """The operating system's preferred languages, as far as Python can see them.

    The desktop app passes Qt's ``QLocale.system().uiLanguages()`` instead (that
    also works on Windows and macOS, where the environment variables are unset).
    """
    tags: list[str] = []
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            tags.extend(part for part in value.split(":") if part)
    try:
        current = _locale.getlocale()[0]
    except ValueError:
        current = None
    if current:
        tags.append(current)
    # The C/POSIX locale (servers, CI, containers) *is* English by definition (POSIX;
    # Qt's QLocale.C likewise), so it counts as English, not as "unsupported".
    return ["en" if is_c_locale(t) else t for t in tags]


def is_c_locale(tag: str) -> bool:
    return tag in ("C", "POSIX") or tag.startswith(("C.", "C_", "POSIX."))


def default_ui_language(preferred: Iterable[str] | None = None) -> str:
    """The system language if the app speaks it, else German."""
    for tag in system_languages() if preferred is None else preferred:
        supported = supported_ui_language(tag)
        if supported:
            return supported
    return FALLBACK_UI_LANGUAGE


def resolve_ui_language(configured: str | None, preferred: Iterable[str] | None = None) -> str:
    """The stored ``ui_language`` if it is one of ours, else the default."""
    return supported_ui_language(configured) or default_ui_language(preferred)
