"""The office's navigator roster: modules, police-record check, hours, allowance tallies, certificate."""

from __future__ import annotations

import contextlib
import io
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.roster import HoursEntry, Navigator, parse_module_catalogue, police_check_due
from elternlotse.services.roster import load_modules

TODAY = date(2026, 12, 2)


@pytest.fixture
def roster(office_services):
    office_services.roster.today = lambda: TODAY
    return office_services.roster


def pdf_text(data: bytes) -> str:
    return "\n".join(unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def test_the_default_catalogue_has_four_standard_and_three_optional_modules():
    modules = load_modules().modules
    assert sum(m.standard for m in modules) == 4 and sum(not m.standard for m in modules) == 3
    assert all("de" in m.titles and "en" in m.titles for m in modules)


@pytest.mark.parametrize("document, field", [
    ({"version": "1", "modules": []}, "x.modules"),
    ({"version": "1", "modules": [{"key": "Bad Key", "standard": True, "title": {"de": "a", "en": "b"}}]},
     "x.modules[0].key"),
    ({"version": "1", "modules": [{"key": "a", "standard": "yes", "title": {"de": "a", "en": "b"}}]},
     "x.modules[0].standard"),
    ({"version": "1", "modules": [{"key": "a", "standard": True, "title": {"de": "a"}}]}, "x.modules[0].title.en"),
    ({"modules": []}, "x.version"),
])
def test_a_broken_module_catalogue_is_refused_naming_the_field(document, field):
    with pytest.raises(ValidationError) as refused:
        parse_module_catalogue(document, "x")
    assert refused.value.params["field"] == field


def test_a_navigator_is_added_with_languages_modules_and_check(roster):
    nav = roster.add(Navigator(name="Leyla Demir", languages=["TR", "de", "tr"], police_check="2021-12-03"))
    roster.complete_module(nav.id, "school_system", "2026-03-01")
    roster.complete_module(nav.id, "conversation", "2026-04-01")
    view = roster.view(nav.id)
    assert view.navigator.languages == ["tr", "de"]
    assert view.navigator.modules == {"school_system": "2026-03-01", "conversation": "2026-04-01"}
    assert view.missing_standard == ["kaoa", "dual_training", "biz_institutions"]
    assert view.police_check_due is False
    roster.remove_module(nav.id, "conversation")
    assert roster.get(nav.id).modules == {"school_system": "2026-03-01"}
    actions = [r[0] for r in roster.store.conn.execute("SELECT action FROM audit WHERE action LIKE 'navigator.%'")]
    assert actions == ["navigator.add", "navigator.module", "navigator.module", "navigator.module"]


def test_the_police_record_check_is_due_after_five_years():
    assert police_check_due("", TODAY)
    assert not police_check_due("2021-12-03", TODAY)
    assert police_check_due("2021-12-02", TODAY)
    assert police_check_due("2024-02-29", date(2029, 3, 1)) and not police_check_due("2024-02-29", date(2029, 2, 28))


@pytest.mark.parametrize("change, field", [
    ({"name": " "}, "name"),
    ({"languages": ["Türkisch"]}, "languages[0]"),
    ({"police_check": "03.12.2021"}, "police_check"),
    ({"police_check": "2027-01-01"}, "police_check"),
    ({"node_id": "xyz"}, "node"),
    ({"node_id": "00112233445566ff"}, "node"),        # no trusted card with this id
])
def test_bad_navigator_input_is_refused_and_nothing_is_written(roster, change, field):
    with pytest.raises(ValidationError) as refused:
        roster.add(Navigator(**{"name": "Leyla", **change}))
    assert refused.value.params["field"] == field
    assert roster.list() == []


def test_a_module_outside_the_catalogue_or_a_future_day_is_refused(roster):
    nav = roster.add(Navigator(name="Leyla"))
    with pytest.raises(ValidationError):
        roster.complete_module(nav.id, "juggling", "2026-01-01")
    with pytest.raises(ValidationError):
        roster.complete_module(nav.id, "kaoa", "2027-01-01")
    with pytest.raises(NotFoundError):
        roster.complete_module("no-such-navigator", "kaoa", "2026-01-01")
    assert roster.get(nav.id).modules == {}


def test_allowances_are_tallied_per_year_with_a_warning_near_the_limit(roster):
    nav = roster.add(Navigator(name="Leyla"))
    roster.add_hours(HoursEntry(nav.id, "2025-12-20", "2", "stand", "Elternsprechtag", allowance="ehrenamt",
                                amount_cents=50_000))
    entry, tallies = roster.add_hours(HoursEntry(nav.id, "2026-02-01", "2.5", "event", "Familienbildungscafé",
                                                 allowance="ehrenamt", amount_cents=70_000))
    ehrenamt = next(t for t in tallies if t.allowance == "ehrenamt")
    assert ehrenamt.year == 2026 and ehrenamt.paid_cents == 70_000 and ehrenamt.state == "ok"
    _e, tallies = roster.add_hours(HoursEntry(nav.id, "2026-03-01", "2", "event", "Familienbildungscafé",
                                              allowance="ehrenamt", amount_cents=6_000))
    assert next(t for t in tallies if t.allowance == "ehrenamt").state == "near"      # 760 of 840
    _e, tallies = roster.add_hours(HoursEntry(nav.id, "2026-04-01", "2", "event", "Familienbildungscafé",
                                              allowance="ehrenamt", amount_cents=10_000))
    assert next(t for t in tallies if t.allowance == "ehrenamt").state == "over"
    view = roster.view(nav.id, 2026)
    assert view.total_hours == Decimal("8.5")
    assert [t.state for t in view.warnings] == ["over"]
    assert [t.paid_cents for t in roster.view(nav.id, 2025).tallies] == [50_000, 0]


def test_one_activity_never_gets_both_allowances(roster):
    nav = roster.add(Navigator(name="Leyla"))
    roster.add_hours(HoursEntry(nav.id, "2026-02-01", "2", "training", "Schulung Gesprächsführung",
                                allowance="uebungsleiter", amount_cents=10_000))
    with pytest.raises(ValidationError) as refused:
        roster.add_hours(HoursEntry(nav.id, "2026-03-01", "2", "training", "schulung  gesprächsführung",
                                    allowance="ehrenamt", amount_cents=5_000))
    assert refused.value.params["field"] == "allowance"
    # another year is another tally; an hour without allowance is fine
    roster.add_hours(HoursEntry(nav.id, "2025-03-01", "2", "training", "Schulung Gesprächsführung",
                                allowance="ehrenamt", amount_cents=5_000))
    roster.add_hours(HoursEntry(nav.id, "2026-03-02", "1", "training", "Schulung Gesprächsführung"))
    assert len(roster.view(nav.id).hours) == 3


@pytest.mark.parametrize("change, field", [
    ({"hours": "0"}, "hours"), ({"hours": "25"}, "hours"), ({"hours": "1.1"}, "hours"), ({"hours": "NaN"}, "hours"),
    ({"kind": "party"}, "kind"), ({"on": "2027-01-01"}, "on"), ({"allowance": "both"}, "allowance"),
    ({"amount_cents": 100}, "allowance"), ({"allowance": "ehrenamt", "activity": ""}, "activity"),
])
def test_bad_hours_are_refused_naming_the_field(roster, change, field):
    nav = roster.add(Navigator(name="Leyla"))
    values = {"navigator_id": nav.id, "on": "2026-02-01", "hours": "2", "kind": "stand", "activity": "Stand", **change}
    with pytest.raises(ValidationError) as refused:
        roster.add_hours(HoursEntry(**values))
    assert refused.value.params["field"] == field
    assert roster.view(nav.id).hours == []


def test_a_navigator_links_to_a_trusted_sync_card(roster, office_services, services):
    from tests.sync_helpers import link

    link(services, office_services)
    nav = roster.add(Navigator(name="Ayla", node_id=services.store.info.node_id.upper()))
    assert roster.view(nav.id).card_name == "Ayla Navigator"
    with pytest.raises(ValidationError):          # one card, one navigator
        roster.add(Navigator(name="Someone else", node_id=services.store.info.node_id))


def test_the_roster_is_the_office_s_only(services):
    with pytest.raises(ValidationError):
        services.roster.add(Navigator(name="Leyla"))
    with pytest.raises(ValidationError):
        services.roster.list()


@pytest.mark.parametrize("language, expected", [("tr", "Katılım belgesi"), ("ar", "شهادة مشاركة"), ("", "Certificate")])
def test_the_certificate_is_german_and_the_navigator_s_language(roster, language, expected):
    nav = roster.add(Navigator(name="Leyla Demir", languages=["ar"] if language == "ar" else ["de"]))
    roster.complete_module(nav.id, "kaoa", "2026-03-01")
    roster.complete_module(nav.id, "events", "2026-05-04")
    text = pdf_text(roster.certificate(nav.id, language))
    assert "Teilnahmebescheinigung" in text and "Leyla Demir" in text
    assert "Kein Abschluss ohne Anschluss" in text and "Wahlmodul" in text and "Stadt Hagen" in text
    assert expected in text
    assert "Das Schulsystem in NRW" not in text       # only completed modules are certified


def test_no_certificate_without_a_module(roster):
    nav = roster.add(Navigator(name="Leyla"))
    with pytest.raises(ValidationError):
        roster.certificate(nav.id)


def test_cli_navigators(cli, tmp_path):
    assert cli("init", "--name", "KoKo Hagen", "--organisation", "Stadt Hagen", "--office").code == 0
    added = cli("navigators", "add", "--name", "Leyla Demir", "--language", "tr", "--police-check", "2019-05-01")
    assert added.code == 0, added.err
    nav_id = added.out.strip()
    assert cli("navigators", "module", nav_id, "kaoa", "--on", "2026-03-01").code == 0
    hours = cli("navigators", "hours", nav_id, "--hours", "2,5", "--kind", "stand", "--activity", "Elternsprechtag",
                "--allowance", "ehrenamt", "--amount", "800", "--on", "2026-11-20")
    assert hours.code == 0, hours.err
    assert "near" in hours.err or "Ehrenamtspauschale" in hours.err
    shown = cli("navigators", "show", nav_id, "--json", "--year", "2026").json()
    assert shown["languages"] == ["tr"] and shown["police_check_due"] is True
    assert [m["key"] for m in shown["modules"] if m["completed"]] == ["kaoa"]
    assert shown["tallies"][0] == {"allowance": "ehrenamt", "year": 2026, "paid_cents": 80_000, "limit_cents": 84_000,
                                   "state": "near"}
    listed = cli("navigators", "list", "--json").json()
    assert [n["name"] for n in listed] == ["Leyla Demir"]
    assert "Leyla Demir" in cli("navigators", "list").out
    assert "Leyla Demir" in cli("navigators", "show", nav_id).out
    assert cli("navigators", "edit", nav_id, "--police-check", "2026-01-10").code == 0
    assert cli("navigators", "show", nav_id, "--json").json()["police_check_due"] is False
    pdf = tmp_path / "cert.pdf"
    made = cli("navigators", "certificate", nav_id, "-o", str(pdf))
    assert made.code == 0, made.err
    assert "Katılım belgesi" in pdf_text(pdf.read_bytes())
    refused = cli("navigators", "hours", nav_id, "--hours", "zwei", "--kind", "stand")
    assert refused.code == 1 and "hours" in refused.err and "Traceback" not in refused.err
    assert cli("navigators", "show", "nobody").code == 1


def test_the_office_s_rule_changes_the_check_period_and_the_limits(roster):
    nav = roster.add(Navigator(name="Leyla", police_check="2023-06-01"))
    roster.add_hours(HoursEntry(nav.id, "2026-02-01", "2", "stand", "Stand", allowance="ehrenamt", amount_cents=50_000))
    assert not roster.view(nav.id).police_check_due and roster.view(nav.id).warnings == []
    roster.set_rules(police_check_years=3, limits={"ehrenamt": 55_000})
    view = roster.view(nav.id)
    assert view.police_check_due and [(t.allowance, t.state) for t in view.warnings] == [("ehrenamt", "near")]
    with pytest.raises(ValidationError):
        roster.set_rules(police_check_years=0)
    assert roster.rules().police_check_years == 3


def test_cli_rules(cli):
    assert cli("init", "--name", "KoKo", "--office").code == 0
    assert cli("navigators", "rules", "--json").json() == {"police_check_years": 5,
                                                          "limits_cents": {"ehrenamt": 84_000, "uebungsleiter": 300_000}}
    changed = cli("navigators", "rules", "--ehrenamt", "960", "--uebungsleiter", "3300", "--json")
    assert changed.json()["limits_cents"] == {"ehrenamt": 96_000, "uebungsleiter": 330_000}
    assert "960" in cli("navigators", "rules").out
    assert cli("navigators", "rules", "--police-check-years", "99").code == 1


def test_migration_0012_leaves_a_consistent_schema_and_keeps_the_roster_out_of_sync(office_services):
    from elternlotse.store.tables import SYNCED_FIELDS

    store = office_services.store
    assert store.schema_problems() == []
    assert store.info.schema_version >= 12
    assert "partners" in SYNCED_FIELDS
    assert not {"navigators", "navigator_modules", "navigator_hours"} & set(SYNCED_FIELDS)
    nav = office_services.roster.add(Navigator(name="Leyla Geheim"))
    office_services.roster.complete_module(nav.id, "kaoa", "2026-01-05")
    changes = store.conn.execute("SELECT count(*) FROM changes WHERE value LIKE '%Leyla Geheim%'").fetchone()[0]
    assert changes == 0     # office-local: nothing in the change log, so nothing can travel


def test_the_roster_never_reaches_a_navigator_s_laptop(roster, office_services, services, tmp_path):
    from tests.sync_helpers import link, send

    link(services, office_services)
    nav = roster.add(Navigator(name="Leyla Rostergeheim", node_id=services.store.info.node_id, notes="Notiz XYZ"))
    roster.add_hours(HoursEntry(nav.id, "2026-02-01", "2", "stand", "Stand", allowance="ehrenamt", amount_cents=100))
    services.sync.import_files([send(office_services, services, tmp_path, "1.elsync")])
    text = services.store.dump_text()
    assert "Rostergeheim" not in text and "Notiz XYZ" not in text
    assert services.store.conn.execute("SELECT count(*) FROM navigators").fetchone()[0] == 0


def test_a_departing_navigator_s_entry_is_erased_from_every_table(roster):
    nav = roster.add(Navigator(name="Leyla Abschiedsname", notes="geht nach Köln"))
    roster.complete_module(nav.id, "kaoa", "2026-01-05")
    roster.add_hours(HoursEntry(nav.id, "2026-02-01", "2", "stand", "Stand Abschied"))
    roster.remove(nav.id)
    with pytest.raises(NotFoundError):
        roster.get(nav.id)
    text = roster.store.dump_text()
    assert "Abschiedsname" not in text and "Stand Abschied" not in text and "nach Köln" not in text
    assert roster.store.meta("scrub_pending") in (None, "", "0")


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True)))
def test_typed_hours_and_amounts_are_parsed_or_refused_in_one_sentence(value):
    from elternlotse.domain.roster import MAX_AMOUNT_CENTS, parse_amount, parse_hours

    try:
        hours = parse_hours(value)
    except ValidationError:
        pass
    else:
        assert Decimal("0.25") <= hours <= 24 and (hours * 4) == (hours * 4).to_integral_value()
    try:
        cents = parse_amount(value)
    except ValidationError:
        pass
    else:
        assert 0 <= cents <= MAX_AMOUNT_CENTS


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["kind", "name", "contact_person", "phone", "email", "languages", "notes"]),
                       st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.text(max_size=5)))))
