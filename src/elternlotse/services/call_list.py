"""The call list: whom do I call this week, about what, and what came of it.

One row per family (not per checklist item): its next one or two KAoA topics, the
channels its guardians consented to, and why it is on the list, most urgent first:

1. ``overdue``: a step whose window ended in the last ``LOOKBACK_WEEKS`` weeks is still open;
2. ``call_back``: a follow-up date recorded on a contact ("call back on ...") has come;
3. ``this_week``: a step is due now or in this calendar week;
4. ``soon``: a step is due within the weeks asked for.

Marking a call (reached / no answer / call back on ...) records a contact
(``services.contacts``).  A family that was reached leaves the list for
``REACHED_QUIET_DAYS`` days; "call back on D" takes it off until the week of D, when it
comes back as ``call_back``; "no answer" keeps it on the list with the day of the last try.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from elternlotse.domain.contact_log import Contact
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.kaoa import week_monday
from elternlotse.domain.text import N_
from elternlotse.services.agenda import AgendaItem, AgendaService
from elternlotse.services.checklists import ChecklistService
from elternlotse.services.contacts import ContactService
from elternlotse.services.reach import ContactOption, family_reach
from elternlotse.store import Store

LOOKBACK_WEEKS = 12
REACHED_QUIET_DAYS = 14
TOPICS_PER_FAMILY = 2
URGENCIES = ("overdue", "call_back", "this_week", "soon")
URGENCY_LABELS = {
    "overdue": N_("Overdue"),
    "call_back": N_("Call back"),
    "this_week": N_("This week"),
    "soon": N_("Soon"),
}


@dataclass
class CallEntry:
    family_id: str
    name: str
    languages: list[str]
    channels: list[ContactOption]
    urgency: str
    due: date                                   # the day that puts it at this urgency
    topics: list[AgendaItem] = field(default_factory=list)   # one item per stage, the first TOPICS_PER_FAMILY
    schools: list[str] = field(default_factory=list)
    grades: list[int] = field(default_factory=list)
    last_contact: Contact | None = None

    def to_json(self) -> dict:
        last = self.last_contact
        return {
            "family_id": self.family_id, "name": self.name, "languages": self.languages,
            "channels": [c.as_json() for c in self.channels], "urgency": self.urgency, "due": self.due.isoformat(),
            "topics": [{"child_id": t.child_id, "child": t.child, "grade": t.grade, "stage": t.stage_key,
                        "stage_title": t.stage, "item": t.item_key, "text": t.text, "until": t.ends.isoformat()}
                       for t in self.topics],
            "schools": self.schools, "grades": self.grades,
            "last_contact": None if last is None else {"on": last.on, "format": last.format, "outcome": last.outcome,
                                                       "follow_up": last.follow_up},
        }


@dataclass
class CallList:
    on: date
    weeks: int
    entries: list[CallEntry]
    schools: list[str]          # for the filter: every school of a child on the unfiltered list
    hidden_reached: int = 0     # families left out because they were reached recently

    def to_json(self) -> dict:
        return {"date": self.on.isoformat(), "weeks": self.weeks, "hidden_reached": self.hidden_reached,
                "families": [e.to_json() for e in self.entries]}


def _urgency(item: AgendaItem, on: date, this_sunday: date) -> str:
    if item.ends < on:
        return "overdue"
    if item.starts <= this_sunday:
        return "this_week"
    return "soon"


class CallListService:
    def __init__(self, store: Store, agenda: AgendaService, checklists: ChecklistService,
                 contacts: ContactService) -> None:
        self.store = store
        self.agenda = agenda
        self.checklists = checklists
        self.contacts = contacts

    def call_list(self, on: date | None = None, weeks: int = 2, school: str = "", grade: int | None = None,
                  stage: str = "", language: str = "en") -> CallList:
        on = on or self.contacts.today()
        if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 52:
            raise ValidationError(N_("{field}: expected a whole number from {low} to {high}."), field="weeks",
                                  low=1, high=52)
        this_sunday = week_monday(on) + timedelta(days=6)
        past = self.agenda.next_steps(on - timedelta(weeks=LOOKBACK_WEEKS), LOOKBACK_WEEKS, language=language)
        ahead = self.agenda.next_steps(on, weeks, language=language)
        children = {row.id: row for row, _info in self.checklists.all_infos()}

        per_family: dict[str, list[AgendaItem]] = {}
        for agenda in (past, ahead):
            for week in agenda.weeks:
                for family in week.families:
                    known = {(i.child_id, i.ref) for i in per_family.get(family.family_id, [])}
                    per_family.setdefault(family.family_id, []).extend(
                        i for i in family.items if (i.child_id, i.ref) not in known)
        last_contacts = self._last_contacts(on)
        follow_ups = {fid: c for fid, c in last_contacts.items()
                      if c.follow_up and c.follow_up <= this_sunday.isoformat()}
        family_ids = sorted(set(per_family) | set(follow_ups))
        reach = family_reach(self.store.conn, family_ids)

        entries: list[CallEntry] = []
        hidden = 0
        for family_id in family_ids:
            r = reach.get(family_id)
            if r is None:
                continue
            items = sorted(per_family.get(family_id, []), key=lambda i: (URGENCIES.index(_urgency(i, on, this_sunday)),
                                                                       i.ends, i.child, i.stage_key))
            last = last_contacts.get(family_id)
            follow = follow_ups.get(family_id)
            if last is not None and follow is None and self._quiet(last, on):
                hidden += 1
                continue
            if follow is not None and (not items or _urgency(items[0], on, this_sunday) != "overdue"):
                urgency, due = "call_back", date.fromisoformat(follow.follow_up)
            elif items:
                urgency = _urgency(items[0], on, this_sunday)
                due = items[0].ends if urgency == "overdue" else max(items[0].starts, on)
            else:
                continue
            topics, stages = [], set()
            for item in items:
                if item.stage_key not in stages:
                    stages.add(item.stage_key)
                    topics.append(item)
                if len(topics) == TOPICS_PER_FAMILY:
                    break
            kids = [children[i.child_id] for i in items if i.child_id in children]
            entries.append(CallEntry(
                family_id, r.name, r.languages, r.contacts, urgency, due, topics,
                schools=sorted({k.school for k in kids if k.school}),
                grades=sorted({i.grade for i in items if i.grade is not None}), last_contact=last))
        schools = sorted({s for e in entries for s in e.schools}, key=str.casefold)
        entries = [e for e in entries if self._matches(e, school, grade, stage, per_family.get(e.family_id, []))]
        entries.sort(key=lambda e: (URGENCIES.index(e.urgency), e.due, not e.channels, e.name.casefold()))
        return CallList(on, weeks, entries, schools, hidden)

    @staticmethod
    def _quiet(last: Contact, on: date) -> bool:
        """Leave a family off the list: a call back is planned after this week, or it was reached lately."""
        if last.follow_up:
            return True  # its follow-up date lies after this week (due ones are handled as call_back)
        return last.outcome != "no_answer" and (on - date.fromisoformat(last.on)).days < REACHED_QUIET_DAYS

    @staticmethod
    def _matches(entry: CallEntry, school: str, grade: int | None, stage: str, items: list[AgendaItem]) -> bool:
        if school and school not in entry.schools:
            return False
        if grade is not None and grade not in entry.grades:
            return False
        return not stage or any(i.stage_key == stage for i in items)

    def _last_contacts(self, on: date) -> dict[str, Contact]:
        """family id -> its latest contact up to ``on`` (bounded to the look-back period)."""
        latest: dict[str, Contact] = {}
        first = (on - timedelta(weeks=LOOKBACK_WEEKS)).isoformat()
        for contact in self.contacts.list(first_day=first, last_day=on.isoformat()):  # newest first
            latest.setdefault(contact.family_id, contact)
        return latest

    def mark(self, entry: CallEntry, outcome: str, call_back_on: str = "", on: date | None = None) -> Contact:
        """Record what came of a call: a phone-call contact about the entry's topics."""
        day = (on or self.contacts.today()).isoformat()
        return self.contacts.add(Contact(
            family_id=entry.family_id, on=day, format="phone_call", outcome=outcome,
            follow_up=call_back_on, topics=[t.stage_key for t in entry.topics],
            language=entry.languages[0] if entry.languages else ""))
