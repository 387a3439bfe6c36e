"""Contacts and anonymous tallies: recorded in seconds, checked like typed input, synced under consent, erased."""

from __future__ import annotations

from datetime import date

import pytest
from sync_helpers import link, shared_document

from elternlotse.domain.contact_log import Contact, Tally
from elternlotse.domain.errors import NotFoundError, ValidationError
from tests.conftest import family_document

TODAY = date(2026, 12, 2)


@pytest.fixture
def contacts(services):
    services.contacts.today = lambda: TODAY
    return services.contacts


def test_a_contact_is_recorded_with_the_family_language_by_default(services, contacts):
    family = services.families.add(family_document())
    saved = contacts.add(Contact(family_id=family.id, on="2026-12-01", format="parent_teacher_day",
                                 topics=["pa", "bfe", "pa"], referral="career_counselling", follow_up="2027-01-15"))
    [listed] = contacts.list(family.id)
    assert listed.id == saved.id and listed.language == "tr" and listed.topics == ["pa", "bfe"]
    assert listed.recorded_by == "Ayla Navigator" and listed.follow_up == "2027-01-15"
    audit = services.store.conn.execute("SELECT action, target FROM audit WHERE action = 'contact.add'").fetchall()
    assert audit == [("contact.add", family.id)]


@pytest.mark.parametrize("change, field", [
    ({"format": "party"}, "format"),
    ({"on": "02.12.2026"}, "on"),
    ({"on": "2027-06-01"}, "on"),                      # in the future
    ({"language": "Türkisch"}, "language"),
    ({"topics": ["not-a-stage"]}, "topics[0]"),
    ({"topics": ["Bad Key!"]}, "topics[0]"),
    ({"follow_up": "2026-11-01"}, "follow_up"),        # before the contact
    ({"outcome": "maybe"}, "outcome"),
    ({"note": "x" * 2001}, "note"),
    ({"note": "nul\x00byte"}, "note"),
])
def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(services, contacts, change, field):
    family = services.families.add(family_document())
    values = {"family_id": family.id, "on": "2026-12-01", "format": "phone_call", **change}
    with pytest.raises(ValidationError) as refused:
        contacts.add(Contact(**values))
    assert refused.value.params.get("field") == field
    assert contacts.list() == []


def test_a_contact_needs_a_family_in_the_store(contacts):
    with pytest.raises(NotFoundError):
        contacts.add(Contact(family_id="no-such-family", on="2026-12-01", format="phone_call"))


def test_a_tally_counts_without_creating_anyone(services, contacts):
    persons_before = services.store.conn.execute("SELECT count(*) FROM persons").fetchone()[0]
    tally = contacts.tally(Tally(on="2026-12-01", format="training_fair_tour", count=12, language="ar",
                                 topics=["applications"]))
    assert [t.id for t in contacts.tallies()] == [tally.id]
    assert services.store.conn.execute("SELECT count(*) FROM persons").fetchone()[0] == persons_before
    for bad in (0, -3, 10_001, True):
        with pytest.raises(ValidationError):
            contacts.tally(Tally(on="2026-12-01", format="training_fair_tour", count=bad))
    assert len(contacts.tallies()) == 1


def test_erasure_removes_what_identifies_and_keeps_the_anonymous_count(services, contacts):
    family = services.families.add(family_document())
    contacts.add(Contact(family_id=family.id, on="2026-12-01", format="home_visit", note="Vater arbeitet nachts",
                         referral="Herr Becker, Autohaus Becker"))
    services.families.erase(family.id)
    assert contacts.list() == []
    text = services.store.dump_text()
    assert "Vater arbeitet nachts" not in text and "Autohaus Becker" not in text
    row = services.store.conn.execute("SELECT family_id, day, format FROM contacts").fetchone()
    assert row == ("", "2026-12-01", "home_visit")


def test_contacts_travel_to_the_office_only_under_office_consent(services, office_services, tmp_path):
    nav, office = services, office_services
    nav.contacts.today = lambda: TODAY
    link(nav, office)
    shared = nav.families.add(shared_document())
    hidden = nav.families.add(family_document(name="Verborgen Geheim", phone="0176 5555 4444"))
    nav.contacts.add(Contact(family_id=shared.id, on="2026-12-01", format="phone_call", note="erreicht, Termin BIZ"))
    nav.contacts.add(Contact(family_id=hidden.id, on="2026-12-01", format="phone_call", note="Geheimnotiz"))
    nav.contacts.tally(Tally(on="2026-12-01", format="parent_teacher_day", count=7, language="uk"))
    nav.sync.export(tmp_path / "1.elsync")
    office.sync.import_files([tmp_path / "1.elsync"])
    assert [c.note for c in office.contacts.list()] == ["erreicht, Termin BIZ"]
    assert [(t.count, t.language) for t in office.contacts.tallies()] == [(7, "uk")]
    assert "Geheimnotiz" not in office.store.dump_text()


def test_cli_add_tally_and_list(cli, tmp_path):
    assert cli("init", "--name", "Ayla").code == 0
    doc = tmp_path / "family.json"
    import json

    doc.write_text(json.dumps(family_document()), encoding="utf-8")
    family_id = cli("family", "add", str(doc)).out.strip()
    added = cli("contact", "add", family_id, "--format", "individual_talk", "--on", "2026-11-30", "--topic", "pa",
                "--topic", "bfe", "--interpreter", "--referral", "jmd", "--follow-up", "2026-12-14", "--note", "Kurz")
    assert added.code == 0, added.err
    assert cli("contact", "tally", "--format", "training_fair_tour", "--count", "12", "--language", "ar",
               "--on", "2026-11-30").code == 0
    listed = cli("contact", "list", "--json").json()
    [contact] = listed["contacts"]
    assert contact["family"] == family_id and contact["topics"] == ["pa", "bfe"] and contact["interpreter"] is True
    assert listed["tallies"][0]["count"] == 12
    assert cli("contact", "list", "--family", family_id, "--json").json()["tallies"] == []
    assert cli("contact", "list", "--from", "2026-12-01", "--json").json()["contacts"] == []
    text = cli("contact", "list")
    assert "2026-11-30" in text.out and text.code == 0

    refused = cli("contact", "add", family_id, "--format", "party")
    assert refused.code == 1 and "format" in refused.err and "Traceback" not in refused.err
    assert cli("contact", "tally", "--format", "phone_call", "--count", "zwölf").code == 2
    assert len(cli("contact", "list", "--json").json()["contacts"]) == 1
