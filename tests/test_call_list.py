"""The call list: one row per family, most urgent first, filtered, and marked calls change it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import family_document

ON = date(2026, 12, 2)   # the Potenzialanalyse consent window of grade 8 (Aug-Sep) has passed


@pytest.fixture
def families(services):
    services.contacts.today = lambda: ON

    def add(name, phone, grade=8, school="Gesamtschule Haspe"):
        doc = family_document(name=name, phone=phone)
        doc["children"][0].update(grade=grade, school=school)
        doc["children"].append({"id": "c2", "first_name": "Mert", "grade": grade, "school": school,
                                "school_year": "2026/27"})
        return services.families.add(doc)

    return {"yilmaz": add("Ayşe Yılmaz", "0176 11111111"),
            "kovalenko": add("Olena Kovalenko", "0176 22222222", grade=9, school="Realschule Hohenlimburg")}


def test_one_row_per_family_with_at_most_two_topics_overdue_first(services, families):
    calls = services.call_list.call_list(ON, 2, language="de")
    ids = [e.family_id for e in calls.entries]
    assert sorted(ids) == sorted(f.id for f in families.values()) and len(ids) == len(set(ids))
    first = calls.entries[0]
    assert first.urgency == "overdue" and 1 <= len(first.topics) <= 2
    assert len({t.stage_key for t in first.topics}) == len(first.topics)   # one line per stage, not per item
    assert calls.schools == ["Gesamtschule Haspe", "Realschule Hohenlimburg"]
    assert [c.channel for c in first.channels] == ["phone"]


def test_the_list_is_not_empty_when_nothing_new_starts_this_week(services, families):
    # On 2 December no checklist item newly starts, yet open steps remain to be called about.
    assert services.agenda.next_steps(ON, 1).item_count == 0
    assert services.call_list.call_list(ON, 1).entries


@pytest.mark.parametrize("school, grade, stage, expected", [
    ("Realschule Hohenlimburg", None, "", ["kovalenko"]),
    ("", 8, "", ["yilmaz"]),
    ("", None, "pa", ["yilmaz"]),
    ("Gesamtschule Haspe", 9, "", []),
])
def test_filters_by_school_grade_and_stage(services, families, school, grade, stage, expected):
    calls = services.call_list.call_list(ON, 2, school=school, grade=grade, stage=stage)
    assert [e.family_id for e in calls.entries] == [families[k].id for k in expected]


def test_marking_calls_takes_families_off_and_brings_them_back(services, families):
    entry = next(e for e in services.call_list.call_list(ON, 2).entries if e.family_id == families["yilmaz"].id)
    contact = services.call_list.mark(entry, "reached")
    assert contact.format == "phone_call" and contact.topics == [t.stage_key for t in entry.topics]
    calls = services.call_list.call_list(ON, 2)
    assert families["yilmaz"].id not in [e.family_id for e in calls.entries] and calls.hidden_reached == 1

    other = next(e for e in calls.entries if e.family_id == families["kovalenko"].id)
    services.call_list.mark(other, "no_answer")
    still = next(e for e in services.call_list.call_list(ON, 2).entries if e.family_id == other.family_id)
    assert still.last_contact.outcome == "no_answer"

    services.call_list.mark(other, "call_back", call_back_on="2026-12-15")
    assert other.family_id not in [e.family_id for e in services.call_list.call_list(ON, 2).entries]
    services.contacts.today = lambda: date(2026, 12, 14)
    back = next(e for e in services.call_list.call_list(date(2026, 12, 14), 2).entries if e.family_id == other.family_id)
    assert back.urgency in ("call_back", "overdue") and back.last_contact.follow_up == "2026-12-15"


def test_withdrawn_contact_consent_leaves_no_channel_to_call(services, families):
    from elternlotse.domain.consent import Channel, Purpose

    guardian = families["yilmaz"].guardians[0].id
    services.consent.withdraw(guardian, Purpose.CONTACT, Channel.PHONE, evidence="verbal")
    entry = next(e for e in services.call_list.call_list(ON, 2).entries if e.family_id == families["yilmaz"].id)
    assert entry.channels == []


def test_cli_call_list(cli, tmp_path):
    import json

    assert cli("init", "--name", "Ayla").code == 0
    doc = tmp_path / "f.json"
    doc.write_text(json.dumps(family_document()), encoding="utf-8")
    fid = cli("family", "add", str(doc)).out.strip()
    result = cli("call-list", "--date", "2026-12-02", "--json")
    assert result.code == 0 and [f["family_id"] for f in result.json()["families"]] == [fid]
    assert cli("contact", "add", fid, "--format", "phone_call", "--outcome", "reached", "--on", "2026-12-02").code == 0
    after = cli("call-list", "--date", "2026-12-02", "--json").json()
    assert after["families"] == [] and after["hidden_reached"] == 1
    text = cli("call-list", "--date", "2026-12-02")
    assert text.code == 0 and "0" in text.out
