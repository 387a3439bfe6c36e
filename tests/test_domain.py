"""Domain rules: the hybrid clock, consent derivation, contact normalisation, the family document."""

from __future__ import annotations

import json

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elternlotse.domain.clock import HybridClock, Stamp
from elternlotse.domain.consent import Channel, ConsentEntry, Evidence, Purpose, derive
from elternlotse.domain.contact import normalise_email, normalise_language, normalise_phone
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.family import family_to_document, parse_family_document
from tests.conftest import family_document


# ---------------------------------------------------------------- clock

def test_clock_never_goes_backwards_even_if_the_wall_clock_does():
    times = iter([100.0, 100.0, 99.0, 50.0, 101.0])
    clock = HybridClock("a1b2c3d4e5f60718", wall=lambda: next(times))
    stamps = [clock.now() for _ in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 5
    assert Stamp.parse(stamps[3]).wall_ms == 100_000  # held at the highest wall time seen


def test_clock_moves_past_a_remote_stamp():
    clock = HybridClock("aaaaaaaaaaaaaaaa", wall=lambda: 10.0)
    remote = str(Stamp(20_000, 7, "bbbbbbbbbbbbbbbb"))
    clock.observe(remote)
    assert clock.now() > remote


@given(st.lists(st.floats(min_value=0, max_value=4e9, allow_nan=False), min_size=2, max_size=40))
def test_stamps_sort_as_text_in_issue_order(walls):
    it = iter(walls)
    clock = HybridClock("0123456789abcdef", wall=lambda: next(it))
    stamps = [clock.now() for _ in walls]
    assert stamps == sorted(stamps)
    assert [Stamp.parse(s) for s in stamps] == sorted(Stamp.parse(s) for s in stamps)


def test_malformed_stamp_is_refused():
    with pytest.raises(ValidationError):
        Stamp.parse("yesterday")


# ---------------------------------------------------------------- consent

def _entry(granted, at, stamp="", purpose=Purpose.CONTACT, channel=Channel.PHONE):
    return ConsentEntry(person_id="p", purpose=purpose, channel=channel, granted=granted, at=at,
                        recorded_by="x", evidence=Evidence.VERBAL, stamp=stamp)


def test_latest_entry_decides_and_withdrawal_wins_a_tie():
    history = [_entry(True, "2026-01-01T00:00:00Z"), _entry(False, "2026-02-01T00:00:00Z")]
    assert not derive("p", history).allows(Purpose.CONTACT, Channel.PHONE)
    history.append(_entry(True, "2026-03-01T00:00:00Z"))
    assert derive("p", history).allows(Purpose.CONTACT, Channel.PHONE)
    tie = [_entry(True, "2026-04-01T00:00:00Z", stamp="z"), _entry(False, "2026-04-01T00:00:00Z", stamp="a")]
    assert not derive("p", tie).allows(Purpose.CONTACT, Channel.PHONE)


def test_consent_is_per_channel_and_per_purpose():
    state = derive("p", [_entry(True, "2026-01-01T00:00:00Z")])
    assert state.allows(Purpose.CONTACT, Channel.PHONE)
    assert not state.allows(Purpose.CONTACT, Channel.SMS)
    assert not state.allows(Purpose.EVENT_INVITATIONS)
    assert state.contact_channels() == [Channel.PHONE]


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 5), st.text("abc", max_size=3)), min_size=1, max_size=12))
def test_derivation_does_not_depend_on_the_order_of_the_history(entries):
    history = [_entry(g, f"2026-01-0{d + 1}T00:00:00Z", s) for g, d, s in entries]
    forward = derive("p", history).allows(Purpose.CONTACT, Channel.PHONE)
    backward = derive("p", list(reversed(history))).allows(Purpose.CONTACT, Channel.PHONE)
    assert forward == backward
    last_day = max(d for _, d, _ in entries)
    on_last_day = [g for g, d, _ in entries if d == last_day]
    assert forward == all(on_last_day)


# ---------------------------------------------------------------- contact details

@pytest.mark.parametrize("raw", ["0176 1234 5678", "+49 176 12345678", "0049-176-1234-5678", "(0176) 12345678"])
def test_german_numbers_are_normalised_to_e164(raw):
    assert normalise_phone(raw) == "+4917612345678"


def test_foreign_numbers_keep_their_country():
    assert normalise_phone("+90 532 123 45 67") == "+905321234567"


@pytest.mark.parametrize("raw", ["", "12", "hello", "+49 1", "0176 12"])
def test_invalid_numbers_are_refused_naming_the_field(raw):
    with pytest.raises(ValidationError) as error:
        normalise_phone(raw, "guardians[0].phones[0]")
    assert "guardians[0].phones[0]" in str(error.value)


