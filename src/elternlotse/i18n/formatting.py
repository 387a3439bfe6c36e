"""Dates, times, numbers and language names in the navigator's UI language (Babel).

Every function takes an optional ``language``; without it the active UI language
(``elternlotse.i18n.active_language()``) is used, so a language switch changes
the formats together with the texts.  Digits are Latin in every UI language
(Babel's default numbering system "latn"; Babel's dates are Latin-digit and
Gregorian only), so that dates, numbers and phone numbers read alike.

``isolate`` wraps data of unknown direction (a German school name inside an
Arabic sentence, an Arabic name inside a German one) in Unicode isolates
(FSI ... PDI), so that the bidi algorithm orders the sentence around it correctly.

One date format per UI language: ``date_pattern`` (CLDR's short date with a
four-digit year: "dd.MM.yyyy", "d.MM.yyyy", "d\u200f/M\u200f/yyyy") is what
``format_date`` prints for "short" and "medium" and what every date entry shows
(``elternlotse.ui.i18n_qt.date_display_format``), so a table never shows
"6 Eki 2026" beside a date field's "6.10.2026".  ``join_list`` joins visible
lists with the language's separator ("، " in Arabic script).
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal

from babel import Locale
from babel import dates as _dates
from babel import numbers as _numbers

from elternlotse.i18n import active_language
from elternlotse.i18n.languages import display_name, language

FSI = "\u2068"  # FIRST STRONG ISOLATE: direction taken from the data itself
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
LRI = "\u2066"
RLI = "\u2067"


def _locale(language_tag: str | None) -> Locale:
    return Locale.parse(language(language_tag or active_language()).babel_tag)


def isolate(text: object) -> str:
    """``text`` as a bidi island: safe to embed in a sentence of either direction."""
    value = str(text)
    if not value or (value.startswith(FSI) and value.endswith(PDI)):
        return value
    return f"{FSI}{value}{PDI}"


def ui_paragraph(text: object, language: str | None = None) -> str:
    """``text`` as a paragraph in the UI language's direction.

    Qt (like the Unicode bidi algorithm) takes a plain-text label's direction from its
    first strong character, so "Ayla Navigator · KoKo Hagen · مرشد" would be laid out
    left to right in an Arabic UI, and a label holding only a German school name would
    hug the wrong edge of a right-to-left form.  A leading RLM/LRM sets the paragraph
    direction; combine with ``isolate`` for the embedded values.
    """
    mark = "\u200f" if _language_row(language).rtl else "\u200e"
    value = str(text)
    return value if value.startswith(mark) else mark + value


def ui_value(text: object, language: str | None = None) -> str:
    """A data value shown on its own (a name, a path): own order, UI alignment."""
    value = str(text)
    return ui_paragraph(isolate(value), language) if value else value


def _language_row(language_tag: str | None):
    return language(language_tag or active_language())


def ltr(text: object) -> str:
    """Data that is always read left to right (phone numbers, e-mail addresses, ids).

    FSI is not enough for "+49 176 1234567": digits and "+" are weak, so FSI would
    fall back to the paragraph's direction and an Arabic UI shows "1234567 176 49+".
    LRI ... PDI keeps the number as written.
    """
    value = str(text)
    return f"{LRI}{value}{PDI}" if value and not value.startswith(LRI) else value


def isolate_params(params: dict[str, object]) -> dict[str, object]:
    """String parameters wrapped in isolates (numbers stay as they are, for ``{n:d}``)."""
    return {key: isolate(value) if isinstance(value, str) else value for key, value in params.items()}


#: Styles that print the numeric date of ``date_pattern``; "long" and "full" spell the month.
NUMERIC_STYLES = ("short", "medium")


def date_pattern(language: str | None = None) -> str:
    """The one numeric date pattern of a UI language: CLDR's short date, year in four digits.

    The pattern letters d, dd, M, MM, yyyy and quoted literals mean the same to Qt's
    ``QDateEdit.setDisplayFormat``, so the screen and the entry fields agree.
    """
    pattern = _locale(language).date_formats["short"].pattern
    parts = pattern.split("'")  # even parts are pattern letters, odd parts quoted literals
    return "'".join(re.sub(r"y+", "yyyy", part) if i % 2 == 0 else part for i, part in enumerate(parts))


def format_date(value: _dt.date | _dt.datetime, style: str = "medium", language: str | None = None) -> str:
    """``style``: "short" or "medium" (both ``date_pattern``), "long", "full" or a CLDR pattern."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if style in NUMERIC_STYLES:
        style = date_pattern(language)
    return _dates.format_date(value, format=style, locale=_locale(language))


def format_time(value: _dt.time | _dt.datetime, style: str = "short", language: str | None = None) -> str:
    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        value = value.astimezone()
    return _dates.format_time(value, format=style, locale=_locale(language))


def format_datetime(value: _dt.datetime, style: str = "medium", language: str | None = None) -> str:
    """Date in ``style`` and time without seconds, joined the locale's way; local wall time."""
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    loc = _locale(language)
    date_text = format_date(value.date(), style, language)
    time_text = _dates.format_time(value.time(), format="short", locale=loc)
    pattern = str(loc.datetime_formats.get(style) or loc.datetime_formats["medium"])
    return pattern.replace("{1}", date_text).replace("{0}", time_text).replace("'", "")


def format_number(value: int | float | Decimal, language: str | None = None) -> str:
    return _numbers.format_decimal(value, locale=_locale(language))


def format_percent(value: float | Decimal, language: str | None = None) -> str:
    return _numbers.format_percent(value, locale=_locale(language))


def language_name(tag: str, in_language: str | None = None) -> str:
    """Name of the language ``tag`` in the UI language ("Türkisch" for a German UI)."""
    return display_name(tag, in_language or active_language())


def own_language_name(tag: str) -> str:
    """Name of the language ``tag`` in itself ("Türkçe", "العربية"): for pickers."""
    return language(tag).own_name


def list_separator(language: str | None = None, strong: bool = False) -> str:
    """", " (``strong``: "; ") in the UI language's script: "، " / "؛ " in Arabic script."""
    if _language_row(language).script == "Arab":
        return "\u061b " if strong else "\u060c "
    return "; " if strong else ", "


def join_list(items, language: str | None = None, strong: bool = False) -> str:
    """Visible list items joined with the language's separator (``strong``: between groups)."""
    return list_separator(language, strong).join(str(item) for item in items)


_LATIN_DIGITS = str.maketrans("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
                              "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9", "0123456789" * 2)


def latin_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Persian digits as 0-9: a parent's text shown in the UI's one digit system."""
    return text.translate(_LATIN_DIGITS)
