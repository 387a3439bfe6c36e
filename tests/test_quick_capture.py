"""The quick capture's rules, below the UI: one document for FamilyService.add."""

from __future__ import annotations

import pytest

from elternlotse.domain.consent import Channel, Evidence, Purpose
from elternlotse.domain.errors import ValidationError
from elternlotse.services.quick_capture import Capture, CaptureChild, capture_document

STORE = (Purpose.STORE, None)


def capture(**extra) -> Capture:
    values = dict(name="Ayşe Yılmaz", language="tr", phone="0176 1234 5678", consents={STORE}, evidence=Evidence.SIGNED_FORM,
                  text_version="2026-1", text_language="tr", at="2026-11-20T15:00:00Z")
    values.update(extra)
    return Capture(**values)


def test_document_carries_evidence_text_version_and_language_on_every_consent(services):
    doc = capture_document(capture(consents={STORE, (Purpose.CONTACT, Channel.SMS), (Purpose.PHOTOS, None)},
                                   children=[CaptureChild(9, "Elif", "Gesamtschule Haspe"), CaptureChild()]))
    assert [c["purpose"] for c in doc["consents"]] == ["store", "contact", "photos"]
    assert doc["consents"][1]["channel"] == "sms"
    assert {(c["text_version"], c["text_language"], c["evidence"]) for c in doc["consents"]} == {
        ("2026-1", "tr", "signed_form")}
    assert doc["guardians"][0]["phones"] == ["+4917612345678"]
    assert len(doc["children"]) == 1 and doc["children"][0]["grade"] == 9
    family = services.families.add(doc)
    assert {(e.purpose, e.channel) for e in family.consents} == {
        STORE, (Purpose.CONTACT, Channel.SMS), (Purpose.PHOTOS, None)}


@pytest.mark.parametrize("extra, words", [
    ({"name": "  "}, "parent's name"),
    ({"consents": {(Purpose.EVENT_INVITATIONS, None)}}, "consent to store"),
    ({"consents": {STORE, (Purpose.CONTACT, Channel.EMAIL)}}, "no e-mail address"),
    ({"consents": {STORE, (Purpose.CONTACT, Channel.MESSENGER)}}, "no messenger"),
    ({"phone": "12"}, "Phone: '12' is not a valid phone number."),
    ({"email": "ayse@"}, "E-mail: 'ayse@' is not a valid e-mail address."),
    ({"evidence": Evidence.VERBAL_WITH_WITNESS}, "witness"),
    ({"evidence": Evidence.VERBAL}, "not a kind of evidence"),
    ({"children": [CaptureChild(7), CaptureChild(0, "Elif")]}, "Child 2: please enter the grade"),
    ({"evidence": None}, "how consent was given"),
])
def test_refusals_are_one_sentence(extra, words, services):
    with pytest.raises(ValidationError) as error:
        services.families.add(capture_document(capture(**extra)))
    assert words in str(error.value)
    assert services.families.count() == 0
