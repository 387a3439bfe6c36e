"""Sync trusts nobody: ownership, forged origin, silent merges (issue 11, classes 1, 2 and 8).

Two admitted navigators A and B and an office, built here; B's hostile files are written by
hand from docs/sync-format.md (``sync_helpers.hostile_file``), signed with B's real key, so only
the trust model stands between them and A's records.
"""

from __future__ import annotations

import uuid

import pytest

from conftest import PASSPHRASE, TEST_KDF
from elternlotse.app import create_store
from elternlotse.domain.consent import Purpose
from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.services.sync_report import describe
from sync_helpers import hostile_file, later_than, link, send, shared_document, stamp_of, store_counts, synced_state


@pytest.fixture
def trio(tmp_path):
    office = create_store(tmp_path / "office", PASSPHRASE, "KoKo Hagen", office=True, key_derivation=TEST_KDF)
    a = create_store(tmp_path / "a", PASSPHRASE, "Lotsin A", key_derivation=TEST_KDF)
    b = create_store(tmp_path / "b", PASSPHRASE, "Lotse B", key_derivation=TEST_KDF)
    for nav in (a, b):
        link(nav, office)
    family_a = a.families.add(shared_document(name="Ayşe Yılmaz", phone="0176 1234 5678"))
    family_b = b.families.add(shared_document(name="Boris Petrenko", phone="0176 9999 8888"))
    office.sync.import_files([send(a, office, tmp_path, "a1.elsync"), send(b, office, tmp_path, "b1.elsync")])
    a.sync.import_files([send(office, a, tmp_path, "oa1.elsync")])
    b.sync.import_files([send(office, b, tmp_path, "ob1.elsync")])
    yield office, a, b, family_a, family_b
    for s in (office, a, b):
        s.store.close()


def _refusals(report):
    return [(c.family, r["table"]) for c in report.families for r in c.refused]


def test_b_may_not_change_a_s_family(trio, tmp_path):
    office, a, b, family_a, family_b = trio
    node_b = b.store.info.node_id
    guardian = family_a.guardians[0].id
    before = synced_state(office)
    stamp = stamp_of(node_b)
    new_person = str(uuid.uuid4())
    consent = [str(uuid.uuid4()), guardian, "office", "", 0, "2026-12-01T10:00:00Z", "B", "verbal", "", "", stamp]
    grant = [str(uuid.uuid4()), guardian, "photos", "", 1, "2026-12-01T10:00:00Z", "B", "verbal", "", "", stamp]
    path = hostile_file(b, office, tmp_path, "evil.elsync",
                        rows=[("persons", guardian, [("name", stamp, "Mallory")]),
                              ("persons", new_person, [("family_id", stamp, family_a.id), ("role", stamp, "guardian"),
                                                       ("name", stamp, "Eindringling"), ("grade", stamp, None),
                                                       ("school", stamp, ""), ("school_year", stamp, ""),
                                                       ("languages", stamp, "[]"), ("address", stamp, ""),
                                                       ("position", stamp, 5)])],
                        tombstones=[("families", family_a.id, stamp, "erase")],
                        consents=[consent, grant])
    report = office.sync.import_files([path])
    assert report.applied == 1 and report.refused_records == 5
    assert synced_state(office) == before                       # nothing of A's family changed
    assert office.families.get(family_a.id).guardians[0].name == "Ayşe Yılmaz"
    assert office.consent.state(guardian).allows(Purpose.PASS_TO_OFFICE)
    assert not office.consent.state(guardian).allows(Purpose.PHOTOS)
    assert "Eindringling" not in office.store.dump_text()
    # the report names A's family and says why, per family
    assert {f for f, _t in _refusals(report)} == {family_a.id}
    line = describe(next(c for c in report.families if c.family == family_a.id), lambda n: "Lotsin A")
    assert "Ayşe Yılmaz" == next(c.label for c in report.families if c.family == family_a.id)
    assert "refused" in line and "Lotsin A" in line
    # and nothing of it travels to A
    a_before = synced_state(a)
    a.sync.import_files([send(office, a, tmp_path, "oa2.elsync")])
    assert synced_state(a) == a_before


