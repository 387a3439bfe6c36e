"""Contacts (every conversation with a family) and anonymous tallies (people who give no data).

A **contact** belongs to a family in the store: a talk at a stand, a phone call, a home
visit, a guided tour of a training fair.  It records what the office reports on later
(format, language, interpreter, KAoA topics, referral) and what the navigator must do next
(follow-up date, outcome of a call).  It travels to the office under the family's consent,
like every record bound to a family (``sync/scope.py``); its note is personal data and is
cleared on erasure.

A **tally** counts people who gave no data at all ("12 parents, Arabic, topic
Ausbildung" at a stand): no person, no family, no id of anyone, only a number.

Both are checked here with the same rules whether they come from the CLI, the window or a
sync file, and refused with one sentence naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from elternlotse.domain.contact import normalise_language
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.events import EVENT_TYPE_LABELS, EVENT_TYPES
from elternlotse.domain.fields import text_field
from elternlotse.domain.text import N_

#: Where a conversation happened: the event types plus the one-to-one formats.
CONTACT_FORMATS: tuple[str, ...] = EVENT_TYPES + ("home_visit",)
CONTACT_FORMAT_LABELS: dict[str, str] = {**EVENT_TYPE_LABELS, "home_visit": N_("Home visit")}

#: Where a family was sent on to (free text is allowed as well: a named company, a counsellor).
REFERRALS: tuple[str, ...] = ("career_counselling", "chamber", "jmd", "mbe", "stubo", "school", "youth_employment",
                              "migrant_organisation")
REFERRAL_LABELS: dict[str, str] = {
    "career_counselling": N_("Career counselling / BIZ (Agentur für Arbeit)"),
    "chamber": N_("Chamber (IHK, HWK)"),
    "jmd": N_("Youth migration service (JMD)"),
    "mbe": N_("Migration counselling for adults (MBE)"),
    "stubo": N_("StuBO coordinator at the school"),
    "school": N_("School (class teacher)"),
    "youth_employment": N_("Jugendberufsagentur"),
    "migrant_organisation": N_("Migrant organisation"),
}

#: What came of a call on the call list (empty: a conversation that simply took place).
OUTCOMES: tuple[str, ...] = ("reached", "no_answer", "call_back")
OUTCOME_LABELS: dict[str, str] = {
    "reached": N_("Reached"),
    "no_answer": N_("No answer"),
    "call_back": N_("Call back"),
}

MAX_TOPICS = 20
MAX_NOTE = 2000
MAX_REFERRAL = 200
MAX_TALLY = 10_000
_STAGE_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_EARLIEST = date(2000, 1, 1)


@dataclass
class Contact:
    family_id: str
    on: str                               # local date, YYYY-MM-DD
    format: str
    language: str = ""
    interpreter: bool = False
    topics: list[str] = field(default_factory=list)
    referral: str = ""                    # a key of REFERRALS or free text
    follow_up: str = ""                   # local date or ""
    outcome: str = ""                     # a key of OUTCOMES or ""
    note: str = ""
    person_id: str = ""
    recorded_by: str = ""
    id: str = ""
    created: str = ""


@dataclass
class Tally:
    on: str
    format: str
    count: int
    language: str = ""
    topics: list[str] = field(default_factory=list)
    recorded_by: str = ""
    id: str = ""
    created: str = ""


def parse_day(value: str, where: str, today: date, required: bool = True, future_days: int = 0) -> str:
    """A date as ``YYYY-MM-DD``; not before 2000, not more than ``future_days`` after ``today``."""
    text = text_field(value, where, required=required, limit=10)
    if not text:
        return ""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(N_("{field}: '{value}' is not a date like 2026-12-02."), field=where, value=text) from None
    if day < _EARLIEST or (day - today).days > future_days:
        raise ValidationError(N_("{field}: {value} is outside the dates a record may have."), field=where, value=text)
    return day.isoformat()


def _choice(value: str, allowed: tuple[str, ...], where: str, required: bool = True) -> str:
    text = text_field(value, where, required=required, limit=40)
    if text and text not in allowed:
        raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field=where, value=text,
                              allowed=", ".join(allowed))
    return text


def _topics(values, where: str) -> list[str]:
    if not isinstance(values, (list, tuple)):
        raise ValidationError(N_("{field}: expected a list."), field=where)
    if len(values) > MAX_TOPICS:
        raise ValidationError(N_("{field}: at most {limit} entries are allowed."), field=where, limit=MAX_TOPICS)
    topics: list[str] = []
    for i, value in enumerate(values):
        key = text_field(value, f"{where}[{i}]", required=True, limit=40)
        if not _STAGE_KEY.match(key):
            raise ValidationError(N_("{field}: '{value}' is not a stage key."), field=f"{where}[{i}]", value=key)
        if key not in topics:
            topics.append(key)
    return topics


def _language(value: str, where: str) -> str:
    text = text_field(value, where, limit=35)
    return normalise_language(text, where) if text else ""


def check_contact(contact: Contact, today: date) -> Contact:
    """The contact with its values normalised, or a ValidationError naming the field."""
    contact.on = parse_day(contact.on, "on", today)
    contact.format = _choice(contact.format, CONTACT_FORMATS, "format")
    contact.language = _language(contact.language, "language")
    if not isinstance(contact.interpreter, bool):
        raise ValidationError(N_("{field}: expected true or false."), field="interpreter")
    contact.topics = _topics(contact.topics, "topics")
    contact.referral = text_field(contact.referral, "referral", limit=MAX_REFERRAL)
    contact.follow_up = parse_day(contact.follow_up, "follow_up", today, required=False, future_days=3 * 366)
    if contact.follow_up and contact.follow_up < contact.on:
        raise ValidationError(N_("{field}: the follow-up date lies before the contact."), field="follow_up")
    contact.outcome = _choice(contact.outcome, OUTCOMES, "outcome", required=False)
    contact.note = text_field(contact.note, "note", limit=MAX_NOTE)
    return contact


def check_tally(tally: Tally, today: date) -> Tally:
    tally.on = parse_day(tally.on, "on", today)
    tally.format = _choice(tally.format, CONTACT_FORMATS, "format")
    if isinstance(tally.count, bool) or not isinstance(tally.count, int) or not 1 <= tally.count <= MAX_TALLY:
        raise ValidationError(N_("{field}: a whole number from 1 to {limit}."), field="count", limit=MAX_TALLY)
    tally.language = _language(tally.language, "language")
    tally.topics = _topics(tally.topics, "topics")
    return tally


def referral_label(value: str) -> str:
    """The msgid of a known referral, else the free text as typed (shown as it is)."""
    return REFERRAL_LABELS.get(value, value)
