"""Checklists per child, corrections, erasure, the next-steps agenda and their CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest

from elternlotse.domain.errors import NotFoundError, ValidationError
from tests.conftest import family_document

ON = date(2026, 11, 23)


@pytest.fixture
def family(services):
    return services.families.add(family_document())


def test_checklist_follows_grade_and_date(services, family):
    child_id = family.children[0].id
    checklist = services.checklists.checklist(child_id, ON)
    assert checklist.status.grade == 8 and checklist.status.school_year == "2026/27"
    assert {"pa", "portfolio"} <= {sw.stage.key for sw in checklist.status.current}
    assert [sw.stage.key for sw in checklist.status.upcoming] == ["bfe"]
    refs = [e.ref for e in checklist.entries]
    assert "pa/pa-consent" in refs and "kaoa-kompakt/kompakt-consent" not in refs
    assert all(e.status == "open" and e.known for e in checklist.entries)
    next_year = services.checklists.checklist(child_id, date(2027, 9, 1))
    assert next_year.status.grade == 9


def test_set_item_records_status_by_whom_and_note(services, family):
    child_id = family.children[0].id
    entry = services.checklists.set_item(child_id, "pa-consent", "done", note="Formular unterschrieben", day=date(2026, 9, 20))
    assert (entry.status, entry.date, entry.done_by, entry.note) == ("done", "2026-09-20", "Ayla Navigator", "Formular unterschrieben")
    again = services.checklists.set_item(child_id, "pa/pa-consent", "not_applicable")
    assert again.note == "Formular unterschrieben"  # a status change keeps the note
    rows = services.store.conn.execute("SELECT count(*) FROM checklist_items").fetchone()[0]
    assert rows == 1
    logged = services.store.conn.execute("SELECT count(*) FROM changes WHERE tbl = 'checklist_items'").fetchone()[0]
    assert logged >= 8
    with pytest.raises(ValidationError):
        services.checklists.set_item(child_id, "pa/nonsense", "done")
    with pytest.raises(ValidationError):
        services.checklists.set_item(child_id, "pa/pa-consent", "finished")
    with pytest.raises(NotFoundError):
        services.checklists.set_item("no-such-child", "pa/pa-consent", "done")


def test_corrections_move_the_stages(services, family):
    child_id = family.children[0].id
    services.checklists.add_correction(child_id, "repeat", "2027/28")
    assert services.checklists.status(child_id, date(2027, 9, 1)).grade == 8
    services.checklists.add_correction(child_id, "newly_arrived", "2026/27")
    checklist = services.checklists.checklist(child_id, ON)
    refs = {e.ref for e in checklist.entries}
    assert "kaoa-kompakt/kompakt-consent" in refs and "pa/pa-consent" not in refs
    assert checklist.status.groups == ["newly_arrived"]
    services.checklists.add_correction(child_id, "change_school", "2028/29", grade=10, school="Berufskolleg Cuno")
    assert services.checklists.status(child_id, date(2028, 10, 1)).grade == 10
    with pytest.raises(ValidationError):
        services.checklists.add_correction(child_id, "repeat", "2027/28", grade=8)
    with pytest.raises(ValidationError):
        services.checklists.add_correction(child_id, "target_group", "2027/28", group="other")
    with pytest.raises(ValidationError):
        services.checklists.add_correction(child_id, "moved", "2027/28")


def test_family_erasure_removes_checklist_notes_corrections_and_attendance(services, family):
    child_id = family.children[0].id
    services.checklists.set_item(child_id, "pa/pa-consent", "done", note="Vater Mehmet arbeitet nachts")
    services.checklists.add_correction(child_id, "change_school", "2026/27", grade=8, school="Realschule Geheimweg")
    event = services.events.add({"type": "family_cafe", "starts": "2026-12-03T16:30", "place": "Gesamtschule Haspe", "topics": ["pa"]})
    services.events.attend(event.id, family.id)
    services.families.erase(family.id)
    text = services.store.dump_text()
    assert "Vater Mehmet" not in text and "Geheimweg" not in text
    for table in ("checklist_items", "child_corrections", "attendance"):
        live = services.store.conn.execute(f"SELECT count(*) FROM {table} WHERE deleted IS NULL").fetchone()[0]
        linked = services.store.conn.execute(f"SELECT count(*) FROM {table} WHERE family_id = ?", (family.id,)).fetchone()[0]
        assert live == 0 and linked == 0, table
    assert services.events.get(event.id).attendance == []


def test_agenda_groups_by_week_and_family_with_consented_channels(services, family):
    other = services.families.add(family_document(name="Olena Kovalenko", phone="0151 2345 6789",
                                                  children=[{"id": "c1", "grade": 7, "school_year": "2026/27"}]))
    agenda = services.agenda.next_steps(ON, weeks=4)
    assert agenda.weeks and all(w.families for w in agenda.weeks)
    week = agenda.weeks[0]
    assert week.monday == date(2026, 11, 23)
    fam = next(f for f in week.families if f.family_id == family.id)
    assert {c.channel for c in fam.contacts} == {"phone"}  # consented: phone only (not e-mail, not messenger)
    assert fam.contacts[0].value == "+4917612345678"
    refs = {i.ref for i in fam.items}
    assert "pa/pa-feedback-attended" in refs and "bfe/bfe-fields-chosen" not in refs
    assert all(f.family_id != other.id for w in agenda.weeks for f in w.families)  # grade 7: nothing due
    # BFE shows up once the window comes near, in the week of 1 February
    later = services.agenda.next_steps(date(2027, 1, 20), weeks=3)
    weeks = {w.monday: w for w in later.weeks}
    assert date(2027, 2, 1) in weeks
    assert any(i.ref == "bfe/bfe-fields-chosen" for f in weeks[date(2027, 2, 1)].families for i in f.items)
    # done items leave the agenda
    child_id = family.children[0].id
    services.checklists.set_item(child_id, "pa/pa-feedback-attended", "done")
    refs_after = {i.ref for w in services.agenda.next_steps(ON, 4).weeks for f in w.families for i in f.items}
    assert "pa/pa-feedback-attended" not in refs_after
    # withdrawn contact consent: still on the agenda, but without a channel
    guardian_id = family.guardians[0].id
    services.consent.withdraw(guardian_id, "contact", "phone")
    fam = next(f for w in services.agenda.next_steps(ON, 4).weeks for f in w.families if f.family_id == family.id)
    assert fam.contacts == []


def test_cli_end_to_end(cli, tmp_path):
    assert cli("init", "--name", "Ayla").code == 0
    doc = tmp_path / "family.json"
    doc.write_text(json.dumps(family_document()), encoding="utf-8")
    family_id = cli("family", "add", str(doc)).out.strip()
    child_id = cli("family", "show", family_id, "--json").json()["children"][0]["id"]

    stages = cli("stages", "--json").json()
    assert stages["catalog"] == "nrw-kaoa" and any(s["key"] == "pa" and s["consent_needed"] for s in stages["stages"])
    assert cli("stages", "--catalog", "generic-bop", "--json").json()["stages"][0]["grades"] == {"from": 7, "to": 7}
    assert cli("stages", "--catalog", "nope").code == 1
    assert "Potenzialanalyse" in cli("stages", "--language", "de").out

    shown = cli("checklist", "show", child_id, "--date", "2026-11-23", "--json").json()
    assert shown["grade"] == 8 and "pa" in shown["current_stages"] and shown["next_stages"] == ["bfe"]

    result = cli("checklist", "set", child_id, "pa/pa-feedback-attended", "--status", "discussed", "--note", "Termin 30.11.")
    assert result.code == 0, result.err
    item = next(i for i in cli("checklist", "show", child_id, "--json").json()["items"] if i["item"] == "pa-feedback-attended")
    assert item["status"] == "discussed" and item["note"] == "Termin 30.11." and item["by"] == "Ayla"
    bad = cli("checklist", "set", child_id, "pa/unknown", "--status", "done")
    assert bad.code == 1 and bad.err.count("\n") == 1
    assert cli("checklist", "set", child_id, "pa/pa-consent", "--status", "finished").code == 2

    agenda = cli("next-steps", "--date", "2026-11-23", "--weeks", "2", "--json").json()
    assert agenda["date"] == "2026-11-23"
    fam = agenda["weeks"][0]["families"][0]
    assert fam["family_id"] == family_id and fam["channels"][0]["channel"] == "phone"
    assert {i["item"] for i in fam["items"]} >= {"pa-feedback-attended"}
    text = cli("next-steps", "--date", "2026-11-23")
    assert text.code == 0 and "Week of 2026-11-23" in text.out and "+4917612345678" in text.out
    assert cli("next-steps", "--weeks", "99").code == 2

    corrected = cli("checklist", "correct", child_id, "repeat", "--school-year", "2026/27")
    assert corrected.code == 0
    assert cli("checklist", "correct", child_id, "repeat", "--school-year", "2026-27").code == 1
