"""Consent: grant and withdraw (equally easy), derive the state, check before use."""

from __future__ import annotations

from datetime import datetime, timezone

from elternlotse.domain.consent import (
    Channel,
    ConsentEntry,
    ConsentState,
    Evidence,
    Purpose,
    derive,
    parse_channel,
    parse_evidence,
    parse_purpose,
)
from elternlotse.domain.contact import normalise_language
from elternlotse.domain.errors import ConsentError
from elternlotse.domain.text import N_
from elternlotse.store import Store
from elternlotse.store import families as repo


class ConsentService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, person_id: str, purpose: str | Purpose, channel: str | Channel | None, granted: bool,
               evidence: str | Evidence = Evidence.VERBAL, text_version: str = "", text_language: str = "",
               at: str | None = None) -> ConsentEntry:
        purpose = parse_purpose(purpose.value if isinstance(purpose, Purpose) else purpose)
        channel = parse_channel(channel.value if isinstance(channel, Channel) else channel, purpose)
        evidence = parse_evidence(evidence.value if isinstance(evidence, Evidence) else evidence)
        if text_language:
            text_language = normalise_language(text_language, "text_language")
        family_id = repo.family_of_person(self.store.conn, person_id)
        action = "consent.grant" if granted else "consent.withdraw"
        with self.store.write(self.store.info.name, action, person_id) as writer:
            entry = ConsentEntry(
                person_id=person_id, purpose=purpose, channel=channel, granted=granted,
                at=at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                recorded_by=self.store.info.name, evidence=evidence, text_version=text_version,
                text_language=text_language, stamp=writer.stamp,
            )
            entry_id = writer.append_consent(entry)
            writer.audit("consent.family", family_id)
        return ConsentEntry(**{**entry.__dict__, "id": entry_id})

    def grant(self, person_id: str, purpose, channel=None, **kwargs) -> ConsentEntry:
        return self.record(person_id, purpose, channel, True, **kwargs)

    def withdraw(self, person_id: str, purpose, channel=None, **kwargs) -> ConsentEntry:
        return self.record(person_id, purpose, channel, False, **kwargs)

    def history(self, person_id: str) -> list[ConsentEntry]:
        return repo.consent_history(self.store.conn, [person_id])

    def state(self, person_id: str) -> ConsentState:
        return derive(person_id, self.history(person_id))

    def states_for_family(self, family_id: str) -> dict[str, ConsentState]:
        family = repo.load_family(self.store.conn, family_id)
        return {p.id: derive(p.id, family.consents) for p in family.persons()}

    def require(self, person_id: str, purpose: Purpose, channel: Channel | None = None) -> None:
        """Raise unless the person currently consents; called at every use."""
        if not self.state(person_id).allows(purpose, channel):
            raise ConsentError(
                N_("There is no current consent for '{purpose}' ({channel}); nothing was done."),
                purpose=purpose.value, channel=channel.value if channel else "-",
            )
