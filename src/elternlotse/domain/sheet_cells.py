"""Spreadsheet import: the rules for single cells (text, phone numbers, yes/no, dates, grades, languages).

A cell arrives as what openpyxl or the CSV reader gives: text, a number, a date, None, or one of
the markers ``Formula`` (no cached value) and ``Merged`` (inside merged cells).  Each rule returns
the value typed input would have, or raises a ``ValidationError`` whose field is the column header.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from elternlotse.domain.contact import normalise_language, normalise_phone
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import clean_text
from elternlotse.domain.text import N_

MAX_CELL = 2000

_YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr", "ok", "✓", "✔", "evet", "да", "так", "نعم", "بله"}
_NO = {"nein", "n", "no", "0", "false", "falsch", "-", "hayır", "hayir", "нет", "ні", "لا", "نه"}


class Formula:
    """A formula cell without a value computed by the spreadsheet program (never executed here)."""


class Merged:
    """A cell inside merged cells other than their first (it shows the first cell's value)."""

    def __init__(self, ref: str) -> None:
        self.ref = ref


def cell_text(value: Any, header: str) -> str:
    if isinstance(value, Formula):
        raise ValidationError(N_("{field}: the cell holds a formula without a computed value; open the file in the "
                                 "spreadsheet program, save it and import again."), field=header)
    if isinstance(value, Merged):
        raise ValidationError(N_("{field}: the cell is part of merged cells ({value}); unmerge them and fill in "
                                 "every row."), field=header, value=value.ref)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(N_("{field}: '{value}' is not a value that can be imported."), field=header, value=str(value))
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > MAX_CELL:
        raise ValidationError(N_("{field}: at most {limit} characters."), field=header, limit=MAX_CELL)
    if not clean_text(text):
        raise ValidationError(N_("{field}: contains control characters."), field=header)
    return text


_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")


def phone_value(value: Any, header: str) -> str:
    """E.164 from a cell; numbers stored as numbers recovered only if their digits are exact."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if isinstance(value, float) and (not value.is_integer() or abs(value) >= 2**53):
            raise _lost_digits(header, repr(value))
        digits = str(int(value))
        if digits.endswith("00000"):  # 1.76123E+10 typed or pasted: the number was rounded before it was stored
            raise _lost_digits(header, digits)
        found = []
        for candidate in ("+" + digits, "0" + digits):  # a spreadsheet drops the leading + or 0
            try:
                found.append(normalise_phone(candidate, header))
            except ValidationError:
                continue
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(N_("{field}: the number {value} lost its leading + or 0 in the spreadsheet and could be "
                                     "{first} or {second}; format the column as text and type the number again."),
                                  field=header, value=digits, first=found[0], second=found[1])
        raise ValidationError(N_("{field}: '{value}' is not a valid phone number."), field=header, value=digits)
    text = cell_text(value, header)
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise _lost_digits(header, text)
    return normalise_phone(text, header)


def _lost_digits(header: str, shown: str) -> ValidationError:
    return ValidationError(N_("{field}: '{value}' is a number in scientific notation, its digits are lost; format the "
                              "column as text in the spreadsheet and type the number again."), field=header, value=shown)


def yes_no(value: Any, header: str) -> bool | None:
    """True, False, or None for an empty cell."""
    text = cell_text(value, header).lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(N_("{field}: '{value}' is neither yes nor no."), field=header, value=text[:60])


_EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=timezone.utc)


def moment_value(value: Any, header: str) -> str:
    """A date as ISO time (UTC midnight): a date cell, an Excel serial number, 22.11.2026 or 2026-11-22."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{5}\s*", value):
        value = int(value)  # a date column formatted as a number, then saved as CSV: the serial as text
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not (1 <= value <= 2958465):  # Excel's serials: 1900-01-01 ... 9999-12-31
            raise _not_a_date(header, str(value))
        moment = _EXCEL_EPOCH + timedelta(days=float(value))
    else:
        text = cell_text(value, header)
        moment = None
        for pattern in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
            try:
                moment = datetime.strptime(text, pattern).replace(tzinfo=timezone.utc)
                break
            except ValueError:
                continue
        if moment is None:
            raise _not_a_date(header, text[:60])
    if moment.year < 1990 or moment > datetime.now(timezone.utc) + timedelta(days=1):
        raise ValidationError(N_("{field}: the date {value} is not a possible date of consent."), field=header,
                              value=moment.date().isoformat())
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _not_a_date(header: str, shown: str) -> ValidationError:
    return ValidationError(N_("{field}: '{value}' is not a date like 22.11.2026."), field=header, value=shown)


def grade_value(value: Any, header: str) -> int:
    text = cell_text(value, header)
    match = re.match(r"^(\d{1,2})\s*[a-zA-Z]?$", text)  # "8", "8b", 8.0
    if not match or not 1 <= int(match.group(1)) <= 13:
        raise ValidationError(N_("{field}: the grade must be a whole number from 1 to 13."), field=header)
    return int(match.group(1))


def languages_value(value: Any, header: str, names: dict[str, str]) -> list[str]:
    """Tags or names ("Arabisch", "Turkish"), separated by commas, slashes or 'und'."""
    tags: list[str] = []
    for part in re.split(r"\s*(?:[,;/+]|\bund\b|\band\b)\s*", cell_text(value, header)):
        if not part:
            continue
        tag = names.get(part.lower()) or normalise_language(part, header)
        if tag not in tags:
            tags.append(tag)
    return tags
