"""Contacts with families and anonymous tallies: record in seconds, list for the call list and reports.

A contact may be recorded only for a family that is in the store (and so has its store
consent); it then travels under that family's consent like every record bound to it.
A tally creates no person and no family.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable

from elternlotse.domain.contact_log import Contact, Tally, check_contact, check_tally
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.services.catalogs import CatalogService
from elternlotse.services.families import FamilyService
from elternlotse.store import Store
from elternlotse.store import contacts as repo
from elternlotse.store import roster as roster_repo


class ContactService:
    def __init__(self, store: Store, families: FamilyService, catalogs: CatalogService,
                 today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.families = families
        self.catalogs = catalogs
        self.today = today  # local date of the laptop (a contact is dated as the navigator sees the calendar)

    @property
    def actor(self) -> str:
        return self.store.info.name

    def add(self, contact: Contact) -> Contact:
        """Check and record one contact; returns it with its id.

        A referral that names a partner of the directory by id is recorded as the partner's label
        ("BIZ Hagen (Frau Kaya)"), so it reads the same after the directory changes; free text stays.
        """
        partner = roster_repo.partner(self.store.conn, contact.referral.strip()) if contact.referral.strip() else None
        if partner is not None:
            contact = replace(contact, referral=partner.label()[:200])
        contact = check_contact(replace(contact, topics=list(contact.topics)), self.today())
        self._check_topics(contact.topics, contact.on)
        family = self.families.get(contact.family_id)  # NotFoundError names the id
        if contact.person_id and contact.person_id not in {g.id for g in family.guardians}:
            raise ValidationError(N_("{field}: {value} is not a guardian of this family."),
                                  field="person", value=contact.person_id)
        if not contact.language:
            languages = [lang for g in family.guardians for lang in g.languages]
            contact.language = languages[0] if languages else ""
        contact.recorded_by = self.actor
        with self.store.write(self.actor, "contact.add", contact.family_id) as writer:
            contact.id = repo.insert_contact(writer, contact)
        return contact

    def tally(self, tally: Tally) -> Tally:
        tally = check_tally(replace(tally, topics=list(tally.topics)), self.today())
        self._check_topics(tally.topics, tally.on)
        tally.recorded_by = self.actor
        with self.store.write(self.actor, "contact.tally") as writer:
            tally.id = repo.insert_tally(writer, tally)
        return tally

    def _check_topics(self, topics: list[str], day: str) -> None:
        catalog = self.catalogs.get(on=date.fromisoformat(day))
        for i, topic in enumerate(topics):
            if catalog.stage(topic) is None:
                raise ValidationError(N_("{field}: '{value}' is not a stage of the catalogue {catalog}."),
                                      field=f"topics[{i}]", value=topic, catalog=catalog.id)

    def list(self, family_id: str | None = None, first_day: str = "", last_day: str = "") -> list[Contact]:
        return repo.contacts(self.store.conn, family_id, first_day, last_day)

    def tallies(self, first_day: str = "", last_day: str = "") -> list[Tally]:
        return repo.tallies(self.store.conn, first_day, last_day)
