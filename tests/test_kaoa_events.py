"""Events: documents, attendance with headcount, handouts, and the invitation list gated by consent."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from elternlotse.domain.errors import NotFoundError, ValidationError
from tests.conftest import family_document

CAFE = {
    "type": "family_cafe", "title": "Potenzialanalyse – was passiert da?", "starts": "2026-10-08T16:30",
    "ends": "2026-10-08T18:30", "place": "Gesamtschule Haspe, Mensa", "topics": ["pa"],
    "speakers": [{"name": "Frau Berg", "role": "career_counselling"}, {"name": "Herr Aksoy", "role": "stubo"}],
    "languages": ["de", "tr", "ar"], "interpreter": True,
    "handouts": [{"topic": "pa", "language": "tr", "count": 5}, {"topic": "pa", "language": "tr", "count": 2}],
}


def _family(services, name, phone, grade, invitations=True, contact=True):
    doc = family_document(name=name, phone=phone, children=[{"id": "c1", "first_name": "Kind", "grade": grade,
                                                               "school_year": "2026/27"}])
    doc["consents"] = [c for c in doc["consents"]
                       if (invitations or c["purpose"] != "invitations") and (contact or c["purpose"] != "contact")]
    return services.families.add(doc)


def test_event_document_round_trip_and_place_belongs_to_the_event(services):
    event = services.events.add(CAFE)
    doc = services.events.document(event.id)
    assert doc["place"] == "Gesamtschule Haspe, Mensa" and doc["interpreter"] is True
    assert doc["handouts"] == [{"topic": "pa", "language": "tr", "count": 7}]
    assert [s["role"] for s in doc["speakers"]] == ["career_counselling", "stubo"]
    columns = [r[1] for r in services.store.conn.execute("PRAGMA table_info(persons)")]
    assert "place" not in columns
    again = services.events.add({k: v for k, v in doc.items() if k not in ("id", "counts", "created", "updated")})
    assert services.events.document(again.id)["topics"] == ["pa"]


@pytest.mark.parametrize("change, field", [
    ({"type": "party"}, "type"), ({"starts": "3.12.2026"}, "starts"), ({"ends": "2026-10-08T15:00"}, "ends"),
    ({"topics": ["astrology"]}, "topics[0]"), ({"speakers": [{"name": "X", "role": "king"}]}, "speakers[0].role"),
    ({"languages": ["xx-yy-zz"]}, "languages[0]"), ({"interpreter": "yes"}, "interpreter"),
    ({"headcount": -1}, "headcount"), ({"nationality": "x"}, "nationality"),
])
def test_broken_event_documents_are_refused(services, change, field):
    with pytest.raises(ValidationError) as error:
        services.events.add({**CAFE, **change})
    assert str(error.value).startswith(field)
    assert services.store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_attendance_and_headcount(services):
    family = _family(services, "Ayşe Yılmaz", "0176 1234 5678", 8)
    event = services.events.add(CAFE)
    services.events.attend(event.id, family.id)
    services.events.attend(event.id, family.id)  # ticking twice is one attendance
    event = services.events.set_headcount(event.id, 6)
    assert event.family_count == 1 and event.headcount == 6
    event = services.events.attend(event.id, family.id, present=False)
    assert event.family_count == 0
    with pytest.raises(NotFoundError):
        services.events.attend(event.id, "no-such-family")
    with pytest.raises(ValidationError):
        services.events.set_headcount(event.id, -3)
    event = services.events.add_handouts(event.id, "pa", "ar", 3)
    assert {(h.topic, h.language, h.count) for h in event.handouts} == {("pa", "tr", 7), ("pa", "ar", 3)}


def test_invitations_only_with_consent_and_a_consented_channel(services):
    invited = _family(services, "Ayşe Yılmaz", "0176 1234 5678", 8)
    no_invitation_consent = _family(services, "Olena Kovalenko", "0151 2345 6789", 8, invitations=False)
    no_channel = _family(services, "Karim Haddad", "0157 3456 7890", 8, contact=False)
    wrong_stage = _family(services, "Piotr Nowak", "0160 4567 8901", 10)
    event = services.events.add(CAFE)
    invitations = services.events.invitations(event.id)
    assert [inv.family_id for inv in invitations] == [invited.id]
    inv = invitations[0]
    assert inv.channel.channel == "phone" and inv.channel.value == "+4917612345678"
    assert inv.children[0][3] == "pa"
    ids = {inv.family_id for inv in invitations}
    assert not ids & {no_invitation_consent.id, no_channel.id, wrong_stage.id}

    # withdrawing the invitations consent removes the family at once
    withdrawal = services.consent.withdraw(invited.guardians[0].id, "invitations")
    assert services.events.invitations(event.id) == []
    later = (datetime.fromisoformat(withdrawal.at.replace("Z", "+00:00")) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    services.consent.grant(invited.guardians[0].id, "invitations", at=later)
    assert [inv.family_id for inv in services.events.invitations(event.id)] == [invited.id]
    # withdrawing the only contact channel removes it too
    services.consent.withdraw(invited.guardians[0].id, "contact", "phone")
    assert services.events.invitations(event.id) == []


def test_event_before_grade_8_invites_families_whose_next_stage_it_is(services):
    grade7 = _family(services, "Ayşe Yılmaz", "0176 1234 5678", 7)
    summer = services.events.add({**CAFE, "starts": "2027-06-20T17:00", "ends": "", "topics": ["bo-info"]})
    assert [inv.family_id for inv in services.events.invitations(summer.id)] == [grade7.id]


def test_cli_events_end_to_end(cli, tmp_path):
    assert cli("init", "--name", "Ayla").code == 0
    fam = tmp_path / "family.json"
    fam.write_text(json.dumps(family_document()), encoding="utf-8")
    family_id = cli("family", "add", str(fam)).out.strip()
    event_id = cli("event", "add", "-", stdin=json.dumps(CAFE)).out.strip()
    assert len(event_id) == 36

    listed = cli("event", "list", "--json").json()
    assert listed[0]["id"] == event_id and listed[0]["families"] == 0
    invitations = cli("event", "invitations", event_id, "--json").json()
    assert [i["family_id"] for i in invitations] == [family_id] and invitations[0]["channel"]["channel"] == "phone"
    assert "+4917612345678" in cli("event", "invitations", event_id).out

    assert cli("event", "attend", event_id, "--family", family_id).code == 0
    assert cli("event", "attend", event_id, "--headcount", "4").code == 0
    assert cli("event", "handouts", event_id, "--topic", "pa", "--language", "ar", "--count", "2").code == 0
    shown = cli("event", "show", event_id, "--json").json()
    assert shown["counts"] == {"families": 1, "headcount": 4, "handouts": 9}
    assert shown["attendance"][0]["family"] == family_id
    assert "Gesamtschule Haspe" in cli("event", "show", event_id).out

    bad = cli("event", "add", "-", stdin=json.dumps({**CAFE, "type": "party"}))
    assert bad.code == 1 and bad.err.count("\n") == 1 and bad.out == ""
    assert cli("event", "attend", event_id).code == 1
    assert cli("event", "show", "no-such-event").code == 1
    assert len(cli("event", "list", "--json").json()) == 1