def test_b_may_not_change_events_of_the_office_or_move_a_s_guardian(trio, tmp_path):
    office, a, b, family_a, family_b = trio
    node_b = b.store.info.node_id
    event = office.events.add({"type": "family_cafe", "starts": "2026-12-03T16:30", "place": "Realschule Emst"})
    b.sync.import_files([send(office, b, tmp_path, "ob2.elsync")])
    guardian = family_a.guardians[0].id
    stamp = stamp_of(node_b)
    path = hostile_file(b, office, tmp_path, "evil.elsync",
                        rows=[("events", event.id, [("place", stamp, "Nirgendwo")]),
                              ("persons", guardian, [("family_id", stamp, family_b.id)])],
                        tombstones=[("events", event.id, stamp, "delete")])
    report = office.sync.import_files([path])
    assert report.refused_records == 2              # per record: the event (change and deletion) and the guardian
    assert office.events.get(event.id).place == "Realschule Emst"
    assert office.store.conn.execute("SELECT deleted FROM events WHERE id = ?", (event.id,)).fetchone()[0] is None
    assert office.families.get(family_a.id).guardians[0].id == guardian
    # the office's next package to B carries nothing of A's guardian
    office.sync.export(tmp_path / "ob3.elsync", to=node_b)
    b.sync.import_files([tmp_path / "ob3.elsync"])
    assert "Yılmaz" not in b.store.dump_text() and "17612345678" not in b.store.dump_text()


def test_forged_origin_is_refused_as_a_whole(trio, tmp_path):
    office, a, b, family_a, family_b = trio
    counts = store_counts(office)
    stamp_b, stamp_a = stamp_of(b.store.info.node_id), stamp_of(a.store.info.node_id)
    path = hostile_file(b, office, tmp_path, "forged.elsync",
                        rows=[("families", family_b.id, [("notes", stamp_b, "harmless")]),
                              ("families", family_a.id, [("notes", stamp_a, "as if A wrote it")])])
    report = office.sync.import_files([path])
    assert report.refused == 1 and "stamped by another installation" in report.files[0].message
    assert store_counts(office) == counts
    # an office package may not carry the recipient's own stamps either
    path = hostile_file(office, a, tmp_path, "forged-office.elsync",
                        rows=[("families", family_a.id, [("notes", stamp_of(a.store.info.node_id), "mine?")])])
    with pytest.raises(ValidationError, match="own id"):
        raise a.sync.import_files([path]).error


def test_a_navigator_checks_every_office_package(trio, tmp_path):
    office, a, b, family_a, family_b = trio
    stamp = stamp_of(office.store.info.node_id)
    # B's family, sent to A: A holds no such family, and B's guardian's name must not land on A's laptop
    path = hostile_file(office, a, tmp_path, "wrong.elsync",
                        rows=[("persons", family_b.guardians[0].id, [("family_id", stamp, family_b.id),
                              ("role", stamp, "guardian"), ("name", stamp, "Boris Petrenko")])])
    report = a.sync.import_files([path])
    assert report.applied == 1 and report.refused_records == 1
    assert "Petrenko" not in a.store.dump_text().replace(report.families[0].refused[0]["row"], "")


def test_handover_moves_ownership_through_the_office(trio, tmp_path, cli):
    office, a, b, family_a, family_b = trio
    node_a, node_b = a.store.info.node_id, b.store.info.node_id
    assert office.sync.handover([family_a.id], node_b) == [family_a.id]
    # the new owner receives the whole family, the former owner learns of the handover
    b.sync.import_files([send(office, b, tmp_path, "ob2.elsync")])
    assert b.families.get(family_a.id).guardians[0].name == "Ayşe Yılmaz"
    a.sync.import_files([send(office, a, tmp_path, "oa2.elsync")])
    # A's copy is gone with that package (issue 16, item 6): A can no longer change it
    assert a.sync.owner_of(family_a.id) == "" and not a.families.exists(family_a.id)
    with pytest.raises(NotFoundError):
        a.families.document(family_a.id)
    # B may change it now
    later_than(b, a)
    doc = b.families.document(family_a.id)
    doc["notes"] = "bei B"
    b.families.update(family_a.id, doc)
    report_a = office.sync.import_files([send(a, office, tmp_path, "a2.elsync")])
    assert report_a.refused_records == 0
    office.sync.import_files([send(b, office, tmp_path, "b2.elsync")])
    assert office.families.get(family_a.id).notes == "bei B"
    assert office.store.conn.execute("SELECT count(*) FROM audit WHERE action = 'family.handover'").fetchone()[0] == 1
    assert b.sync.owner_of(family_a.id) == node_b != node_a


