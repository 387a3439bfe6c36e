"""A restored old backup must not resurrect a family erased since (issue 12, item 6).

Two real stores (navigator + office, keys exchanged as in test_sync.py); the office's
next package carries the erasure back to the restored laptop, and the office accepts
the restored laptop's files although its sequence numbers and receipts went backwards.
"""

from __future__ import annotations

import pytest

from conftest import PASSPHRASE, TEST_KDF
from elternlotse.app import open_store, restore_store
from sync_helpers import link, send, shared_document


@pytest.fixture
def pair(services, office_services):
    link(services, office_services)
    return services, office_services


@pytest.mark.parametrize("where", ["laptop", "office"])
def test_a_restored_old_backup_does_not_resurrect_an_erased_family(pair, tmp_path, where):
    nav, office = pair
    kept = nav.families.add(shared_document(name="Olena Kovalenko", phone="0176 5555 1111"))
    doomed = nav.families.add(shared_document(name="Ayşe Yılmaz", phone="0176 1234 5678"))
    office.sync.import_files([send(nav, office, tmp_path, "n1.elsync")])
    nav.sync.import_files([send(office, nav, tmp_path, "o1.elsync")])
    backup = tmp_path / "before.backup"
    nav.backup.backup(backup)

    # the erasure, and a full round trip afterwards: both sides know it, receipts move on
    if where == "laptop":
        nav.families.erase(doomed.id)
    else:
        office.families.erase(doomed.id)
    office.sync.import_files([send(nav, office, tmp_path, "n2.elsync")])
    nav.sync.import_files([send(office, nav, tmp_path, "o2.elsync")])
    office.sync.import_files([send(nav, office, tmp_path, "n3.elsync")])
    assert not nav.families.exists(doomed.id) and not office.families.exists(doomed.id)
    nav.store.close()   # the laptop is lost

    fresh = tmp_path / "new-laptop"
    restore_store(backup, fresh, PASSPHRASE)
    restored = open_store(fresh, PASSPHRASE, key_derivation=TEST_KDF)
    try:
        assert restored.families.exists(doomed.id)          # the old backup still holds it ...
        # ... the restored laptop's next file (its numbers went backwards) is accepted by the office
        report = office.sync.import_files([send(restored, office, tmp_path, "r1.elsync")])
        assert report.applied == 1 and report.error is None, report.files
        assert not office.families.exists(doomed.id)
        office_text = office.store.dump_text()
        assert "Ayşe" not in office_text and "17612345678" not in office_text
        # ... and the office's next package carries the erasure back
        report = restored.sync.import_files([send(office, restored, tmp_path, "o3.elsync")])
        assert report.applied == 1 and report.error is None, report.files
        assert not restored.families.exists(doomed.id)
        text = restored.store.dump_text()
        assert "Ayşe" not in text and "17612345678" not in text and "Yılmaz" not in text
        # nothing else lost: the other family is there on both sides, and later files flow both ways
        assert restored.families.exists(kept.id) and office.families.exists(kept.id)
        assert restored.families.document(kept.id)["guardians"][0]["name"] == "Olena Kovalenko"
        doc = restored.families.document(kept.id)
        doc["notes"] = "nach der Wiederherstellung"
        restored.families.update(kept.id, doc)
        report = office.sync.import_files([send(restored, office, tmp_path, "r2.elsync")])
        assert report.applied == 1 and office.families.document(kept.id)["notes"] == "nach der Wiederherstellung"
        assert restored.sync.import_files([send(office, restored, tmp_path, "o4.elsync")]).applied == 1
        assert not restored.families.exists(doomed.id)
        assert restored.store.integrity_ok() and office.store.integrity_ok()
    finally:
        restored.store.close()
