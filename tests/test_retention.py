"""Retention: one rules file decides who is due for erasure; keep on purpose; the record of processing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from elternlotse.domain.consent import Purpose
from elternlotse.domain.contact_log import Contact
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.retention import parse_rules
from tests.conftest import family_document


def at(services, day: date) -> None:
    services.retention.today = lambda: day
    services.contacts.today = lambda: day


def test_no_contact_for_24_months_makes_a_family_due(services):
    from elternlotse.domain.retention import Period

    family = services.families.add(family_document())   # created today (the store's real clock)
    today = date.today()
    at(services, today)
    services.contacts.add(Contact(family_id=family.id, on=today.isoformat(), format="phone_call"))
    at(services, Period(months=24).after(today) - timedelta(days=1))
    assert [d.rule for d in services.retention.review() if d.family_id == family.id] == []
    at(services, Period(months=24).after(today))
    [due] = [d for d in services.retention.review() if d.family_id == family.id]
    assert due.rule == "no_contact" and due.since == today


def test_children_who_left_school_and_withdrawn_store_consent(services):
    left = family_document(name="Familie Schulende")
    left["children"][0].update(grade=10, school_year="2026/27")
    left_id = services.families.add(left).id
    withdrawn = services.families.add(family_document(name="Familie Widerruf", phone="0176 9999 0000"))
    guardian = withdrawn.guardians[0].id
    today = date.today()   # the withdrawal is dated by the store's real clock
    services.consent.withdraw(guardian, Purpose.STORE, evidence="verbal")
    at(services, today + timedelta(days=18))
    assert all(d.family_id != withdrawn.id for d in services.retention.review())
    at(services, today + timedelta(days=31))
    rules = {d.family_id: d.rule for d in services.retention.review()}
    assert rules.get(withdrawn.id) == "store_consent_withdrawn"
    at(services, max(date(2028, 8, 1), today))   # grade 10 ended on 31 July 2027; twelve months later
    assert "children_left_school" in {d.rule for d in services.retention.review() if d.family_id == left_id}


def test_keep_because_is_recorded_and_ends(services):
    family = services.families.add(family_document())
    later = date.today() + timedelta(days=3 * 365)
    at(services, later)
    assert any(d.family_id == family.id for d in services.retention.review())
    with pytest.raises(ValidationError):
        services.retention.keep(family.id, "  ")
    until = services.retention.keep(family.id, "Geschwisterkind kommt 2030 in Klasse 8")
    assert until == later.replace(year=later.year + 1) if not (later.month == 2 and later.day == 29) else True
    assert all(d.family_id != family.id for d in services.retention.review())
    audit = services.store.conn.execute("SELECT target FROM audit WHERE action = 'retention.keep'").fetchall()
    assert audit == [(family.id,)]
    at(services, until + timedelta(days=1))
    assert any(d.family_id == family.id for d in services.retention.review())
    services.retention.erase(family.id)
    assert services.store.conn.execute("SELECT count(*) FROM retention_decisions").fetchone()[0] == 0
    assert "Geschwisterkind" not in services.store.dump_text()


def test_a_broken_rules_file_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        parse_rules('{"format": "elternlotse.retention/1", "rules": [{"key": "no_contact", "after": {"months": -1},'
                    ' "texts": {"de": "x"}}]}')
    assert refused.value.params["field"] == "rules[0].after.months"


def test_cli_review_keep_and_record_of_processing(cli, tmp_path):
    import json

    assert cli("init", "--name", "Büro", "--organisation", "KoKo Hagen", "--office").code == 0
    doc = tmp_path / "f.json"
    doc.write_text(json.dumps(family_document()), encoding="utf-8")
    fid = cli("family", "add", str(doc)).out.strip()
    assert cli("retention", "review", "--json").json() == []
    assert cli("retention", "keep", fid, "--reason", "noch in Beratung", "--until", "2020-01-01").code == 1
    out = tmp_path / "record.pdf"
    assert cli("retention", "record", "-o", str(out)).code == 0
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "KoKo Hagen" in text and "24 Monate" in text and "30 Tagen" in text   # the rules file, in German


# ---------------------------------------------------------------- one rules file, three documents

def _digits(text: str) -> str:
    """Every digit as ASCII (Persian and Arabic-Indic digits too): the numbers a text states."""
    import unicodedata

    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)


def test_every_rule_text_states_its_period_in_every_handout_language():
    from elternlotse.handouts.blocks import bundled_retention_rules
    from elternlotse.handouts.content import HandoutLibrary

    rules = bundled_retention_rules()
    languages = HandoutLibrary().languages("privacy-information")
    assert len(languages) >= 17
    for rule in rules.rules:
        number = str(rule.after.months or rule.after.days)
        for language in languages:
            text = rule.text(language)
            assert number in _digits(text), f"{rule.key}/{language}: {text!r} does not say {number}"
            if language not in ("de", "en") and language.split("-")[0] != "de":
                assert text != rule.texts["de"], f"{rule.key}/{language} falls back to German"
        assert rules.paragraph("fa-AF") == rules.paragraph("fa")  # Dari reads the Persian text


def test_the_information_sheet_says_what_the_rules_file_says(tmp_path):
    from elternlotse.domain.retention import Period, Rule, Rules
    from elternlotse.handouts import render_handout
    from elternlotse.handouts.blocks import HandoutContext, bundled_retention_rules

    def sheet(context: HandoutContext, language: str = "de") -> str:
        pdf = tmp_path / "sheet.pdf"
        pdf.write_bytes(render_handout("privacy-information", language, context=context))
        return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)

    bundled = bundled_retention_rules()
    text = sheet(HandoutContext(organisation="KoKo Hagen"))
    assert "24 Monate" in text and "30 Tagen" in text and "12 Monate" in text
    office = Rules("office-1", (Rule("no_contact", Period(months=36), {"de": "Nach 36 Monaten ohne Gespräch löschen wir."}),),
                   bundled.keep_for, {"de": "Danach bleibt nichts mit Namen."})
    changed = sheet(HandoutContext(organisation="KoKo Hagen", retention=office))
    assert "36 Monaten ohne Gespräch" in changed and "24 Monate" not in changed and "30 Tagen" not in changed
    english = sheet(HandoutContext(), "en")
    assert "for 24 months" in english and "within 30 days" in english
