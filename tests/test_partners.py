"""The partners directory: kept by the office, sent to navigators in the office package, never changed by them."""

from __future__ import annotations

import pytest
from sync_helpers import link, send

from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.partners import Partner


def biz(**extra) -> Partner:
    values = {"kind": "career_counselling", "name": "BIZ Hagen", "contact_person": "Frau Kaya",
              "phone": "02331 202 0", "email": " Biz.Hagen@Arbeitsagentur.de ", "languages": ["de", "TR"]}
    return Partner(**{**values, **extra})


def test_a_partner_is_kept_with_checked_phone_email_and_languages(office_services):
    saved = office_services.partners.add(biz())
    [listed] = office_services.partners.list()
    assert listed.id == saved.id and listed.phone == "+4923312020" and listed.languages == ["de", "tr"]
    assert listed.email.endswith("@arbeitsagentur.de") and listed.label() == "BIZ Hagen (Frau Kaya)"
    assert office_services.partners.list("chamber") == []
    office_services.partners.edit(Partner(**{**listed.__dict__, "contact_person": "Herr Öztürk"}))
    assert office_services.partners.get(saved.id).contact_person == "Herr Öztürk"


@pytest.mark.parametrize("change, field", [
    ({"kind": "bank"}, "kind"), ({"name": ""}, "name"), ({"phone": "12"}, "phone"), ({"email": "no-at-sign"}, "email"),
    ({"languages": ["Deutsch"]}, "languages[0]"), ({"notes": "x\x00"}, "notes"),
])
def test_bad_partner_input_is_refused_and_nothing_is_written(office_services, change, field):
    with pytest.raises(ValidationError) as refused:
        office_services.partners.add(biz(**change))
    assert refused.value.params["field"] == field
    assert office_services.partners.list() == []


def test_a_navigator_reads_the_directory_but_does_not_keep_it(services):
    with pytest.raises(ValidationError):
        services.partners.add(biz())
    with pytest.raises(NotFoundError):
        services.partners.get("no-such-partner")


def test_partners_travel_to_navigators_in_the_office_package(services, office_services, tmp_path):
    nav, office = services, office_services
    link(nav, office)
    partner = office.partners.add(biz())
    office.partners.add(biz(kind="jmd", name="JMD Hagen", phone="", email="", contact_person=""))
    nav.sync.import_files([send(office, nav, tmp_path, "1.elsync")])
    assert [p.name for p in nav.partners.list()] == ["BIZ Hagen", "JMD Hagen"]
    office.partners.edit(Partner(**{**office.partners.get(partner.id).__dict__, "phone": "+49 2331 999 0"}))
    nav.sync.import_files([send(office, nav, tmp_path, "2.elsync")])
    assert nav.partners.get(partner.id).phone == "+4923319990"


def test_a_removed_partner_is_erased_at_the_office_and_on_the_navigator_s_laptop(services, office_services, tmp_path):
    nav, office = services, office_services
    link(nav, office)
    partner = office.partners.add(biz(contact_person="Frau Wiebke Sonnenschein"))
    nav.sync.import_files([send(office, nav, tmp_path, "1.elsync")])
    office.partners.remove(partner.id)
    nav.sync.import_files([send(office, nav, tmp_path, "2.elsync")])
    for side in (office, nav):
        assert side.partners.list() == []
        assert "Sonnenschein" not in side.store.dump_text()


def test_a_navigator_s_file_changing_a_partner_is_refused(services, office_services, tmp_path):
    nav, office = services, office_services
    link(nav, office)
    partner = office.partners.add(biz())
    nav.sync.import_files([send(office, nav, tmp_path, "1.elsync")])
    # a tampered navigator app writes the directory anyway, and adds a partner of its own
    with nav.store.write("x", "tamper") as writer:
        writer.update("partners", partner.id, {"name": "Fake BIZ", "phone": "+4917612345678"})
        own = writer.insert("partners", {"kind": "other", "name": "Navigator's own", "contact_person": "",
                                          "phone": "", "email": "", "languages": "[]", "notes": ""})
    report = office.sync.import_files([send(nav, office, tmp_path, "2.elsync")])
    assert [f.status for f in report.files] == ["applied"]
    assert report.files[0].refused_records == 2
    assert office.partners.get(partner.id).name == "BIZ Hagen"
    assert [p.id for p in office.partners.list()] == [partner.id] and own not in office.store.dump_text()


def test_cli_partners(cli):
    assert cli("init", "--name", "KoKo Hagen", "--office").code == 0
    added = cli("partners", "add", "--kind", "chamber", "--name", "IHK Hagen", "--contact-person", "Herr Becker",
                "--phone", "02331 390 0", "--language", "de")
    assert added.code == 0, added.err
    partner_id = added.out.strip()
    assert cli("partners", "show", partner_id, "--json").json()["phone"] == "+4923313900"
    assert [p["name"] for p in cli("partners", "list", "--json").json()] == ["IHK Hagen"]
    assert "IHK Hagen" in cli("partners", "list").out
    assert cli("partners", "edit", partner_id, "--email", "info@hagen.ihk.de").code == 0
    assert "info@hagen.ihk.de" in cli("partners", "show", partner_id).out
    refused = cli("partners", "add", "--kind", "chamber", "--name", "X", "--phone", "abc")
    assert refused.code == 1 and "phone" in refused.err and "Traceback" not in refused.err
    assert len(cli("partners", "list", "--json").json()) == 1


def test_a_contact_refers_to_a_partner_of_the_directory_or_to_free_text(services, office_services, tmp_path):
    from datetime import date

    from elternlotse.domain.contact_log import Contact
    from tests.conftest import family_document

    link(services, office_services)
    partner = office_services.partners.add(biz())
    services.sync.import_files([send(office_services, services, tmp_path, "1.elsync")])
    services.contacts.today = lambda: date(2026, 12, 2)
    family = services.families.add(family_document())
    services.contacts.add(Contact(family_id=family.id, on="2026-12-01", format="phone_call", referral=partner.id))
    services.contacts.add(Contact(family_id=family.id, on="2026-12-01", format="phone_call", referral="Autohaus Becker"))
    assert sorted(c.referral for c in services.contacts.list(family.id)) == ["Autohaus Becker", "BIZ Hagen (Frau Kaya)"]
