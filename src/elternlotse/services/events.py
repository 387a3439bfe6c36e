"""Events: plan, list, take attendance, count heads and handouts; the invitation list.

Invitations go only to families whose guardian currently consents to
``invitations``, and each through a channel that guardian consented to for
contact; consent is derived from the history at every call, so a withdrawal
removes the family at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.events import (
    MAX_HEADCOUNT,
    Event,
    HandoutGiven,
    Speaker,
    event_to_document,
    merge_handouts,
    parse_event_document,
)
from elternlotse.domain.contact import normalise_language
from elternlotse.domain.kaoa import current_and_next
from elternlotse.domain.text import N_
from elternlotse.services.catalogs import CatalogService
from elternlotse.services.checklists import ChecklistService
from elternlotse.services.reach import ContactOption, family_reach
from elternlotse.store import Store
from elternlotse.store import kaoa as repo


@dataclass
class EventRow:
    id: str
    type: str
    title: str
    starts: str
    place: str
    topics: list[str]
    families: int
    headcount: int


@dataclass
class Invitation:
    family_id: str
    name: str
    languages: list[str]
    channel: ContactOption
    channels: list[ContactOption]
    children: list[tuple[str, str, int, str]] = field(default_factory=list)  # (child id, first name, grade, stage key)


class EventService:
    def __init__(self, store: Store, catalogs: CatalogService, checklists: ChecklistService) -> None:
        self.store = store
        self.catalogs = catalogs
        self.checklists = checklists

    @property
    def actor(self) -> str:
        return self.store.info.name

    # ---------------------------------------------------------------- writing
    def add(self, document: Any) -> Event:
        event = parse_event_document(document)
        self._check_topics(event)
        with self.store.write(self.actor, "event.add") as writer:
            event.id = writer.insert("events", _row(event))
            for i, item in enumerate((document or {}).get("attendance") or [] if isinstance(document, dict) else []):
                family_id, person_id = self._attendee(item, f"attendance[{i}]")
                repo.set_attendance(writer, event.id, family_id, person_id, True)
        return self.get(event.id)

    def update(self, event_id: str, document: Any) -> Event:
        """Replace the event's fields (attendance is kept; use ``attend``)."""
        self.get(event_id)
        event = parse_event_document({k: v for k, v in (document or {}).items() if k != "attendance"}
                                     if isinstance(document, dict) else document)
        self._check_topics(event)
        with self.store.write(self.actor, "event.update", event_id) as writer:
            writer.update("events", event_id, _row(event))
        return self.get(event_id)

    def delete(self, event_id: str) -> None:
        self.get(event_id)
        with self.store.write(self.actor, "event.delete", event_id) as writer:
            for (row_id,) in writer.conn.execute("SELECT id FROM attendance WHERE event_id = ?", (event_id,)).fetchall():
                writer.delete("attendance", row_id)
            writer.delete("events", event_id)

    def attend(self, event_id: str, family_id: str, present: bool = True, person_id: str = "") -> Event:
        self.get(event_id)
        family_id, person_id = self._attendee({"family": family_id, "person": person_id or None}, "family")
        with self.store.write(self.actor, "event.attend" if present else "event.unattend", event_id) as writer:
            repo.set_attendance(writer, event_id, family_id, person_id, present)
        return self.get(event_id)

    def set_headcount(self, event_id: str, count: int) -> Event:
        self.get(event_id)
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_HEADCOUNT:
            raise ValidationError(N_("{field}: expected a whole number from {low} to {high}."), field="headcount",
                                  low=0, high=MAX_HEADCOUNT)
        with self.store.write(self.actor, "event.headcount", event_id) as writer:
            writer.update("events", event_id, {"headcount": count})
        return self.get(event_id)

    def add_handouts(self, event_id: str, topic: str, language: str, count: int = 1) -> Event:
        event = self.get(event_id)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_HEADCOUNT:
            raise ValidationError(N_("{field}: expected a whole number from {low} to {high}."), field="count",
                                  low=1, high=MAX_HEADCOUNT)
        if not topic.strip():
            raise ValidationError(N_("{field}: must not be empty."), field="topic")
        given = merge_handouts([*event.handouts, HandoutGiven(topic.strip(), normalise_language(language, "language"), count)])
        with self.store.write(self.actor, "event.handouts", event_id) as writer:
            writer.update("events", event_id, {"handouts": json.dumps([h.__dict__ for h in given], ensure_ascii=False)})
        return self.get(event_id)

    def _attendee(self, item: Any, where: str) -> tuple[str, str]:
        if not isinstance(item, dict) or not isinstance(item.get("family"), str):
            raise ValidationError(N_("{field}: expected an object with the family's id."), field=where)
        family_id = item["family"]
        person_id = item.get("person") or ""
        names = repo.family_names(self.store.conn, [family_id])
        if family_id not in names:
            raise NotFoundError(N_("No family with the id {id}."), id=family_id)
        if person_id:
            row = self.store.conn.execute("SELECT 1 FROM persons WHERE id = ? AND family_id = ? AND deleted IS NULL",
                                          (person_id, family_id)).fetchone()
            if row is None:
                raise NotFoundError(N_("No person with the id {id}."), id=person_id)
        return family_id, person_id

    def _check_topics(self, event: Event) -> None:
        catalog = self.catalogs.get(on=event.day)
        for i, topic in enumerate(event.topics):
            if catalog.stage(topic) is None:
                raise ValidationError(N_("{field}: '{value}' is not a stage of the catalogue {catalog}."),
                                      field=f"topics[{i}]", value=topic, catalog=catalog.id)

    # ---------------------------------------------------------------- reading
    def get(self, event_id: str) -> Event:
        data = repo.event_row(self.store.conn, event_id)
        event = Event(
            type=data["type"], starts=data["starts"], ends=data["ends"], title=data["title"], place=data["place"],
            topics=data["topics"], speakers=[Speaker(s.get("name", ""), s.get("role", "other")) for s in data["speakers"]],
            languages=data["languages"], interpreter=data["interpreter"], headcount=data["headcount"],
            handouts=[HandoutGiven(h["topic"], h["language"], h.get("count", 1)) for h in data["handouts"]],
            notes=data["notes"], id=data["id"], created=data["created"], updated=data["updated"],
        )
        event.attendance = [(family, person) for _, family, person in repo.attendance(self.store.conn, event_id)]
        return event

    def document(self, event_id: str) -> dict[str, Any]:
        event = self.get(event_id)
        doc = event_to_document(event)
        names = repo.family_names(self.store.conn, [f for f, _ in event.attendance])
        for entry in doc["attendance"]:
            entry["name"] = names.get(entry["family"], "?")
        doc["counts"] = {"families": event.family_count, "headcount": event.headcount,
                         "handouts": sum(h.count for h in event.handouts)}
        return doc

    def attendees(self, event_id: str) -> list:
        """The families marked present, as family list rows."""
        event = self.get(event_id)
        seen: list[str] = []
        for family_id, _person in event.attendance:
            if family_id not in seen:
                seen.append(family_id)
        return repo.family_rows(self.store.conn, seen)

    def list(self) -> list[EventRow]:
        counts = repo.attendance_counts(self.store.conn)
        return [EventRow(d["id"], d["type"], d["title"], d["starts"], d["place"], d["topics"], counts.get(d["id"], 0),
                         d["headcount"]) for d in repo.event_rows(self.store.conn)]

    def calendar(self, event_id: str | None = None, first: str = "", last: str = "", language: str = "de",
                 translate=lambda text: text) -> bytes:
        """One event, or every event starting between ``first`` and ``last``, as an iCalendar file."""
        from elternlotse.domain.events import EVENT_TYPE_LABELS, SPEAKER_ROLE_LABELS
        from elternlotse.i18n.languages import display_name
        from elternlotse.reports.calendar import events_ics

        if event_id:
            events = [self.get(event_id)]
        else:
            if not first or not last or last < first:
                raise ValidationError(N_("{field}: give an event id, or --from and --to with the end after the start."),
                                      field="ics")
            events = [self.get(r.id) for r in self.list() if first <= r.starts[:10] <= last]
        items = []
        for event in sorted(events, key=lambda e: e.starts):
            catalog = self.catalogs.get(on=event.day)
            topics = [catalog.stage(t).title(language) if catalog.stage(t) else t for t in event.topics]
            lines = [translate(EVENT_TYPE_LABELS[event.type])]
            if topics:
                lines.append(translate(N_("Topics: {topics}")).format(topics=", ".join(topics)))
            if event.languages:
                names = ", ".join(display_name(tag, language) for tag in event.languages)
                lines.append(translate(N_("Languages: {languages}")).format(languages=names))
            if event.interpreter:
                lines.append(translate(N_("with interpreter")))
            if event.speakers:
                roles = ", ".join(dict.fromkeys(translate(SPEAKER_ROLE_LABELS[s.role]) for s in event.speakers))
                lines.append(translate(N_("Speakers: {roles}")).format(roles=roles))
            items.append({"id": event.id, "summary": event.title or translate(EVENT_TYPE_LABELS[event.type]),
                          "starts": event.starts, "ends": event.ends, "place": event.place,
                          "description": "\n".join(lines)})
        return events_ics(items)

    def invitations(self, event_id: str) -> list[Invitation]:
        """Families with a child at one of the event's stages (current or next on the event day) who consent
        to invitations, each with a consented channel.  An event without topics invites every such family."""
        event = self.get(event_id)
        day = event.day
        catalog = self.catalogs.get(on=day)
        topics = set(event.topics)
        matches: dict[str, list[tuple[str, str, int, str]]] = {}
        stage_keys: dict = {}  # children with the same grade history share their stages
        for row, info in self.checklists.all_infos():
            keys = stage_keys.get(info)
            if keys is None:
                current, upcoming = current_and_next(catalog, info, day)
                keys = stage_keys[info] = [sw.stage.key for sw in [*current, *upcoming]]
            hit = [k for k in keys if k in topics] if topics else keys[:1]
            if hit:
                matches.setdefault(row.family_id, []).append((row.id, row.first_name, info.grade_on(day), hit[0]))
        reach = family_reach(self.store.conn, sorted(matches))
        invitations = []
        for family_id, kids in matches.items():
            r = reach.get(family_id)
            if r is None or not r.invitable:
                continue
            invitations.append(Invitation(family_id, r.name, r.languages, r.invitation_contacts[0],
                                          r.invitation_contacts, kids))
        invitations.sort(key=lambda inv: inv.name.casefold())
        return invitations


def _row(event: Event) -> dict[str, Any]:
    return {
        "type": event.type, "title": event.title, "starts": event.starts, "ends": event.ends, "place": event.place,
        "topics": json.dumps(event.topics), "speakers": json.dumps([s.__dict__ for s in event.speakers], ensure_ascii=False),
        "languages": json.dumps(event.languages), "interpreter": int(event.interpreter), "headcount": event.headcount,
        "handouts": json.dumps([h.__dict__ for h in event.handouts], ensure_ascii=False), "notes": event.notes,
    }


def invitation_json(inv: Invitation) -> dict[str, Any]:
    return {"family_id": inv.family_id, "name": inv.name, "languages": inv.languages,
            "channel": inv.channel.as_json(), "channels": [c.as_json() for c in inv.channels],
            "children": [{"child_id": c, "first_name": n, "grade": g, "stage": s} for c, n, g, s in inv.children]}
