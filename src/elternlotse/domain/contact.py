"""Contact details: phone numbers to E.164, e-mail addresses, language tags."""

from __future__ import annotations

import re

import phonenumbers

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

DEFAULT_REGION = "DE"
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$")


def normalise_phone(raw: str, where: str = "phone", region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164 (+4917612345678); German numbers need no prefix."""
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(N_("{field}: '{value}' is not a valid phone number."), field=where, value=raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


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
    # Imported here: about 0.1 s that showing the family list does not need (docs/performance.md).
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(N_("{field}: '{value}' is not a valid e-mail address."), field=where, value=raw) from None
    return result.normalized


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
