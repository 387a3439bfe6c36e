"""How a family may be reached: the channels its guardians currently consent to, with the stored values.

Consent is derived from the append-only history at every call (``domain.consent.derive``),
so a withdrawal takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from elternlotse.domain.consent import Channel, Purpose, derive
from elternlotse.store import kaoa as repo

#: Which stored channel kind carries a consented contact channel.
_CHANNEL_KINDS = {Channel.PHONE: "phone", Channel.SMS: "phone", Channel.EMAIL: "email", Channel.MESSENGER: "messenger"}


@dataclass(frozen=True)
class ContactOption:
    guardian_id: str
    guardian: str
    channel: str      # phone, sms, email, messenger, post
    value: str        # the number, address or handle
    app: str = ""     # messenger name

    def as_json(self) -> dict:
        data = {"guardian_id": self.guardian_id, "guardian": self.guardian, "channel": self.channel, "value": self.value}
        if self.app:
            data["app"] = self.app
        return data


@dataclass
class FamilyReach:
    family_id: str
    name: str
    languages: list[str] = field(default_factory=list)
    contacts: list[ContactOption] = field(default_factory=list)          # consented to contact
    invitation_contacts: list[ContactOption] = field(default_factory=list)  # of guardians consenting to invitations

    @property
    def invitable(self) -> bool:
        return bool(self.invitation_contacts)


def family_reach(conn, family_ids: list[str] | None = None) -> dict[str, FamilyReach]:
    guardians = repo.guardian_contacts(conn, family_ids)
    person_ids = [g.person_id for members in guardians.values() for g in members]
    history: dict[str, list] = {}
    for entry in repo.consent_entries(conn, person_ids):
        history.setdefault(entry.person_id, []).append(entry)
    found: dict[str, FamilyReach] = {}
    for family_id, members in guardians.items():
        reach = FamilyReach(family_id, " / ".join(g.name for g in members) or "?")
        for guardian in members:
            for tag in guardian.languages:
                if tag not in reach.languages:
                    reach.languages.append(tag)
            state = derive(guardian.person_id, history.get(guardian.person_id, []))
            options = []
            for channel in state.contact_channels():
                if channel is Channel.POST:
                    if guardian.address:
                        options.append(ContactOption(guardian.person_id, guardian.name, channel.value, guardian.address))
                    continue
                for kind, value, app in guardian.channels:
                    if kind == _CHANNEL_KINDS[channel] and value:
                        options.append(ContactOption(guardian.person_id, guardian.name, channel.value, value, app))
            reach.contacts.extend(options)
            if state.allows(Purpose.EVENT_INVITATIONS):
                reach.invitation_contacts.extend(options)
        found[family_id] = reach
    return found
