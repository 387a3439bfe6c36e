"""Events (family café, ElternDay, training fair tour, ...) and the portable event document.

The place is an attribute of the event, never of a person: a family met at a
mosque association is not "a member" of it.  Attendance links families from the
store; people who gave no data are counted in ``headcount`` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from elternlotse.domain.contact import normalise_language
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import list_field, text_field
from elternlotse.domain.text import N_

EVENT_FORMAT = "elternlotse.event/1"
EVENT_TYPES = ("family_cafe", "elternday", "training_fair_tour", "mso_meeting", "parent_teacher_day",
               "individual_talk", "phone_call")
EVENT_TYPE_LABELS = {
    "family_cafe": N_("Family café at a school"),
    "elternday": N_("ElternDay"),
    "training_fair_tour": N_("Tour of a training fair"),
    "mso_meeting": N_("Meeting at a migrant organisation"),
    "parent_teacher_day": N_("Stand at a parent-teacher day"),
    "individual_talk": N_("Individual talk"),
    "phone_call": N_("Phone call"),
}
SPEAKER_ROLES = ("career_counselling", "chamber", "stubo", "school", "navigator", "office", "company",
                 "migration_service", "other")
SPEAKER_ROLE_LABELS = {
    "career_counselling": N_("Career counselling (Agentur für Arbeit)"),
    "chamber": N_("Chamber (IHK, HWK)"),
    "stubo": N_("StuBO coordinator"),
    "school": N_("School"),
    "navigator": N_("Parent navigator"),
    "office": N_("Coordinating office"),
    "company": N_("Company"),
    "migration_service": N_("Migration service"),
    "other": N_("Other"),
}
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_KEYS = {"format", "id", "type", "title", "starts", "ends", "place", "topics", "speakers", "languages", "interpreter",
         "headcount", "handouts", "notes", "attendance", "created", "updated"}
MAX_HEADCOUNT = 100_000


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str


@dataclass(frozen=True)
class HandoutGiven:
    topic: str
    language: str
    count: int = 1


@dataclass
class Event:
    type: str
    starts: str                      # local date and time, "2026-12-03T16:30"
    ends: str = ""
    title: str = ""
    place: str = ""
    topics: list[str] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interpreter: bool = False
    headcount: int = 0
    handouts: list[HandoutGiven] = field(default_factory=list)
    notes: str = ""
    id: str = ""
    created: str = ""
    updated: str = ""
    attendance: list[tuple[str, str]] = field(default_factory=list)  # (family id, person id or "")

    @property
    def day(self):
        return datetime.fromisoformat(self.starts).date()

    @property
    def family_count(self) -> int:
        return len({family for family, _ in self.attendance})


def _refuse(message: str, **params: Any) -> ValidationError:
    return ValidationError(message, **params)


def _text(value: Any, where: str, required: bool = False, limit: int = 500) -> str:
    return text_field(value, where, required, limit)


def _list(value: Any, where: str, limit: int = 50) -> list:
    return list_field(value, where, limit)


def _count(value: Any, where: str, default: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_HEADCOUNT:
        raise _refuse(N_("{field}: expected a whole number from {low} to {high}."), field=where, low=0, high=MAX_HEADCOUNT)
    return value


def parse_moment(value: Any, where: str, required: bool = True) -> str:
    """A local date and time ("2026-12-03T16:30" or "2026-12-03 16:30"); a date alone means 00:00."""
    text = _text(value, where, required=required, limit=25)
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise _refuse(N_("{field}: '{value}' is not a date and time like 2026-12-03T16:30."), field=where, value=text) from None
    if moment.tzinfo is not None:
        raise _refuse(N_("{field}: give the local time of the event without a time zone."), field=where)
    return moment.strftime("%Y-%m-%dT%H:%M")


def parse_topic(value: Any, where: str) -> str:
    text = _text(value, where, required=True, limit=40)
    if not _KEY.match(text):
        raise _refuse(N_("{field}: '{value}' is not a stage key."), field=where, value=text)
    return text


def parse_event_document(data: Any) -> Event:
    """Validate an event document; raise one sentence naming the field."""
    if not isinstance(data, dict):
        raise _refuse(N_("{field}: expected an object."), field="document")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise _refuse(N_("{field}: unknown field '{name}'."), field=unknown[0], name=unknown[0])
    fmt = data.get("format", EVENT_FORMAT)
    if fmt != EVENT_FORMAT:
        raise _refuse(N_("format: '{value}' is not an event document this version understands ({expected})."),
                      value=fmt, expected=EVENT_FORMAT)
    kind = _text(data.get("type"), "type", required=True, limit=40)
    if kind not in EVENT_TYPES:
        raise _refuse(N_("{field}: '{value}' is not a type of event (one of: {allowed})."), field="type", value=kind,
                      allowed=", ".join(EVENT_TYPES))
    starts = parse_moment(data.get("starts"), "starts")
    ends = parse_moment(data.get("ends"), "ends", required=False)
    if ends and ends < starts:
        raise _refuse(N_("{field}: the event ends before it starts."), field="ends")
    speakers = []
    for i, item in enumerate(_list(data.get("speakers"), "speakers", 20)):
        where = f"speakers[{i}]"
        if not isinstance(item, dict):
            raise _refuse(N_("{field}: expected an object."), field=where)
        extra = sorted(set(item) - {"name", "role"})
        if extra:
            raise _refuse(N_("{field}: unknown field '{name}'."), field=f"{where}.{extra[0]}", name=extra[0])
        role = _text(item.get("role"), f"{where}.role", required=True, limit=40)
        if role not in SPEAKER_ROLES:
            raise _refuse(N_("{field}: '{value}' is not a speaker's role (one of: {allowed})."), field=f"{where}.role",
                          value=role, allowed=", ".join(SPEAKER_ROLES))
        speakers.append(Speaker(_text(item.get("name"), f"{where}.name", limit=200), role))
    languages: list[str] = []
    for i, tag in enumerate(_list(data.get("languages"), "languages", 20)):
        tag = normalise_language(_text(tag, f"languages[{i}]", required=True, limit=20), f"languages[{i}]")
        if tag not in languages:
            languages.append(tag)
    topics: list[str] = []
    for i, topic in enumerate(_list(data.get("topics"), "topics", 20)):
        topic = parse_topic(topic, f"topics[{i}]")
        if topic not in topics:
            topics.append(topic)
    handouts = []
    for i, item in enumerate(_list(data.get("handouts"), "handouts", 200)):
        where = f"handouts[{i}]"
        if not isinstance(item, dict):
            raise _refuse(N_("{field}: expected an object."), field=where)
        extra = sorted(set(item) - {"topic", "language", "count"})
        if extra:
            raise _refuse(N_("{field}: unknown field '{name}'."), field=f"{where}.{extra[0]}", name=extra[0])
        handouts.append(HandoutGiven(
            topic=_text(item.get("topic"), f"{where}.topic", required=True, limit=60),
            language=normalise_language(_text(item.get("language"), f"{where}.language", required=True, limit=20),
                                        f"{where}.language"),
            count=_count(item.get("count"), f"{where}.count", default=1),
        ))
    interpreter = data.get("interpreter", False)
    if not isinstance(interpreter, bool):
        raise _refuse(N_("{field}: expected true or false."), field="interpreter")
    return Event(
        type=kind, starts=starts, ends=ends,
        title=_text(data.get("title"), "title", limit=200),
        place=_text(data.get("place"), "place", limit=300),
        topics=topics, speakers=speakers, languages=languages, interpreter=interpreter,
        headcount=_count(data.get("headcount"), "headcount"),
        handouts=merge_handouts(handouts),
        notes=_text(data.get("notes"), "notes", limit=5000),
    )


def merge_handouts(handouts: list[HandoutGiven]) -> list[HandoutGiven]:
    """One entry per topic x language, counts added."""
    totals: dict[tuple[str, str], int] = {}
    for h in handouts:
        totals[(h.topic, h.language)] = totals.get((h.topic, h.language), 0) + h.count
    return [HandoutGiven(t, lang, n) for (t, lang), n in totals.items()]


def event_to_document(event: Event) -> dict[str, Any]:
    return {
        "format": EVENT_FORMAT, "id": event.id, "created": event.created, "updated": event.updated,
        "type": event.type, "title": event.title, "starts": event.starts, "ends": event.ends, "place": event.place,
        "topics": list(event.topics),
        "speakers": [{"name": s.name, "role": s.role} for s in event.speakers],
        "languages": list(event.languages), "interpreter": event.interpreter,
        "headcount": event.headcount,
        "handouts": [{"topic": h.topic, "language": h.language, "count": h.count} for h in event.handouts],
        "attendance": [{"family": f, "person": p or None} for f, p in event.attendance],
        "notes": event.notes,
    }
