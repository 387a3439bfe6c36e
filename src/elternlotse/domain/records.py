"""The rule of every synced column: what a stored value may be.

A sync file carries column values as the change log holds them (``persons.grade``
is a number or null, ``persons.languages`` the JSON text ``'["tr"]'``).  Each is
checked here with the same functions and limits the family and event documents
use (``domain/fields.py``, ``domain/family.py``, ``domain/events.py``), so what
``family add`` or ``event add`` refuses cannot be smuggled in by a peer.
``sync/payload.py`` applies ``COLUMN_RULES`` to every change of a payload;
``tests/test_sync_limits.py`` keeps it equal to ``store/tables.py`` ``SYNCED_FIELDS``.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from elternlotse.domain import contact_log as cl
from elternlotse.domain import events as ev
from elternlotse.domain import family as fam
from elternlotse.domain import partners as pa
from elternlotse.domain.contact import normalise_language
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import (
    choice_field,
    id_field,
    int_field,
    json_text_field,
    list_field,
    pattern_field,
    text_field,
)
from elternlotse.domain.kaoa import STATUSES, TARGET_GROUPS
from elternlotse.domain.schoolyear import CORRECTION_KINDS, MAX_GRADE, parse_school_year
from elternlotse.domain.text import N_

Rule = Callable[[Any, str], Any]
MAX_POSITION = 1000


def _text(limit: int) -> Rule:
    return partial(_plain_text, limit=limit)


def _plain_text(value: Any, where: str, limit: int) -> str:
    # stored text is already stripped; only its type, length and characters are checked
    if not isinstance(value, str):
        raise ValidationError(N_("{field}: expected text."), field=where)
    return text_field(value, where, limit=limit) if value else value


def _ref(required: bool) -> Rule:
    return partial(id_field, required=required)


def _int(low: int, high: int, nullable: bool = False) -> Rule:
    return partial(int_field, low=low, high=high, nullable=nullable)


def _choice(*allowed: str) -> Rule:
    return partial(choice_field, allowed=allowed)


def _flag(value: Any, where: str) -> int:
    return int_field(int(value) if isinstance(value, bool) else value, where, 0, 1)


def _date(text: str, where: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValidationError(N_("{field}: '{value}' is not a date like 2026-12-03."), field=where, value=text) from None


def _school_year(value: Any, where: str) -> str:
    return pattern_field(value, where, parse_school_year, limit=7)


def _moment(value: Any, where: str, required: bool) -> str:
    return ev.parse_moment(value, where, required=required)


def _json_list(item: Callable[[Any, str], Any], limit: int) -> Rule:
    def check(value: Any, where: str) -> list:
        items = list_field(json_text_field(value, where), where, limit)
        for i, entry in enumerate(items):
            item(entry, f"{where}[{i}]")
        return items
    return check


def _language(value: Any, where: str) -> str:
    return normalise_language(text_field(value, where, required=True, limit=20), where)


def _object(keys: dict[str, Rule]) -> Rule:
    def check(value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            raise ValidationError(N_("{field}: expected an object."), field=where)
        extra = sorted(set(value) - set(keys))
        if extra:
            raise ValidationError(N_("{field}: unknown field '{name}'."), field=f"{where}.{extra[0]}", name=str(extra[0])[:40])
        for name, rule in keys.items():
            rule(value.get(name), f"{where}.{name}")
        return value
    return check


def _optional_language(value: Any, where: str) -> str:
    return _language(value, where) if value != "" else value


_day = partial(pattern_field, check=_date, limit=10, required=True)
_optional_date = partial(pattern_field, check=_date, limit=10)


def _node(value: Any, where: str) -> str:
    """A node id (16 hex digits) or "" (the family's creator owns it)."""
    text = _plain_text(value, where, limit=16)
    if text and not all(ch in "0123456789abcdef" for ch in text):
        raise ValidationError(N_("{field}: '{value}' is not a node id."), field=where, value=text)
    return text


def _required_text(limit: int) -> Rule:
    return partial(text_field, required=True, limit=limit)


_SPEAKER = _object({"name": _text(200), "role": _choice(*ev.SPEAKER_ROLES)})
_HANDOUT = _object({"topic": _required_text(60), "language": _language,
                    "count": _int(0, ev.MAX_HEADCOUNT)})

#: table -> column -> rule(value, where); every synced column has one.
COLUMN_RULES: dict[str, dict[str, Rule]] = {
    "families": {"notes": _text(fam.MAX_NOTES), "owner": _node, "merged_into": _ref(False)},
    "persons": {
        "family_id": _ref(True), "role": _choice("guardian", "child"), "name": _text(200),
        "grade": _int(1, MAX_GRADE, nullable=True), "school": _text(200), "school_year": _school_year,
        "languages": _json_list(_language, fam.MAX_ITEMS), "address": _text(500),
        "position": _int(0, MAX_POSITION),
    },
    "channels": {
        "person_id": _ref(True), "kind": _choice("phone", "email", "messenger"), "value": _text(320),
        "app": _text(60), "position": _int(0, MAX_POSITION),
    },
    "checklist_items": {
        "child_id": _ref(False), "family_id": _ref(False), "stage_key": partial(pattern_field, check=ev.parse_topic),
        "item_key": partial(pattern_field, check=ev.parse_topic), "status": _choice(*STATUSES),
        "date": partial(pattern_field, check=_date, limit=10), "done_by": _text(200), "note": _text(2000),
    },
    "child_corrections": {
        "child_id": _ref(False), "family_id": _ref(False), "kind": _choice(*CORRECTION_KINDS),
        "school_year": _school_year, "grade": _int(1, MAX_GRADE, nullable=True),
        "target_group": _choice("", *TARGET_GROUPS), "school": _text(200), "note": _text(2000),
    },
    "events": {
        "type": _choice(*ev.EVENT_TYPES), "title": _text(200), "starts": partial(_moment, required=True),
        "ends": partial(_moment, required=False), "place": _text(300),
        "topics": _json_list(ev.parse_topic, 20), "speakers": _json_list(_SPEAKER, 20),
        "languages": _json_list(_language, 20), "interpreter": _flag, "headcount": _int(0, ev.MAX_HEADCOUNT),
        "handouts": _json_list(_HANDOUT, 200), "notes": _text(5000),
    },
    "attendance": {"event_id": _ref(True), "family_id": _ref(False), "person_id": _ref(False), "present": _flag},
    # contacts and tallies (migration 0007): the rules of domain/contact_log.py
    "contacts": {
        "family_id": _ref(False), "person_id": _ref(False), "day": _day,
        "format": _choice(*cl.CONTACT_FORMATS), "language": _optional_language, "interpreter": _flag,
        "topics": _json_list(ev.parse_topic, cl.MAX_TOPICS), "referral": _text(cl.MAX_REFERRAL),
        "follow_up": _optional_date, "outcome": _choice("", *cl.OUTCOMES), "note": _text(cl.MAX_NOTE),
        "recorded_by": _text(200),
    },
    "tallies": {
        "day": _day, "format": _choice(*cl.CONTACT_FORMATS),
        "count": _int(1, cl.MAX_TALLY), "language": _optional_language,
        "topics": _json_list(ev.parse_topic, cl.MAX_TOPICS), "recorded_by": _text(200),
    },
    # the partners directory (migration 0012): the rules of domain/partners.py
    "partners": {
        "kind": _choice(*pa.PARTNER_KINDS), "name": _required_text(pa.MAX_NAME),
        "contact_person": _text(pa.MAX_NAME), "phone": pa.stored_phone, "email": pa.stored_email,
        "languages": _json_list(_language, 20), "notes": _text(pa.MAX_NOTES),
    },
}

#: Synced tables only an office writes: a navigator receives them in the office package and may
#: not create, change or delete a row (services/sync_trust.py refuses such a record).
OFFICE_OWNED: frozenset[str] = frozenset({"partners"})


#: The only synced columns that may be null (a guardian has no grade).
NULLABLE = {("persons", "grade"), ("child_corrections", "grade")}


def check_value(table: str, column: str, value: Any, where: str) -> Any:
    """Check one column value; raises ``ValidationError`` naming ``where`` (e.g. ``file: persons/ID.grade``)."""
    if value is None:
        if (table, column) in NULLABLE:
            return None
        raise ValidationError(N_("{field}: must not be empty."), field=where)
    return COLUMN_RULES[table][column](value, where)
