"""KAoA records travel in sync files like every record; erasure and consent rules hold for them too."""

from __future__ import annotations

from datetime import date

from sync_helpers import later_than, link, shared_document

from tests.conftest import family_document

ON = date(2026, 11, 23)


def test_checklist_corrections_events_and_attendance_reach_the_office(services, office_services, tmp_path):
    nav, office = services, office_services
    link(nav, office)
    shared = nav.families.add(shared_document())
    hidden = nav.families.add(family_document(name="Verborgen Geheim", phone="0176 5555 4444"))
    child = shared.children[0].id
    nav.checklists.set_item(child, "pa/pa-consent", "done", note="Formular da")
    nav.checklists.add_correction(child, "newly_arrived", "2026/27")
    nav.checklists.set_item(hidden.children[0].id, "pa/pa-consent", "done", note="Geheimnotiz")
    event = nav.events.add({"type": "family_cafe", "starts": "2026-11-26T16:30", "place": "Gesamtschule Haspe",
                            "topics": ["kaoa-kompakt"]})
    nav.events.attend(event.id, shared.id)
    nav.events.attend(event.id, hidden.id)
    nav.events.set_headcount(event.id, 5)
    nav.sync.export(tmp_path / "1.elsync")
    office.sync.import_files([tmp_path / "1.elsync"])

    entry = next(e for e in office.checklists.checklist(child, ON).entries if e.ref == "pa/pa-consent")
    assert entry.status == "done" and entry.note == "Formular da"
    assert office.checklists.checklist(child, ON).status.groups == ["newly_arrived"]
    copy = office.events.get(event.id)
    assert copy.place == "Gesamtschule Haspe" and copy.headcount == 5
    assert copy.attendance == [(shared.id, "")]  # the family without office consent stays on the laptop
    assert "Geheimnotiz" not in office.store.dump_text()

    # both sides tick the same item: one row, the later write wins
    office.checklists.set_item(child, "pa/pa-feedback-attended", "discussed", note="vom Büro")
    later_than(nav, office)  # two edits in one millisecond would be ordered by node id
    nav.checklists.set_item(child, "pa/pa-feedback-attended", "done", note="von der Lotsin")
    office.sync.export(tmp_path / "2.elsync", to=nav.store.info.node_id)
    nav.sync.import_files([tmp_path / "2.elsync"])
    nav.sync.export(tmp_path / "3.elsync")
    office.sync.import_files([tmp_path / "3.elsync"])
    for side in (nav, office):
        rows = side.store.conn.execute("SELECT status, note FROM checklist_items WHERE child_id = ? AND item_key = ?",
                                       (child, "pa-feedback-attended")).fetchall()
        assert rows == [("done", "von der Lotsin")]

    # erasure on the laptop reaches the office and takes the checklist notes with it
    nav.families.erase(shared.id)
    nav.sync.export(tmp_path / "4.elsync")
    office.sync.import_files([tmp_path / "4.elsync"])
    text = office.store.dump_text()
    assert "Formular da" not in text and "von der Lotsin" not in text
    assert office.events.get(event.id).attendance == []