def test_a_peer_s_partner_values_are_checked_or_refused_in_one_sentence(values):
    from elternlotse.domain.records import check_value

    for column, value in values.items():
        with contextlib.suppress(ValidationError):
            check_value("partners", column, value, f"f: partners/x.{column}")


def test_an_hours_entry_is_corrected_and_deleted_with_the_tallies_following(roster):
    nav = roster.add(Navigator(name="Leyla"))
    roster.add_hours(HoursEntry(nav.id, "2026-02-01", "2", "stand", "Stand", allowance="ehrenamt", amount_cents=70_000))
    typo, tallies = roster.add_hours(HoursEntry(nav.id, "2026-03-01", "2", "event", "Elterncafé",
                                                allowance="ehrenamt", amount_cents=60_000))
    assert tallies[0].state == "over"
    typo.amount_cents, typo.hours = 6_000, "1.5"
    _e, tallies = roster.edit_hours(typo)
    assert tallies[0].paid_cents == 76_000 and tallies[0].state == "near"
    assert [e.hours for e in roster.view(nav.id).hours] == [Decimal(2), Decimal("1.5")]
    audit = [r[0] for r in roster.store.conn.execute("SELECT action FROM audit ORDER BY rowid")]
    assert "navigator.hours.edit" in audit
    tallies = roster.delete_hours(nav.id, typo.id)
    assert tallies[0].paid_cents == 70_000 and [e.activity for e in roster.view(nav.id).hours] == ["Stand"]
    with pytest.raises(NotFoundError):
        roster.delete_hours(nav.id, typo.id)


