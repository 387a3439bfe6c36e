"""Lost laptop (issue 12, item 7): the office revokes navigator A's key and hands A's families to C."""

from __future__ import annotations

import pytest

from conftest import PASSPHRASE, TEST_KDF
from elternlotse.app import create_store, open_store
from elternlotse.domain.errors import ValidationError
from sync_helpers import link, send, shared_document


@pytest.fixture
def office_a_c(tmp_path):
    office = create_store(tmp_path / "office", PASSPHRASE, "KoKo Hagen", office=True, key_derivation=TEST_KDF)
    a = create_store(tmp_path / "a", PASSPHRASE, "Lotsin A", key_derivation=TEST_KDF)
    c = create_store(tmp_path / "c", PASSPHRASE, "Lotse C", key_derivation=TEST_KDF)
    for nav in (a, c):
        link(nav, office)
    family = a.families.add(shared_document(name="Ayşe Yılmaz", phone="0176 1234 5678"))
    office.sync.import_files([send(a, office, tmp_path, "a1.elsync")])
    yield office, a, c, family
    for s in (office, a, c):
        s.store.close()


def test_lost_laptop_end_to_end(office_a_c, tmp_path, cli):
    office, a, c, family = office_a_c
    office_dir, node_a, node_c = tmp_path / "office", a.store.info.node_id, c.store.info.node_id
    # A's laptop made one more file before it was lost (signed before the revocation)
    doc = a.families.document(family.id)
    doc["notes"] = "vom verlorenen Laptop"
    a.families.update(family.id, doc)
    old_file = send(a, office, tmp_path, "a2.elsync")
    a.store.close()

    office.store.close()
    revoked = cli("keys", "revoke", node_a, "--reason", "Laptop gestohlen", data=office_dir)
    assert revoked.code == 0, revoked.err
    assert "revoked" in revoked.out and f"handover --from {node_a}" in revoked.out
    again = cli("keys", "revoke", node_a, data=office_dir)
    assert again.code == 1 and "already revoked" in again.err and again.err.count("\n") == 1
    listed = cli("keys", "list", "--json", data=office_dir).json()
    entry = next(p for p in listed["trusted"] if p["node_id"] == node_a)
    assert entry["revoked_at"] and entry["revoked_reason"] == "Laptop gestohlen"
    assert next(p for p in listed["trusted"] if p["node_id"] == node_c)["revoked_at"] is None
    text = cli("keys", "list", data=office_dir).out
    assert "revoked on" in next(line for line in text.splitlines() if line.startswith(node_a))

    office = open_store(office_dir, PASSPHRASE, key_derivation=TEST_KDF)
    try:
        peer = office.sync.peer(node_a)
        audit = office.store.conn.execute("SELECT count(*) FROM audit WHERE action = 'sync.revoke'").fetchone()[0]
        assert audit == 1
        # A's old file is refused with one sentence naming the file and the date
        report = office.sync.import_files([old_file])
        assert report.refused == 1 and report.applied == 0
        message = report.files[0].message
        assert "a2.elsync" in message and f"revoked on {peer.revoked_on}" in message
        assert office.families.get(family.id).notes != "vom verlorenen Laptop"
        # no package is made for A
        with pytest.raises(ValidationError, match="revoked"):
            office.sync.export(tmp_path / "oa.elsync", to=node_a)
        assert not (tmp_path / "oa.elsync").exists()
        # nor are families handed to a revoked navigator
        with pytest.raises(ValidationError, match="revoked"):
            office.sync.handover([family.id], node_a)
    finally:
        office.store.close()

    handed = cli("handover", "--from", node_a, "--to", node_c, "--json", data=office_dir)
    assert handed.code == 0, handed.err
    assert handed.json() == {"to": node_c, "handed_over": [family.id]}
    # C's next package carries A's family in full
    office = open_store(office_dir, PASSPHRASE, key_derivation=TEST_KDF)
    try:
        c.sync.import_files([send(office, c, tmp_path, "oc1.elsync")])
    finally:
        office.store.close()
    assert c.families.get(family.id).guardians[0].name == "Ayşe Yılmaz"
    assert c.sync.owner_of(family.id) == node_c


def test_only_an_office_revokes_and_only_navigators(office_a_c, tmp_path):
    office, a, c, family = office_a_c
    with pytest.raises(ValidationError, match="Only an office"):
        a.sync.revoke(office.store.info.node_id)
    with pytest.raises(ValidationError, match="longer than"):
        office.sync.revoke(a.store.info.node_id, "x" * 501)
    assert not office.sync.peer(a.store.info.node_id).revoked
