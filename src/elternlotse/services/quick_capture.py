"""Quick capture at a stand: what the navigator typed, turned into one portable family document.

The quick capture screen reads its widgets into a ``Capture`` and calls
``capture_document``; the result goes to ``FamilyService.add`` in one call.
The rules live here, not in the screen: a family is only stored with consent
to store it, a ticked channel needs its address, the evidence and the consent
text version and language are recorded with every consent entry.  Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from elternlotse.domain.consent import CHANNELLED_PURPOSES, Channel, Evidence, Purpose
from elternlotse.domain.contact import normalise_email, normalise_phone
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.family import DOCUMENT_FORMAT
from elternlotse.domain.schoolyear import current_school_year
from elternlotse.domain.text import N_
from elternlotse.i18n import _

#: Evidence a quick capture can record (the stand has a paper form or a witness).
CAPTURE_EVIDENCE = (Evidence.SIGNED_FORM, Evidence.VERBAL_WITH_WITNESS)


@dataclass
class CaptureChild:
    grade: int = 0           # 0: no grade entered (the row is ignored when also empty otherwise)
    first_name: str = ""
    school: str = ""

    def is_empty(self) -> bool:
        return not self.grade and not self.first_name.strip() and not self.school.strip()


@dataclass
class Capture:
    name: str = ""
    language: str = "de"
    phone: str = ""
    email: str = ""
    messenger: str = ""      # the messenger's name (WhatsApp, Signal, Telegram, ...)
    children: list[CaptureChild] = field(default_factory=list)
    consents: set[tuple[Purpose, Channel | None]] = field(default_factory=set)
    evidence: Evidence | None = None  # chosen on purpose: never preselected
    witness: str = ""
    text_version: str = ""
    text_language: str = ""
    at: str = ""             # when consent was given; now if empty
    today: date | None = None


EVIDENCE_NEEDED = N_("Please choose how consent was given: signed paper form or verbally with a witness.")
GRADE_NEEDED = N_("Child {number}: please enter the grade (1 to 13).")

CHANNEL_NEEDS = {
    Channel.PHONE: ("phone", N_("A phone call is ticked, but no phone number was entered.")),
    Channel.SMS: ("phone", N_("SMS is ticked, but no phone number was entered.")),
    Channel.EMAIL: ("email", N_("E-mail is ticked, but no e-mail address was entered.")),
    Channel.MESSENGER: ("messenger", N_("Messenger is ticked, but no messenger name was entered.")),
}


def capture_document(capture: Capture) -> dict[str, Any]:
    """The portable family document for ``FamilyService.add``; refuses with one sentence."""
    if not capture.name.strip():
        raise ValidationError(N_("Please enter the parent's name."))
    if (Purpose.STORE, None) not in capture.consents:
        raise ValidationError(N_("Without consent to store the contact details nothing can be saved."))
    for purpose, channel in capture.consents:
        if (purpose in CHANNELLED_PURPOSES) != (channel is not None):
            raise ValidationError(N_("{field}: the purpose '{purpose}' needs a channel."),
                                  field="consents", purpose=purpose.value)
        need = CHANNEL_NEEDS.get(channel) if channel else None
        if need and not getattr(capture, need[0]).strip():
            raise ValidationError(need[1])
    if capture.evidence is None:
        raise ValidationError(EVIDENCE_NEEDED)
    if capture.evidence not in CAPTURE_EVIDENCE:
        raise ValidationError(N_("{field}: '{value}' is not a kind of evidence (one of: {allowed})."),
                              field="evidence", value=capture.evidence.value,
                              allowed=", ".join(e.value for e in CAPTURE_EVIDENCE))
    if capture.evidence == Evidence.VERBAL_WITH_WITNESS and not capture.witness.strip():
        raise ValidationError(N_("Consent given verbally needs the witness's name."))
    if not capture.text_version:
        raise ValidationError(N_("{field}: must not be empty."), field="text_version")

    # Checked here with the field's label, so the sentence names "Phone", not "guardians[0].phones[0]".
    phone = normalise_phone(capture.phone, _("Phone")) if capture.phone.strip() else ""
    email = normalise_email(capture.email, _("E-mail")) if capture.email.strip() else ""
    guardian: dict[str, Any] = {"id": "g1", "name": capture.name.strip(), "languages": [capture.language]}
    if phone:
        guardian["phones"] = [phone]
    if email:
        guardian["emails"] = [email]
    if capture.messenger.strip():
        guardian["messenger"] = [{"app": capture.messenger.strip(), "handle": phone}]

    school_year = current_school_year(capture.today or date.today())
    children = []
    for number, child in enumerate(capture.children, start=1):
        if child.is_empty():
            continue
        if not 1 <= child.grade <= 13:
            raise ValidationError(GRADE_NEEDED, number=number)
        children.append({"first_name": child.first_name.strip(), "grade": child.grade,
                         "school": child.school.strip(), "school_year": school_year})
    at = capture.at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    order = {p: i for i, p in enumerate(Purpose)} | {c: i for i, c in enumerate(Channel)}
    consents = []
    for purpose, channel in sorted(capture.consents, key=lambda pc: (order[pc[0]], order.get(pc[1], -1))):
        entry = {"person": "g1", "purpose": purpose.value, "granted": True, "at": at,
                 "evidence": capture.evidence.value, "text_version": capture.text_version,
                 "text_language": capture.text_language or "de"}
        if channel is not None:
            entry["channel"] = channel.value
        consents.append(entry)
    notes = ""
    if capture.evidence == Evidence.VERBAL_WITH_WITNESS:
        notes = _("Consent given verbally; witness: {witness}.").format(witness=capture.witness.strip())
    return {"format": DOCUMENT_FORMAT, "guardians": [guardian], "children": children,
            "consents": consents, "notes": notes}
