"""Families: add, show, list and search, update, erase, find duplicates."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from elternlotse.domain.consent import Purpose
from elternlotse.domain.contact import normalise_email, normalise_phone
from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.family import Family, family_to_document, parse_child, parse_family_document, parse_guardian
from elternlotse.domain.search_text import words
from elternlotse.domain.text import N_
from elternlotse.store import Store
from elternlotse.store import families as repo


#: ``(writer, family_id, person_ids)``: erases a family's rows in a table another feature owns
#: (checklists, attendance, sync conflicts), inside the erasure's transaction.
Eraser = Callable[[Any, str, list], None]
#: The sentence for a family without consent to store it (quick capture, "New family", CLI, import).
STORE_CONSENT_NEEDED = N_("Without consent to store the contact details nothing can be saved.")

#: Why a stored family may be the one being typed, strongest first (``FamilyService.rank_duplicates``).
DUPLICATE_REASONS = ("phone", "email", "name")


def has_store_consent(family: Family) -> bool:
    """Whether some guardian's latest word on storing the contact details is "yes"."""
    latest: dict[str, bool] = {}
    for entry in sorted(family.consents, key=lambda e: e.at):
        if entry.purpose == Purpose.STORE:
            latest[entry.person_id] = entry.granted
    guardians = {g.id for g in family.guardians} | {getattr(g, "ref", "") for g in family.guardians}
    return any(granted and person in guardians for person, granted in latest.items())


