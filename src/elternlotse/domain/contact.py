"""Contact details: phone numbers to E.164, e-mail addresses, language tags."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

DEFAULT_REGION = "DE"
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$")


def normalise_phone(raw: str, where: str = "phone", region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164 (+4917612345678); German numbers need no prefix."""
    e164 = _e164((raw or "").strip(), region)
    if e164 is None:
        raise ValidationError(N_("{field}: '{value}' is not a valid phone number."), field=where, value=raw)
    return e164


#: (text, region) -> E.164 or None.  An import validates each number twice (its cell, then the
#: family document, which holds the E.164 form): the result is cached under both keys, so the
#: second check is a lookup.  Bounded; emptied by ``forget_cached`` after an import.
_PHONES: dict[tuple[str, str], str | None] = {}
_MAX_CACHED = 8192


def _e164(text: str, region: str) -> str | None:
    key = (text, region)
    if key in _PHONES:
        return _PHONES[key]
    result = _parse_e164(text, region)
    if len(_PHONES) >= _MAX_CACHED:
        _PHONES.clear()
    _PHONES[key] = result
    if result is not None:
        _PHONES[(result, region)] = result  # E.164 of a valid number parses to itself in every region
    return result


def _parse_e164(text: str, region: str) -> str | None:
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


#: Where a parent who speaks this language may have a mobile number from (checked only to warn).
_HOME_REGIONS: dict[str, tuple[str, ...]] = {
    "tr": ("TR",), "uk": ("UA",), "ru": ("RU", "UA", "KZ"), "pl": ("PL",), "ro": ("RO", "MD"), "bg": ("BG",),
    "ar": ("SY", "IQ", "LB", "EG", "MA"), "fa": ("IR",), "fa-AF": ("AF",), "prs": ("AF",), "ps": ("AF",),
    "ckb": ("IQ",), "kmr": ("TR", "SY", "IQ"), "sq": ("AL", "XK"), "ti": ("ER",), "so": ("SO",),
}


def foreign_mobile_hint(raw: str, languages: list[str] | tuple[str, ...]) -> tuple[str, str] | None:
    """(region, E.164) when a number typed without a country code is a mobile number of a home region.

    "0532 123 45 67" is a valid German landline (Braunschweig) and a Turkish mobile number. Typed
    for a Turkish-speaking parent without +90, it is stored as German; the form says so and offers
    the +90 form instead of guessing.
    """
    text = (raw or "").strip()
    if not text or text.startswith(("+", "00")):
        return None
    try:
        german = phonenumbers.parse(text, DEFAULT_REGION)
        if phonenumbers.is_valid_number(german) and phonenumbers.number_type(german) in (
                phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
            return None  # a German mobile number: what a navigator types most
    except phonenumbers.NumberParseException:
        pass
    for language in languages:
        for region in _HOME_REGIONS.get(language, _HOME_REGIONS.get(language.split("-")[0], ())):
            try:
                number = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
                return region, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def phone_search_forms(e164: str) -> list[str]:
    """Digit strings a person may type to find this number (international and national)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return [re.sub(r"\D", "", e164)]
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return sorted({re.sub(r"\D", "", e164), re.sub(r"\D", "", national)})


def display_phone(e164: str) -> str:
    """A readable form: national for German numbers, international otherwise."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_email(raw: str, where: str = "email") -> str:
    # email_validator is imported in _email: about 0.1 s that showing the family list does not need
    # (docs/performance.md).
    normalised = _email((raw or "").strip())
    if normalised is None:
        raise ValidationError(N_("{field}: '{value}' is not a valid e-mail address."), field=where, value=raw)
    return normalised


@lru_cache(maxsize=4096)
def _email(text: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def forget_cached() -> None:
    """Drop the numbers and addresses the two caches above hold (after an import; no personal data kept)."""
    _PHONES.clear()
    _email.cache_clear()


def normalise_language(raw: str, where: str = "language") -> str:
    """Accept a BCP-47 tag (ar, fa-AF, ckb, sr-Latn); fix the case of its parts."""
    parts = (raw or "").strip().replace("_", "-").split("-")
    if parts and parts[0]:
        parts[0] = parts[0].lower()
        for i, part in enumerate(parts[1:], start=1):
            parts[i] = part.title() if len(part) == 4 else part.upper()
    tag = "-".join(parts)
    if not _LANGUAGE_TAG.match(tag):
        raise ValidationError(N_("{field}: '{value}' is not a language tag like 'ar' or 'fa-AF'."), field=where, value=raw)
    return tag
