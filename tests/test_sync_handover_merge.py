"""Handover and merge verified on two navigators' laptops after sync (issue 16, items 1 and 6).

An office and two navigators A and C, built here and linked as after comparing fingerprints;
every step goes through real signed, encrypted sync files in both directions.
"""

from __future__ import annotations

import pytest

from elternlotse.domain.errors import NotFoundError
from sync_helpers import hostile_file, later_than, linked_office_and_navigators, shared_document, stamp_of, sync_round


@pytest.fixture
def trio(tmp_path):
    stores = linked_office_and_navigators(tmp_path, "Lotsin A", "Lotse C")
    yield stores
    for s in stores:
        s.store.close()


def _round(office, navs, tmp_path, tag):
    sync_round(office, navs, tmp_path, tag)


def test_handover_reaches_both_laptops_and_erases_the_former_owner_s_copy(trio, tmp_path):
    office, a, c = trio
    family = a.families.add(shared_document(name="Ayşe Yılmaz", phone="0176 1234 5678"))
    a.checklists.set_item(family.children[0].id, "pa/pa-consent", "done", note="Formular da")
    _round(office, [a, c], tmp_path, "r1")
    assert not c.families.exists(family.id)
    assert office.sync.handover([family.id], c.store.info.node_id) == [family.id]
    _round(office, [a, c], tmp_path, "r2")
    # C holds the whole family now, with the checklist tick and every consent entry, and may change it
    got = c.families.get(family.id)
    assert got.guardians[0].name == "Ayşe Yılmaz" and len(got.consents) == len(family.consents)
    assert c.store.conn.execute("SELECT status FROM checklist_items WHERE child_id = ?",
                                (family.children[0].id,)).fetchone()[0] == "done"
    later_than(c, office)
    doc = c.families.document(family.id)
    doc["notes"] = "jetzt bei C"
    c.families.update(family.id, doc)
    # A's copy is gone: not listed, not openable, and no byte of it left in A's files
    assert not a.families.exists(family.id) and a.families.count() == 0
    with pytest.raises(NotFoundError):
        a.families.update(family.id, doc)
    text = a.store.dump_text()
    assert "Yılmaz" not in text and "17612345678" not in text and "Formular da" not in text
    raw = b"".join(p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert "Yılmaz".encode() not in raw                     # encrypted anyway; nothing in clear beside it
    assert a.store.conn.execute("SELECT count(*) FROM audit WHERE action = 'family.handed_away'"
                                " AND target = ?", (family.id,)).fetchone()[0] == 1
    _round(office, [a, c], tmp_path, "r3")
    assert office.families.get(family.id).notes == "jetzt bei C"
    assert office.store.conn.execute("SELECT count(*) FROM audit WHERE action = 'family.handover'").fetchone()[0] == 1
    # A, holding nothing, can change nothing: a hand-made change of A's is refused at the office
    stamp = stamp_of(a.store.info.node_id)
    path = hostile_file(a, office, tmp_path, "late.elsync", rows=[("families", family.id, [("notes", stamp, "A?")])])
    report = office.sync.import_files([path])
    assert report.refused_records == 1 and office.families.get(family.id).notes == "jetzt bei C"


def test_a_merge_reaches_the_owner_s_laptop_as_a_pointer_and_its_undo_too(trio, tmp_path):
    office, a, c = trio
    keep = a.families.add(shared_document(name="Ayşe Yılmaz", phone="0176 1234 5678"))
    other = a.families.add(shared_document(name="Ayse Yilmaz", phone="+49 176 12345678"))
    olena = shared_document(name="Olena Shevchenko", phone="0172 9999 8888")
    olena["guardians"][0]["emails"] = ["olena@example.org"]
    elsewhere = c.families.add(olena)
    _round(office, [a, c], tmp_path, "r1")
    [pair] = office.duplicates.candidates()
    assert {pair.first, pair.second} == {keep.id, other.id}
    merge = office.duplicates.merge(keep.id, other.id)
    _round(office, [a, c], tmp_path, "r2")
    # on A (the owner): the absorbed family leads to the survivor, which holds both guardians
    assert a.families.get(other.id).id == keep.id
    assert {g.name for g in a.families.get(keep.id).guardians} == {"Ayşe Yılmaz", "Ayse Yilmaz"}
    assert [r.id for r in a.families.list()] == [keep.id]
    assert len(a.families.get(keep.id).consents) == len(keep.consents) + len(other.consents)
    # C saw nothing of A's families, before or after
    assert not c.families.exists(keep.id) and c.families.exists(elsewhere.id)
    assert "Yılmaz" not in c.store.dump_text()
    # A keeps working on the survivor; the office takes it
    later_than(a, office)
    doc = a.families.document(keep.id)
    doc["notes"] = "zusammengeführt"
    a.families.update(keep.id, doc)
    _round(office, [a, c], tmp_path, "r3")
    assert office.families.get(keep.id).notes == "zusammengeführt"
    # undo at the office: both families again, also on A
    office.duplicates.undo(merge.id)
    _round(office, [a, c], tmp_path, "r4")
    assert [g.name for g in a.families.get(other.id).guardians] == ["Ayse Yilmaz"]
    assert [g.name for g in a.families.get(keep.id).guardians] == ["Ayşe Yılmaz"]
    assert sorted(r.id for r in a.families.list()) == sorted([keep.id, other.id])


def test_a_navigator_may_not_merge_through_its_file(trio, tmp_path):
    office, a, c = trio
    keep = a.families.add(shared_document(name="Ayşe Yılmaz", phone="0176 1234 5678"))
    other = a.families.add(shared_document(name="Ayse Yilmaz", phone="0176 1234 5678"))
    _round(office, [a, c], tmp_path, "r1")
    stamp = stamp_of(a.store.info.node_id)
    path = hostile_file(a, office, tmp_path, "merge.elsync",
                        rows=[("families", other.id, [("merged_into", stamp, keep.id)])])
    report = office.sync.import_files([path])
    assert report.refused_records == 1
    assert office.families.get(other.id).id == other.id
    assert "only the office merges families" in str(report.families[0].refused[0]["reason"])


def test_a_family_handed_back_arrives_whole_with_the_navigator_s_own_changes(trio, tmp_path):
    office, a, c = trio
    family = a.families.add(shared_document(name="Ayşe Yılmaz", phone="0176 1234 5678"))
    doc = a.families.document(family.id)
    doc["guardians"][0]["phones"] = ["0176 5555 6666"]          # A replaces the number: a deleted channel too
    a.families.update(family.id, doc)
    _round(office, [a, c], tmp_path, "r1")
    office.sync.handover([family.id], c.store.info.node_id)
    _round(office, [a, c], tmp_path, "r2")
    assert not a.families.exists(family.id)
    office.sync.handover([family.id], a.store.info.node_id)
    _round(office, [a, c], tmp_path, "r3")
    back = a.families.get(family.id)
    assert back.guardians[0].name == "Ayşe Yılmaz" and back.guardians[0].phones == ["+4917655556666"]
    assert [ch.first_name for ch in back.children] == [ch.first_name for ch in family.children]
    assert len(back.consents) == len(family.consents)
    assert not c.families.exists(family.id)
    # A's own stamps are accepted from the office only inside a handover to A
    stamp = stamp_of(a.store.info.node_id)
    path = hostile_file(office, a, tmp_path, "forged.elsync", rows=[("families", family.id, [("notes", stamp, "x")])])
    assert a.sync.import_files([path]).refused == 1
