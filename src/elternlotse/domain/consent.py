"""Consent per purpose and channel, as an append-only history.

The current state of a (person, purpose, channel) is derived from the history:
the entry with the latest ``at`` wins, a withdrawal wins a tie with a grant
(the careful reading), and the clock stamp breaks any remaining tie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_


class Purpose(str, Enum):
    STORE = "store"                  # keep the contact in the app at all
    CONTACT = "contact"              # contact the family (needs a channel)
    EVENT_INVITATIONS = "invitations"
    PASS_TO_OFFICE = "office"        # pass the data to the coordinating office
    PHOTOS = "photos"


class Channel(str, Enum):
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    MESSENGER = "messenger"
    POST = "post"


class Evidence(str, Enum):
    SIGNED_FORM = "signed_form"
    VERBAL_WITH_WITNESS = "verbal_witness"
    VERBAL = "verbal"
    WRITTEN_MESSAGE = "written_message"
    IMPORTED_LIST = "imported_list"  # a row of the office's own list (spreadsheet import); never chosen by hand


#: Purposes that are given per channel; the others have no channel.
CHANNELLED_PURPOSES = frozenset({Purpose.CONTACT})

#: Labels for people (msgids, translated where shown).
PURPOSE_LABELS = {
    Purpose.STORE: N_("Store the contact details"),
    Purpose.CONTACT: N_("Contact the family"),
    Purpose.EVENT_INVITATIONS: N_("Invitations to events"),
    Purpose.PASS_TO_OFFICE: N_("Pass data to the coordinating office"),
    Purpose.PHOTOS: N_("Photos at events"),
}
CHANNEL_LABELS = {
    Channel.PHONE: N_("Phone call"),
    Channel.SMS: N_("SMS"),
    Channel.EMAIL: N_("E-mail"),
    Channel.MESSENGER: N_("Messenger"),
    Channel.POST: N_("Post"),
}
EVIDENCE_LABELS = {
    Evidence.SIGNED_FORM: N_("Signed paper form"),
    Evidence.VERBAL_WITH_WITNESS: N_("Verbal, with a witness"),
    Evidence.VERBAL: N_("Verbal"),
    Evidence.WRITTEN_MESSAGE: N_("Written message from the parent"),
    Evidence.IMPORTED_LIST: N_("Imported from the office's list"),
}
#: Evidence a person can choose when recording consent by hand (an import sets its own).
CHOSEN_EVIDENCE = tuple(e for e in Evidence if e is not Evidence.IMPORTED_LIST)


def parse_purpose(value: str, where: str = "purpose") -> Purpose:
    try:
        return Purpose(value)
    except ValueError:
        raise ValidationError(
            N_("{field}: '{value}' is not a consent purpose (one of: {allowed})."),
            field=where, value=value, allowed=", ".join(p.value for p in Purpose),
        ) from None


def parse_channel(value: str | None, purpose: Purpose, where: str = "channel") -> Channel | None:
    if purpose not in CHANNELLED_PURPOSES:
        if value:
            raise ValidationError(
                N_("{field}: the purpose '{purpose}' has no channel."), field=where, purpose=purpose.value
            )
        return None
    if not value:
        raise ValidationError(
            N_("{field}: the purpose '{purpose}' needs a channel (one of: {allowed})."),
            field=where, purpose=purpose.value, allowed=", ".join(c.value for c in Channel),
        )
    try:
        return Channel(value)
    except ValueError:
        raise ValidationError(
            N_("{field}: '{value}' is not a contact channel (one of: {allowed})."),
            field=where, value=value, allowed=", ".join(c.value for c in Channel),
        ) from None


def parse_evidence(value: str, where: str = "evidence") -> Evidence:
    try:
        return Evidence(value)
    except ValueError:
        raise ValidationError(
            N_("{field}: '{value}' is not a kind of evidence (one of: {allowed})."),
            field=where, value=value, allowed=", ".join(e.value for e in Evidence),
        ) from None


@dataclass(frozen=True)
class ConsentEntry:
    person_id: str
    purpose: Purpose
    channel: Channel | None
    granted: bool
    at: str                   # ISO 8601 UTC time the parent gave or withdrew it
    recorded_by: str
    evidence: Evidence
    text_version: str = ""
    text_language: str = ""
    stamp: str = ""           # hybrid clock stamp of the recording
    id: str = ""

    @property
    def key(self) -> tuple[str, Purpose, Channel | None]:
        return (self.person_id, self.purpose, self.channel)


@dataclass
class ConsentState:
    """Derived state of one person's consents."""

    person_id: str
    current: dict[tuple[Purpose, Channel | None], ConsentEntry] = field(default_factory=dict)

    def allows(self, purpose: Purpose, channel: Channel | None = None) -> bool:
        entry = self.current.get((purpose, channel))
        return bool(entry and entry.granted)

    def contact_channels(self) -> list[Channel]:
        return [c for c in Channel if self.allows(Purpose.CONTACT, c)]


def _precedence(entry: ConsentEntry) -> tuple[str, int, str]:
    # Later time wins; at the same time a withdrawal (granted=False -> 1) wins.
    return (entry.at, 0 if entry.granted else 1, entry.stamp)


def derive(person_id: str, history: Iterable[ConsentEntry]) -> ConsentState:
    state = ConsentState(person_id)
    for entry in history:
        if entry.person_id != person_id:
            continue
        slot = (entry.purpose, entry.channel)
        known = state.current.get(slot)
        if known is None or _precedence(entry) > _precedence(known):
            state.current[slot] = entry
    return state
