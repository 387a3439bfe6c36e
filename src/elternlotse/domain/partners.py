"""The partners directory: institutions a family can be sent on to, and speakers come from.

Kept by the office and sent to its navigators in the office package (an office-owned synced
table, ``domain/records.py`` ``OFFICE_OWNED``): a navigator reads it and refers families to it, it
never changes it.  Phone and e-mail are checked as typed input everywhere (``domain/contact.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from elternlotse.domain.contact import normalise_email, normalise_language, normalise_phone
from elternlotse.domain.contact_log import REFERRAL_LABELS, REFERRALS
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import list_field, text_field
from elternlotse.domain.text import N_

#: The referral keys of a contact, plus the councils and anything else.
PARTNER_KINDS: tuple[str, ...] = REFERRALS + ("integration_council", "other")
PARTNER_KIND_LABELS: dict[str, str] = {
    **REFERRAL_LABELS,
    "integration_council": N_("Migration and integration council"),
    "other": N_("Other institution"),
}
#: Which speaker role (``domain/events.py``) a partner of a kind speaks in.
SPEAKER_ROLE_OF_KIND = {"career_counselling": "career_counselling", "chamber": "chamber", "stubo": "stubo",
                        "school": "school", "jmd": "migration_service", "mbe": "migration_service"}

MAX_NAME = 200
MAX_NOTES = 2000


@dataclass
class Partner:
    kind: str
    name: str
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    languages: list[str] = field(default_factory=list)
    notes: str = ""
    id: str = ""

    def label(self) -> str:
        """"Name (contact person)": what a referral or a speaker line records."""
        return f"{self.name} ({self.contact_person})" if self.contact_person else self.name


def check_partner(partner: Partner) -> Partner:
    if partner.kind not in PARTNER_KINDS:
        raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="kind", value=partner.kind,
                              allowed=", ".join(PARTNER_KINDS))
    partner.name = text_field(partner.name, "name", required=True, limit=MAX_NAME)
    partner.contact_person = text_field(partner.contact_person, "contact_person", limit=MAX_NAME)
    phone = text_field(partner.phone, "phone", limit=40)
    partner.phone = normalise_phone(phone, "phone") if phone else ""
    email = text_field(partner.email, "email", limit=320)
    partner.email = normalise_email(email, "email") if email else ""
    tags: list[str] = []
    for i, raw in enumerate(list_field(partner.languages, "languages", limit=20)):
        tag = normalise_language(text_field(raw, f"languages[{i}]", required=True, limit=20), f"languages[{i}]")
        if tag not in tags:
            tags.append(tag)
    partner.languages = tags
    partner.notes = text_field(partner.notes, "notes", limit=MAX_NOTES)
    return partner


def stored_phone(value: Any, where: str) -> str:
    """A synced phone value: empty or E.164 as ``check_partner`` stores it."""
    if not isinstance(value, str):
        raise ValidationError(N_("{field}: expected text."), field=where)
    if value and normalise_phone(value, where) != value:
        raise ValidationError(N_("{field}: '{value}' is not a valid phone number."), field=where, value=value)
    return value


def stored_email(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(N_("{field}: expected text."), field=where)
    if value:
        normalise_email(value, where)
    return value