@pytest.mark.parametrize("change, field", [
    ({"hours": "0"}, "hours"), ({"kind": "party"}, "kind"), ({"on": "2027-01-01"}, "on"),
    ({"amount_cents": 100, "allowance": ""}, "allowance"), ({"activity": ""}, "activity"),
    ({"allowance": "uebungsleiter", "activity": "Stand"}, "allowance"),     # the other entry has the Ehrenamt
])
def test_a_correction_is_checked_like_an_entry_and_changes_nothing_when_refused(roster, change, field):
    nav = roster.add(Navigator(name="Leyla"))
    roster.add_hours(HoursEntry(nav.id, "2026-02-01", "2", "stand", "Stand", allowance="ehrenamt", amount_cents=100))
    entry, _t = roster.add_hours(HoursEntry(nav.id, "2026-02-02", "2", "stand", "Tour", allowance="ehrenamt",
                                            amount_cents=100))
    before = roster.view(nav.id).hours
    values = {**vars(roster.hours_entry(nav.id, entry.id)), **change}
    with pytest.raises(ValidationError) as refused:
        roster.edit_hours(HoursEntry(**values))
    assert refused.value.params["field"] == field
    assert roster.view(nav.id).hours == before


def test_an_entry_of_another_navigator_is_not_found(roster):
    leyla, olena = roster.add(Navigator(name="Leyla")), roster.add(Navigator(name="Olena"))
    entry, _t = roster.add_hours(HoursEntry(leyla.id, "2026-02-01", "2", "stand", "Stand"))
    with pytest.raises(NotFoundError):
        roster.delete_hours(olena.id, entry.id)
    entry.navigator_id = olena.id
    with pytest.raises(NotFoundError):
        roster.edit_hours(entry)
    assert len(roster.view(leyla.id).hours) == 1


