"""What may leave a navigator's laptop for the office: the consent rule, in one place.

``office_share_scope`` is the only function that decides it.  The rule:

* a **guardian** travels only while he or she currently consents to
  ``Purpose.PASS_TO_OFFICE`` (the derived state of the append-only history);
* a **family** (its own record, its children, checklist items, corrections)
  travels only while at least one of its guardians travels;
* records bound to a person (channels, attendance) travel only with that person,
  and records bound to a family only with that family;
* a family none of whose guardians travels is sent **only as anonymous counts**
  (``withheld``), never with names, channels or ids;
* consent entries and tombstones (ids, purposes, times; no names) of a family
  travel only if one of its guardians ever gave office consent: then the office
  may hold data about it and must learn of withdrawals and erasures;
* a family whose sharing consent is newer than what the office acknowledged is
  sent **in full** (its older changes were withheld before).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from elternlotse.domain.consent import ConsentEntry, Purpose, derive


@dataclass
class ShareScope:
    families: set[str] = field(default_factory=set)   # may travel now
    persons: set[str] = field(default_factory=set)    # may travel now (guardians with consent, children of shared families)
    ever: set[str] = field(default_factory=set)       # families with an office consent at any time
    full: set[str] = field(default_factory=set)       # shared families to send in full (consent newer than the ack)

    def allows(self, family_id: str | None, person_id: str | None) -> bool:
        """May a record bound to this family and/or person travel?  Unbound records always may."""
        if person_id and person_id not in self.persons:
            return False
        return not (family_id and family_id not in self.families)


@dataclass(frozen=True)
class PersonRef:
    id: str
    family_id: str
    role: str          # "guardian" | "child"
    deleted: bool


def office_share_scope(persons: Iterable[PersonRef], history: Iterable[ConsentEntry], acked: str = "") -> ShareScope:
    """Decide, from the consent history, which families and persons may be passed to the office."""
    persons = list(persons)
    by_person: dict[str, list[ConsentEntry]] = {}
    for entry in history:
        if entry.purpose is Purpose.PASS_TO_OFFICE:
            by_person.setdefault(entry.person_id, []).append(entry)
    scope = ShareScope()
    for person in persons:
        if person.role != "guardian":
            continue
        entries = by_person.get(person.id, [])
        if any(e.granted for e in entries):
            scope.ever.add(person.family_id)
        if person.deleted or not entries:
            continue
        current = derive(person.id, entries).current.get((Purpose.PASS_TO_OFFICE, None))
        if current is not None and current.granted:
            scope.persons.add(person.id)
            scope.families.add(person.family_id)
            if current.stamp > acked:
                scope.full.add(person.family_id)
    for person in persons:
        if person.role == "child" and person.family_id in scope.families and not person.deleted:
            scope.persons.add(person.id)
    return scope
