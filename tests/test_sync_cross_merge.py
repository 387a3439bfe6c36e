"""A duplicate recorded by two navigators, merged at the office and undone (issue 16, item 1).

Three real stores (office, A, B) linked as after comparing fingerprints; every step goes through
real signed, encrypted sync files.  A and B each record the same family; the office merges B's
copy (OTHER) into A's (KEEP): A's laptop then holds the survivor with both histories, B's only a
pointer and not one byte of the absorbed family's personal data (raw pages decrypted, as in the
erasure tests).  The undo carries everything back to B and out of A's laptop.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from raw_pages import store_key_sql
from sync_helpers import hostile_file, later_than, linked_office_and_navigators, send, shared_document, stamp_of, sync_round
from test_erasure_bytes import VICTIM, leftovers, victim_document

from conftest import PASSPHRASE
from elternlotse.domain.errors import NotFoundError

KEEPER = "Keeperina Olvastrand"


@pytest.fixture
def trio(tmp_path):
    stores = linked_office_and_navigators(tmp_path, "Lotsin A", "Lotse B")
    yield stores
    for s in stores:
        s.store.close()


def _round(office, navs, tmp_path, tag):
    sync_round(office, navs, tmp_path, tag, no_refused_records=True)


def _consent_ids(services, family_id):
    return {c.stamp for c in services.families.get(family_id).consents}


def _doc(name, phone, email):
    doc = shared_document(name=name, phone=phone)
    doc["guardians"][0]["emails"] = [email]
    return doc


def _recorded_twice(trio, tmp_path):
    office, a, b = trio
    keep = a.families.add(_doc("Sebulon Kwertixa", VICTIM["phone"], "familie.a@example.org"))
    a.checklists.set_item(keep.children[0].id, "pa/pa-consent", "done", note="bei A abgehakt", day=date(2026, 9, 1))
    other = b.families.add(victim_document(shared=True))
    b.checklists.set_item(other.children[0].id, "pa/pa-consent", "done", note=VICTIM["checklist_note"],
                          day=date(2026, 9, 20))
    b.families.add(_doc(KEEPER, "0176 1111 2222", "keeper@example.org"))
    _round(office, [a, b], tmp_path, "r1")
    return keep, other


def test_a_merge_across_navigators_reaches_both_laptops_and_its_undo_too(trio, tmp_path):
    office, a, b = trio
    keep, other = _recorded_twice(trio, tmp_path)
    node_a, node_b = a.store.info.node_id, b.store.info.node_id
    [pair] = office.duplicates.candidates()
    assert {pair.first, pair.second} == {keep.id, other.id}
    keep_consents, other_consents = _consent_ids(a, keep.id), _consent_ids(b, other.id)

    merge = office.duplicates.merge(keep.id, other.id)
    assert (merge.owner, merge.from_owner) == (node_a, node_b)
    assert office.sync.owner_of(other.id) == node_a
    _round(office, [a, b], tmp_path, "r2")

    # A: the survivor with both histories (guardians, children, every consent entry, both ticks)
    survivor = a.families.get(keep.id)
    assert {g.name for g in survivor.guardians} == {"Sebulon Kwertixa", VICTIM["name"]}
    assert {c.first_name for c in survivor.children} >= {VICTIM["child"]}
    assert {c.stamp for c in survivor.consents} == keep_consents | other_consents
    notes = {r[0] for r in a.store.conn.execute("SELECT note FROM checklist_items WHERE family_id = ?", (keep.id,))}
    assert notes == {"bei A abgehakt", VICTIM["checklist_note"]}
    assert a.families.get(other.id).id == keep.id and [r.id for r in a.families.list()] == [keep.id]
    # B: a pointer to the survivor, nothing of the absorbed family, and its other family untouched
    assert b.store.conn.execute("SELECT merged_into, notes FROM families WHERE id = ?",
                                (other.id,)).fetchone() == (keep.id, "")
    assert [r.guardians for r in b.families.list()] == [KEEPER]
    with pytest.raises(NotFoundError):
        b.families.get(other.id)
    assert VICTIM["name"] not in b.store.dump_text() and "Kwertixa" not in b.store.dump_text()
    assert leftovers(tmp_path / "b", store_key_sql(tmp_path / "b", PASSPHRASE)) == {}
    assert b.store.conn.execute("SELECT count(*) FROM audit WHERE action = 'family.handed_away' AND target = ?",
                                (other.id,)).fetchone()[0] == 1

    # A works on the survivor, including the moved guardian; the office takes it
    later_than(a, office)
    doc = a.families.document(keep.id)
    doc["notes"] = "zusammengeführt bei A"
    a.families.update(keep.id, doc)
    _round(office, [a, b], tmp_path, "r3")
    assert office.families.get(keep.id).notes == "zusammengeführt bei A"

    # undo at the office: OTHER goes home to B whole, and leaves A's laptop
    office.duplicates.undo(merge.id)
    assert office.sync.owner_of(other.id) == node_b
    _round(office, [a, b], tmp_path, "r4")
    back = b.families.get(other.id)
    assert [g.name for g in back.guardians] == [VICTIM["name"]]
    assert [c.first_name for c in back.children] == [VICTIM["child"]]
    assert _consent_ids(b, other.id) == other_consents
    assert b.store.conn.execute("SELECT note FROM checklist_items WHERE family_id = ?",
                                (other.id,)).fetchone()[0] == VICTIM["checklist_note"]
    assert sorted(r.guardians for r in b.families.list()) == sorted([KEEPER, VICTIM["name"]])
    assert [g.name for g in a.families.get(keep.id).guardians] == ["Sebulon Kwertixa"]
    assert _consent_ids(a, keep.id) == keep_consents and not a.families.exists(other.id)
    assert VICTIM["name"] not in a.store.dump_text() and VICTIM["checklist_note"] not in a.store.dump_text()
    # B may change its family again; the office takes it
    later_than(b, office)
    doc = b.families.document(other.id)
    doc["notes"] = "wieder bei B"
    b.families.update(other.id, doc)
    _round(office, [a, b], tmp_path, "r5")
    assert office.families.get(other.id).notes == "wieder bei B"


def test_the_office_refuses_b_s_later_changes_to_what_moved_to_a(trio, tmp_path):
    office, a, b = trio
    keep, other = _recorded_twice(trio, tmp_path)
    office.duplicates.merge(keep.id, other.id)
    # B edits its copy before the office's package arrives: the office refuses it, nothing of A changes
    later_than(b, office)
    doc = b.families.document(other.id)
    doc["guardians"][0]["name"] = "Zebulon B-Edit"
    b.families.update(other.id, doc)
    report = office.sync.import_files([send(b, office, tmp_path, "late.elsync")])
    assert report.refused_records >= 1
    assert "Zebulon B-Edit" not in {g.name for g in office.families.get(keep.id).guardians}


def test_b_cannot_forge_the_merge_in_its_own_file(trio, tmp_path):
    """B builds, from the spec, a file claiming the office's merge: absorbing A's family into its own."""
    office, a, b = trio
    keep, other = _recorded_twice(trio, tmp_path)
    node_b = b.store.info.node_id
    stamp = stamp_of(node_b)
    persons = [r[0] for r in office.store.conn.execute("SELECT id FROM persons WHERE family_id = ?", (keep.id,))]
    path = hostile_file(b, office, tmp_path, "forged-merge.elsync", rows=[
        ("families", keep.id, [("owner", stamp, node_b), ("merged_into", stamp, other.id)]),
        *[("persons", p, [("family_id", stamp, other.id)]) for p in persons],
    ])
    report = office.sync.import_files([path])
    assert report.refused_records == 1 + len(persons)
    assert office.sync.owner_of(keep.id) == a.store.info.node_id
    assert {g.name for g in office.families.get(keep.id).guardians} == {"Sebulon Kwertixa"}
    assert office.families.get(other.id).id == other.id
    # and nothing of A's family reaches B in the office's next package
    b.sync.import_files([send(office, b, tmp_path, "down.elsync")])
    assert "Kwertixa" not in b.store.dump_text() and not b.families.exists(keep.id)


def test_an_undo_waits_while_the_survivor_was_handed_on(trio, tmp_path):
    from elternlotse.domain.errors import ValidationError

    office, a, b = trio
    keep, other = _recorded_twice(trio, tmp_path)
    merge = office.duplicates.merge(keep.id, other.id)
    office.sync.handover([keep.id], b.store.info.node_id)
    with pytest.raises(ValidationError, match="handed to another navigator since the merge"):
        office.duplicates.undo(merge.id)
    detail = [json.loads(r[0]) for r in office.store.conn.execute(
        "SELECT details FROM audit WHERE action = 'family.handover.detail'")]
    assert any(d.get("merge_into") == keep.id for d in detail)


def test_cli_merge_and_undo_say_who_holds_the_family(trio, tmp_path, cli):
    office, a, b = trio
    keep, other = _recorded_twice(trio, tmp_path)
    office.store.close()
    merged = cli("duplicates", "merge", keep.id, other.id, data=tmp_path / "office")
    assert merged.code == 0, merged.err
    line = merged.out.strip()
    assert "\n" not in line and f"Lotsin A ({a.store.info.node_id}) now holds the family" in line
    assert f"Lotse B ({b.store.info.node_id})" in line and "pointer" in line
    listed = cli("duplicates", "undo", "1", "--json", data=tmp_path / "office").json()
    assert listed["from_owner"] == b.store.info.node_id and listed["undone"]
    again = cli("duplicates", "merge", keep.id, other.id, data=tmp_path / "office")
    undone = cli("duplicates", "undo", "2", data=tmp_path / "office")
    assert again.code == 0 and undone.code == 0, undone.err
    assert f"Lotse B ({b.store.info.node_id}) holds {other.id} again" in undone.out


def test_a_merge_undone_before_the_laptops_synced_leaves_both_as_they_were(trio, tmp_path):
    office, a, b = trio
    keep, other = _recorded_twice(trio, tmp_path)
    before_a, before_b = a.families.get(keep.id), b.families.get(other.id)
    merge = office.duplicates.merge(keep.id, other.id)
    office.duplicates.undo(merge.id)
    _round(office, [a, b], tmp_path, "r2")
    assert a.families.get(keep.id).guardians == before_a.guardians and not a.families.exists(other.id)
    assert b.families.get(other.id).guardians == before_b.guardians and not b.families.exists(keep.id)
    assert _consent_ids(b, other.id) == {c.stamp for c in before_b.consents}