def test_silent_merge_of_one_phone_is_a_conflict_naming_the_family(trio, tmp_path):
    office, a, b, family_a, family_b = trio
    for side, phone in ((office, "0176 1111 2222"), (a, "0176 3333 4444")):    # neither saw the other's change
        later_than(side, office)
        doc = side.families.document(family_a.id)
        doc["guardians"][0]["phones"] = [phone]
        doc["guardians"][0]["messenger"] = []
        side.families.update(family_a.id, doc)
    report = office.sync.import_files([send(a, office, tmp_path, "a2.elsync")])
    assert report.conflicts == 1
    change = next(c for c in report.families if c.family == family_a.id)
    assert change.label == "Ayşe Yılmaz" and change.conflicts[0]["field"] == "channels.value"
    assert {change.conflicts[0]["kept"], change.conflicts[0]["other"]} == {"+4917611112222", "+4917633334444"}
    assert len(office.families.get(family_a.id).guardians[0].phones) == 1          # one number, not both
    # both sides end with the same number
    a.sync.import_files([send(office, a, tmp_path, "oa2.elsync")])
    assert a.families.get(family_a.id).guardians[0].phones == office.families.get(family_a.id).guardians[0].phones


def test_cli_handover_and_the_report_per_family(trio, tmp_path, cli):
    office, a, b, family_a, family_b = trio
    office_dir, node_b = tmp_path / "office", b.store.info.node_id
    stamp = stamp_of(node_b)
    path = hostile_file(b, office, tmp_path, "evil.elsync", rows=[("persons", family_a.guardians[0].id,
                                                                   [("name", stamp, "Mallory")])])
    text = cli("sync", "import", str(path), data=office_dir)
    assert text.code == 0
    line = next(x for x in text.out.splitlines() if x.startswith("Ayşe Yılmaz"))
    assert "from Lotse B" in line and "refused: 1 record (" in line and "belongs to Lotsin A" in line
    # a navigator cannot hand over; an office hands over to an admitted navigator only
    refused = cli("handover", family_a.id, "--to", node_b, data=tmp_path / "a")
    assert refused.code == 1 and "Only an office" in refused.err
    assert cli("handover", family_a.id, "--to", "0123456789abcdef", data=office_dir).code == 1
    done = cli("handover", family_a.id, "--to", node_b, "--json", data=office_dir)
    assert done.code == 0 and done.json() == {"to": node_b, "handed_over": [family_a.id]}
    assert office.sync.owner_of(family_a.id) == node_b
    # the handover reaches B (a new family, in full) and the report says so, as JSON too
    office.sync.export(tmp_path / "ob2.elsync", to=node_b)
    report = cli("sync", "import", str(tmp_path / "ob2.elsync"), "--json", data=tmp_path / "b").json()
    [change] = [c for c in report["families"] if c["family"] == family_a.id]
    assert change["label"] == "Ayşe Yılmaz" and change["new"]["persons"] == 2 and change["refused"] == []


def test_links_that_are_no_ids_are_refused_not_a_traceback(trio, tmp_path):
    office, a, b, family_a, family_b = trio
    stamp = stamp_of(b.store.info.node_id)
    before = synced_state(office)
    path = hostile_file(b, office, tmp_path, "odd.elsync",
                        rows=[("persons", family_b.guardians[0].id, [("family_id", stamp, 5)]),
                              ("channels", str(uuid.uuid4()), [("person_id", stamp, True), ("kind", stamp, "phone"),
                                                                ("value", stamp, "+491"), ("app", stamp, ""),
                                                                ("position", stamp, 0)])])
    report = office.sync.import_files([path])
    # refused per record by the trust check, or as a whole file once the field rules check link types
    assert report.refused_records == 2 or report.refused == 1
    assert synced_state(office) == before
