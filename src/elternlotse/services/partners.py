"""The partners directory: kept by the office, read (never changed) by its navigators.

Partners are synced records (``store/tables.py``), office-owned (``domain/records.py``
``OFFICE_OWNED``): an office's package carries them to every navigator it syncs with, and a
navigator's file that creates or changes one is refused record by record
(``services/sync_trust.py``).  Referrals on contacts and speakers on events pick from here.
"""

from __future__ import annotations

from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.partners import PARTNER_KINDS, Partner, check_partner
from elternlotse.domain.text import N_
from elternlotse.services.roster import require_office
from elternlotse.store import Store
from elternlotse.store import roster as repo


class PartnerService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def actor(self) -> str:
        return self.store.info.name

    def list(self, kind: str = "") -> list[Partner]:
        if kind and kind not in PARTNER_KINDS:
            raise ValidationError(N_("{field}: '{value}' is not one of: {allowed}."), field="kind", value=kind,
                                  allowed=", ".join(PARTNER_KINDS))
        return sorted(repo.partners(self.store.conn, kind), key=lambda p: (p.name.casefold(), p.id))

    def get(self, partner_id: str) -> Partner:
        partner = repo.partner(self.store.conn, partner_id)
        if partner is None:
            raise NotFoundError(N_("No partner with the id {id}."), id=partner_id)
        return partner

    def add(self, partner: Partner) -> Partner:
        require_office(self.store)
        partner = check_partner(partner)
        with self.store.write(self.actor, "partner.add") as writer:
            partner.id = repo.insert_partner(writer, partner)
        return partner

    def edit(self, partner: Partner) -> Partner:
        require_office(self.store)
        self.get(partner.id)
        partner = check_partner(partner)
        with self.store.write(self.actor, "partner.edit", partner.id) as writer:
            repo.update_partner(writer, partner)
        return partner

    def remove(self, partner_id: str) -> None:
        """Erase a partner (its contact person, phone, e-mail, notes) here; the tombstone reaches the navigators."""
        require_office(self.store)
        self.get(partner_id)
        with self.store.write(self.actor, "partner.remove", partner_id) as writer:
            writer.erase("partners", partner_id)

    def referral_text(self, value: str) -> str:
        """A referral as typed: a partner's id becomes its label ("BIZ Hagen (Frau Kaya)"), else unchanged."""
        value = (value or "").strip()
        partner = repo.partner(self.store.conn, value) if value else None
        return partner.label() if partner is not None else value