@given(st.text(max_size=30))
def test_phone_parsing_returns_valid_e164_or_refuses(raw):
    try:
        number = normalise_phone(raw)
    except ValidationError:
        return
    parsed = phonenumbers.parse(number, None)
    assert number.startswith("+") and phonenumbers.is_valid_number(parsed)
    assert normalise_phone(number) == number  # idempotent


@given(st.integers(10**7, 10**8 - 1), st.sampled_from(["0176 ", "+49176", "0049 176 ", "(0176) "]))
def test_written_forms_of_one_number_meet(number, prefix):
    assert normalise_phone(f"{prefix}{number}") == f"+49176{number}"


def test_email_and_language_tags():
    assert normalise_email(" Ayse@Example.org ") == "Ayse@example.org"
    with pytest.raises(ValidationError):
        normalise_email("ayse@")
    assert normalise_language("fa_af") == "fa-AF"
    assert normalise_language("sr-latn") == "sr-Latn"
    with pytest.raises(ValidationError):
        normalise_language("arabic!")


# ---------------------------------------------------------------- family document

def test_document_fields_are_normalised():
    family = parse_family_document(family_document())
    assert family.guardians[0].phones == ["+4917612345678"]
    assert family.guardians[0].languages == ["tr", "de"]
    assert family.consents[0].person_id == "g1"


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["guardians"][0].update(name=""), "guardians[0].name"),
    (lambda d: d["guardians"][0].update(phones=["123"]), "guardians[0].phones[0]"),
    (lambda d: d["children"][0].update(grade=15), "children[0].grade"),
    (lambda d: d["children"][0].update(grade="8"), "children[0].grade"),
    (lambda d: d["children"][0].update(school_year="2026/28"), "children[0].school_year"),
    (lambda d: d["consents"][0].update(purpose="marketing"), "consents[0].purpose"),
    (lambda d: d["consents"][1].pop("channel"), "consents[1].channel"),
    (lambda d: d["consents"][0].update(person="nobody"), "consents[0].person"),
    (lambda d: d["guardians"][0].update(nationality="x"), "guardians[0].nationality"),
    (lambda d: d.update(religion="x"), "religion"),
    (lambda d: d.update(guardians=[]), "guardians"),
])
def test_bad_documents_are_refused_naming_the_field(mutate, field):
    doc = family_document()
    mutate(doc)
    with pytest.raises(ValidationError) as error:
        parse_family_document(doc)
    assert field in str(error.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_parser_accepts_or_refuses_any_json_with_a_validation_error(value):
    try:
        parse_family_document(value)
    except ValidationError as error:
        assert error.english()


@settings(max_examples=60)
@given(st.dictionaries(st.sampled_from(["name", "languages", "phones", "emails", "messenger", "address", "id"]),
                       json_values, max_size=7))
def test_guardian_objects_never_crash_the_parser(guardian):
    doc = family_document()
    doc["guardians"] = [guardian]
    doc["consents"] = []
    try:
        family = parse_family_document(doc)
    except ValidationError:
        return
    assert family.guardians[0].name.strip()


@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and all(ord(c) >= 32 for c in s)),
       st.integers(1, 13), st.text(max_size=30).filter(lambda s: all(ord(c) >= 32 for c in s)))
def test_document_round_trips(name, grade, notes):
    doc = family_document(name=name, notes=notes)
    doc["children"][0]["grade"] = grade
    first = parse_family_document(doc)
    for person, new_id in zip(first.persons(), ("G", "C"), strict=True):
        person.id = new_id
    for i, entry in enumerate(first.consents):
        first.consents[i] = ConsentEntry(**{**entry.__dict__, "person_id": "G"})
    again = parse_family_document(json.loads(json.dumps(family_to_document(first))))
    assert again.guardians[0].name == name.strip()
    assert again.children[0].grade == grade
    assert again.notes == notes.strip()
    assert [(c.purpose, c.channel, c.granted, c.at) for c in again.consents] == \
           [(c.purpose, c.channel, c.granted, c.at) for c in first.consents]


@pytest.mark.parametrize("raw, languages, expected", [
    ("0532 123 45 67", ["tr"], ("TR", "+905321234567")),     # a German landline too: warn, don't guess
    ("0501 234 5678", ["tr", "de"], ("TR", "+905012345678")),
    ("0176 1234 5678", ["tr"], None),                        # a German mobile: what navigators type most
    ("+90 532 123 45 67", ["tr"], None),                     # written with its country code
    ("0532 123 45 67", ["de"], None),                        # nobody's home region: no hint
    ("067 123 4567", ["uk"], ("UA", "+380671234567")),
])
def test_a_foreign_mobile_typed_without_its_country_code_is_pointed_out(raw, languages, expected):
    from elternlotse.domain.contact import foreign_mobile_hint

    assert foreign_mobile_hint(raw, languages) == expected