class FamilyService:
    def __init__(self, store: Store, erasers: Sequence[Eraser]) -> None:
        """``erasers``: what an erasure must also do, given by the composition root (``app.erasers()``)."""
        self.store = store
        self.erasers = tuple(erasers)

    @property
    def actor(self) -> str:
        return self.store.info.name

    # ---------------------------------------------------------------- reading
    def get(self, family_id: str) -> Family:
        return repo.load_family(self.store.conn, family_id)

    def document(self, family_id: str) -> dict[str, Any]:
        """The portable document: GDPR access (Art. 15) and portability (Art. 20) copy."""
        return family_to_document(self.get(family_id))

    def list(self, search: str = "", limit: int | None = None, offset: int = 0) -> list[repo.FamilyRow]:
        return repo.list_families(self.store.conn, search, limit, offset)

    def count(self) -> int:
        return repo.count_families(self.store.conn)

    def family_of_person(self, person_id: str) -> str:
        return repo.family_of_person(self.store.conn, person_id)

    def find_duplicates(self, phones=(), emails=(), names=(), exclude: str = "") -> list[repo.FamilyRow]:
        """Families sharing a normalised phone or e-mail, or a name across spellings and scripts."""
        return [row for row, _reason in self.rank_duplicates(phones, emails, names, exclude)]

    def rank_duplicates(self, phones=(), emails=(), names=(), exclude: str = "") -> list[tuple[repo.FamilyRow, str]]:
        """(row, reason) best first: the same phone, then the same e-mail, then a similar name.

        ``reason`` is one of ``DUPLICATE_REASONS``; a family found in several ways counts by its strongest.
        """
        conn = self.store.conn
        reasons: dict[str, str] = {}

        def add(found, reason: str) -> None:
            for fid in found:
                if fid != exclude:
                    reasons.setdefault(fid, reason)

        for raw in phones:
            try:
                number = normalise_phone(raw)
            except ValidationError:
                continue
            add((r[0] for r in conn.execute(
                "SELECT p.family_id FROM channels c JOIN persons p ON p.id = c.person_id"
                " WHERE c.kind IN ('phone', 'messenger') AND c.value = ? AND c.deleted IS NULL AND p.deleted IS NULL",
                (number,))), "phone")
        for raw in emails:
            try:
                address = normalise_email(raw)
            except ValidationError:
                continue
            add((r[0] for r in conn.execute(
                "SELECT p.family_id FROM channels c JOIN persons p ON p.id = c.person_id"
                " WHERE c.kind = 'email' AND lower(c.value) = lower(?) AND c.deleted IS NULL AND p.deleted IS NULL",
                (address,))), "email")
        for name in names:
            if len(words(name)) >= 2:  # given name and family name, or it would match half the town
                add(repo.search_family_ids(conn, name, limit=20), "name")
        if not reasons:
            return []
        rows = repo.rows_for_ids(conn, list(reasons))
        ranked = sorted(reasons, key=lambda fid: DUPLICATE_REASONS.index(reasons[fid]))  # stable: found order kept
        return [(rows[fid], reasons[fid]) for fid in ranked if fid in rows]

    # ---------------------------------------------------------------- writing
    def add(self, document: Any) -> Family:
        """Store a new family: only with a guardian's consent to store it (the one rule for every way in)."""
        family = parse_family_document(document, recorded_by=self.actor)
        if not has_store_consent(family):
            raise ValidationError(STORE_CONSENT_NEEDED)
        with self.store.write(self.actor, "family.add") as writer:
            family = repo.insert_family(writer, family)
            writer.audit("family.created", family.id)
        return self.get(family.id)

    def update(self, family_id: str, document: Any) -> Family:
        """Apply edits from a document: guardians/children matched by id; consents are not touched here."""
        if not isinstance(document, dict):
            raise ValidationError(N_("{field}: expected an object."), field="document")
        parsed = parse_family_document({k: v for k, v in document.items() if k != "consents"}, self.actor)
        current = self.get(family_id)
        with self.store.write(self.actor, "family.update", family_id) as writer:
            writer.update("families", family_id, {"notes": parsed.notes})
            self._sync_persons(writer, family_id, current, parsed)
            repo.index_family(writer, family_id)
        return self.get(family_id)

    def _sync_persons(self, writer, family_id: str, current: Family, parsed: Family) -> None:
        known = {p.id for p in current.persons()}
        seen: set[str] = set()
        for position, guardian in enumerate(parsed.guardians):
            if guardian.ref in known:
                seen.add(guardian.ref)
                writer.update("persons", guardian.ref, {
                    "name": guardian.name, "languages": json.dumps(guardian.languages),
                    "address": guardian.address, "position": position})
                repo.write_channels(writer, guardian.ref, guardian)
            else:
                repo.insert_guardian(writer, family_id, guardian, position)
        for position, child in enumerate(parsed.children):
            values = {"name": child.first_name, "grade": child.grade, "school": child.school,
                      "school_year": child.school_year, "position": position}
            if child.ref in known:
                seen.add(child.ref)
                writer.update("persons", child.ref, values)
            else:
                repo.insert_child(writer, family_id, child, position)
        for person in current.persons():
            if person.id not in seen:
                self._erase_person(writer, person.id)

    def _erase_person(self, writer, person_id: str) -> None:
        for (channel_id,) in writer.conn.execute("SELECT id FROM channels WHERE person_id = ?", (person_id,)).fetchall():
            writer.erase("channels", channel_id)
        writer.erase("persons", person_id)

    def add_guardian(self, family_id: str, guardian_document: Any) -> Family:
        guardian = parse_guardian(guardian_document, "guardian")
        current = self.get(family_id)
        with self.store.write(self.actor, "family.add_guardian", family_id) as writer:
            repo.insert_guardian(writer, family_id, guardian, len(current.guardians))
            repo.index_family(writer, family_id)
        return self.get(family_id)

    def add_child(self, family_id: str, child_document: Any) -> Family:
        child = parse_child(child_document, "child")
        current = self.get(family_id)
        with self.store.write(self.actor, "family.add_child", family_id) as writer:
            repo.insert_child(writer, family_id, child, len(current.children))
            repo.index_family(writer, family_id)
        return self.get(family_id)

    def erase(self, family_id: str) -> None:
        """GDPR Art. 17: personal data gone from this store, tombstones kept so it never comes back."""
        family = self.get(family_id)
        family_id = family.id           # an id merged into another family names its survivor
        with self.store.write(self.actor, "family.erase", family_id) as writer:
            for person in family.persons():
                self._erase_person(writer, person.id)
            for absorbed in repo.absorbed_into(writer.conn, family_id):   # pointers of merges keep notes
                writer.erase("families", absorbed)
            writer.erase("families", family_id)
            writer.conn.execute("UPDATE families SET erased = ? WHERE id = ?", (writer.stamp, family_id))
            writer.replace_search_rows(family_id, [])
            for eraser in self.erasers:  # checklists, attendance, sync conflicts (see app.erasers)
                eraser(writer, family_id, [p.id for p in family.persons()])

    def exists(self, family_id: str) -> bool:
        try:
            self.get(family_id)
        except NotFoundError:
            return False
        return True