def test_cli_hours_edit_and_delete(cli):
    assert cli("init", "--name", "KoKo Hagen", "--office").code == 0
    nav_id = cli("navigators", "add", "--name", "Leyla Demir").out.strip()
    added = cli("navigators", "hours", nav_id, "--hours", "2", "--kind", "stand", "--activity", "Stand",
                "--allowance", "ehrenamt", "--amount", "8000", "--on", "2026-11-20", "--json")
    assert added.code == 0, added.err
    [entry] = cli("navigators", "show", nav_id, "--json").json()["hours"]
    assert entry["id"] == added.json()["id"]
    edited = cli("navigators", "hours", nav_id, "--edit", entry["id"], "--amount", "80", "--json")
    assert edited.code == 0, edited.err
    assert edited.json()["tallies"][0]["paid_cents"] == 8_000
    [entry] = cli("navigators", "show", nav_id, "--json").json()["hours"]
    assert (entry["amount_cents"], Decimal(entry["hours"]), entry["activity"]) == (8_000, 2, "Stand")
    refused = cli("navigators", "hours", nav_id, "--edit", entry["id"], "--hours", "30")
    assert refused.code == 1 and "hours" in refused.err and "Traceback" not in refused.err
    assert cli("navigators", "hours", nav_id, "--kind", "stand").code == 1        # adding needs --hours
    assert cli("navigators", "hours", nav_id, "--delete", entry["id"]).code == 0
    assert cli("navigators", "show", nav_id, "--json").json()["hours"] == []
    gone = cli("navigators", "hours", nav_id, "--delete", entry["id"])
    assert gone.code == 1 and "Traceback" not in gone.err
