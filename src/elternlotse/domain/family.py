"""Families as plain data, and the portable family document (JSON).

The document is both the input of ``family add`` and the GDPR access and
portability copy (``family show --json``).  ``parse_family_document`` refuses a
bad document with one sentence that names the field; it never half-accepts.
See docs/family-document.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from elternlotse.domain.consent import (
    CHANNELLED_PURPOSES,
    ConsentEntry,
    Evidence,
    parse_channel,
    parse_evidence,
    parse_purpose,
)
from elternlotse.domain.contact import normalise_email, normalise_language, normalise_phone
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import list_field, text_field
from elternlotse.domain.schoolyear import parse_school_year
from elternlotse.domain.text import N_

DOCUMENT_FORMAT = "elternlotse.family/1"
MAX_TEXT = 2000
MAX_NOTES = 20000
MAX_ITEMS = 50
GRADE_RANGE = range(1, 14)


@dataclass
class Messenger:
    app: str
    handle: str = ""


@dataclass
class Guardian:
    name: str
    languages: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    messengers: list[Messenger] = field(default_factory=list)
    address: str = ""
    id: str = ""
    ref: str = ""  # the id this person had in the document it came from


@dataclass
class Child:
    grade: int
    first_name: str = ""
    school: str = ""
    school_year: str = ""
    id: str = ""
    ref: str = ""


@dataclass
class Family:
    guardians: list[Guardian]
    children: list[Child] = field(default_factory=list)
    consents: list[ConsentEntry] = field(default_factory=list)
    notes: str = ""
    id: str = ""
    created: str = ""
    updated: str = ""

    def persons(self) -> list[Guardian | Child]:
        return [*self.guardians, *self.children]

    def display_name(self) -> str:
        return " / ".join(g.name for g in self.guardians) or "?"


# ---------------------------------------------------------------- parsing

def _refuse(message: str, **params: Any) -> ValidationError:
    return ValidationError(message, **params)


def _expect_object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise _refuse(N_("{field}: expected an object."), field=where)
    return value


def _expect_list(value: Any, where: str, limit: int = MAX_ITEMS) -> list:
    return list_field(value, where, limit)


def _text(value: Any, where: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    return text_field(value, where, required, limit)


def _no_unknown_keys(obj: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise _refuse(N_("{field}: unknown field '{name}'."), field=f"{where}.{unknown[0]}" if where else unknown[0], name=unknown[0])


def _timestamp(value: Any, where: str) -> str:
    text = _text(value, where, required=True, limit=40)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _refuse(N_("{field}: '{value}' is not a date and time like 2026-11-22T10:30:00Z."), field=where, value=text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_FAMILY_KEYS = {"format", "id", "guardians", "children", "consents", "notes", "created", "updated", "erased"}
_GUARDIAN_KEYS = {"id", "name", "languages", "phones", "emails", "messenger", "address"}
_CHILD_KEYS = {"id", "first_name", "grade", "school", "school_year"}
_CONSENT_KEYS = {"person", "purpose", "channel", "granted", "at", "evidence", "text_version", "text_language", "recorded_by"}


def parse_guardian(obj: Any, where: str) -> Guardian:
    obj = _expect_object(obj, where)
    _no_unknown_keys(obj, _GUARDIAN_KEYS, where)
    messengers = []
    for i, item in enumerate(_expect_list(obj.get("messenger"), f"{where}.messenger")):
        spot = f"{where}.messenger[{i}]"
        if isinstance(item, str):
            item = {"app": item}
        item = _expect_object(item, spot)
        _no_unknown_keys(item, {"app", "handle"}, spot)
        messengers.append(Messenger(_text(item.get("app"), f"{spot}.app", required=True, limit=60),
                                    _text(item.get("handle"), f"{spot}.handle", limit=200)))
    return Guardian(
        name=_text(obj.get("name"), f"{where}.name", required=True, limit=200),
        languages=_dedupe(normalise_language(_text(v, f"{where}.languages[{i}]"), f"{where}.languages[{i}]")
                          for i, v in enumerate(_expect_list(obj.get("languages"), f"{where}.languages"))),
        phones=_dedupe(normalise_phone(_text(v, f"{where}.phones[{i}]"), f"{where}.phones[{i}]")
                       for i, v in enumerate(_expect_list(obj.get("phones"), f"{where}.phones"))),
        emails=_dedupe(normalise_email(_text(v, f"{where}.emails[{i}]"), f"{where}.emails[{i}]")
                       for i, v in enumerate(_expect_list(obj.get("emails"), f"{where}.emails"))),
        messengers=messengers,
        address=_text(obj.get("address"), f"{where}.address", limit=500),
        ref=_text(obj.get("id"), f"{where}.id", limit=64),
    )


def parse_child(obj: Any, where: str) -> Child:
    obj = _expect_object(obj, where)
    _no_unknown_keys(obj, _CHILD_KEYS, where)
    grade = obj.get("grade")
    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in GRADE_RANGE:
        raise _refuse(N_("{field}: the grade must be a whole number from 1 to 13."), field=f"{where}.grade")
    school_year = _text(obj.get("school_year"), f"{where}.school_year", limit=7)
    if school_year:
        parse_school_year(school_year, f"{where}.school_year")
    return Child(
        grade=grade,
        first_name=_text(obj.get("first_name"), f"{where}.first_name", limit=100),
        school=_text(obj.get("school"), f"{where}.school", limit=200),
        school_year=school_year,
        ref=_text(obj.get("id"), f"{where}.id", limit=64),
    )


def parse_consent(obj: Any, where: str, person_refs: set[str], recorded_by: str) -> ConsentEntry:
    obj = _expect_object(obj, where)
    _no_unknown_keys(obj, _CONSENT_KEYS, where)
    person = _text(obj.get("person"), f"{where}.person", required=True, limit=64)
    if person not in person_refs:
        raise _refuse(N_("{field}: '{value}' is not the id of a guardian or child in this document."), field=f"{where}.person", value=person)
    purpose = parse_purpose(_text(obj.get("purpose"), f"{where}.purpose", required=True), f"{where}.purpose")
    channel = parse_channel(_text(obj.get("channel"), f"{where}.channel") or None, purpose, f"{where}.channel")
    granted = obj.get("granted", True)
    if not isinstance(granted, bool):
        raise _refuse(N_("{field}: expected true or false."), field=f"{where}.granted")
    evidence_text = _text(obj.get("evidence"), f"{where}.evidence") or Evidence.VERBAL.value
    text_language = _text(obj.get("text_language"), f"{where}.text_language", limit=20)
    if text_language:
        text_language = normalise_language(text_language, f"{where}.text_language")
    return ConsentEntry(
        person_id=person,
        purpose=purpose,
        channel=channel,
        granted=granted,
        at=_timestamp(obj.get("at") or _now(), f"{where}.at"),
        recorded_by=_text(obj.get("recorded_by"), f"{where}.recorded_by", limit=200) or recorded_by,
        evidence=parse_evidence(evidence_text, f"{where}.evidence"),
        text_version=_text(obj.get("text_version"), f"{where}.text_version", limit=40),
        text_language=text_language,
    )


def parse_family_document(data: Any, recorded_by: str = "") -> Family:
    """Validate a portable family document; person refs in consents stay document refs."""
    obj = _expect_object(data, "document")
    _no_unknown_keys(obj, _FAMILY_KEYS, "")
    fmt = obj.get("format", DOCUMENT_FORMAT)
    if fmt != DOCUMENT_FORMAT:
        raise _refuse(N_("format: '{value}' is not a family document this version understands ({expected})."), value=fmt, expected=DOCUMENT_FORMAT)
    guardians = [parse_guardian(g, f"guardians[{i}]") for i, g in enumerate(_expect_list(obj.get("guardians"), "guardians"))]
    if not guardians:
        raise _refuse(N_("guardians: a family needs at least one guardian."))
    children = [parse_child(c, f"children[{i}]") for i, c in enumerate(_expect_list(obj.get("children"), "children"))]
    refs: set[str] = set()
    for kind, persons in (("guardians", guardians), ("children", children)):
        for i, person in enumerate(persons):
            if not person.ref:
                person.ref = f"{kind[0]}{i + 1}"
            if person.ref in refs:
                raise _refuse(N_("{field}: the id '{value}' is used twice in this document."), field=f"{kind}[{i}].id", value=person.ref)
            refs.add(person.ref)
    consents = [parse_consent(c, f"consents[{i}]", refs, recorded_by)
                for i, c in enumerate(_expect_list(obj.get("consents"), "consents", limit=MAX_ITEMS * 20))]
    return Family(guardians=guardians, children=children, consents=consents,
                  notes=_text(obj.get("notes"), "notes", limit=MAX_NOTES))


def family_to_document(family: Family) -> dict[str, Any]:
    """The portable document of a stored family (ids are the store's ids)."""
    return {
        "format": DOCUMENT_FORMAT,
        "id": family.id,
        "created": family.created,
        "updated": family.updated,
        "guardians": [
            {
                "id": g.id,
                "name": g.name,
                "languages": list(g.languages),
                "phones": list(g.phones),
                "emails": list(g.emails),
                "messenger": [{"app": m.app, "handle": m.handle} for m in g.messengers],
                "address": g.address,
            }
            for g in family.guardians
        ],
        "children": [
            {"id": c.id, "first_name": c.first_name, "grade": c.grade, "school": c.school, "school_year": c.school_year}
            for c in family.children
        ],
        "consents": [
            {
                "person": e.person_id,
                "purpose": e.purpose.value,
                "channel": e.channel.value if e.channel else None,
                "granted": e.granted,
                "at": e.at,
                "evidence": e.evidence.value,
                "text_version": e.text_version,
                "text_language": e.text_language,
                "recorded_by": e.recorded_by,
            }
            for e in family.consents
        ],
        "notes": family.notes,
    }


def _dedupe(values) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = [
    "CHANNELLED_PURPOSES", "Child", "DOCUMENT_FORMAT", "Family", "Guardian", "Messenger",
    "family_to_document", "parse_family_document",
]
