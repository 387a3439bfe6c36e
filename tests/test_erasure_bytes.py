"""Erasure reaches every byte (issue 12, item 1): at a navigator and at an office.

Every page of every file in the data folder (main file, WAL, migration backups, free
pages, FTS shadow tables) is decrypted from the raw bytes (``tests/raw_pages.py``) and
searched for the erased person's name, phone (every form), e-mail, address, school
and notes.  Another family's data must still be found: that proves the pages were
really decrypted and the check is not empty.
"""

from __future__ import annotations

from datetime import date

import pytest
from raw_pages import decrypted_data_folder, store_key_sql
from sync_helpers import link, shared_document

from elternlotse.app import open_store
from elternlotse.domain.search_text import fold, skeleton
from elternlotse.store import database, safekeeping
from elternlotse.store.migrations import all_migrations
from tests.conftest import PASSPHRASE, TEST_KDF, family_document

VICTIM = {
    "name": "Zebulon Qwertyxa",
    "phone": "0176 9988 7766",
    "email": "zebulon.qwertyxa@example.org",
    "address": "Xylophonweg 17, 58095 Hagen",
    "school": "Quokkaschule Wehringhausen",
    "notes": "Vertraulich: Blumquist-Termin",
    "child": "Jolantheria",
    "checklist_note": "Pinguinformular unterschrieben",
}
KEEPER_NAME = "Keeperina Olvastrand"


def victim_document(shared: bool) -> dict:
    make = shared_document if shared else family_document
    doc = make(name=VICTIM["name"], phone=VICTIM["phone"], notes=VICTIM["notes"])
    guardian = doc["guardians"][0]
    guardian["emails"] = [VICTIM["email"]]
    guardian["address"] = VICTIM["address"]
    doc["children"][0].update(first_name=VICTIM["child"], school=VICTIM["school"])
    return doc


def needles() -> list[bytes]:
    """Every form the victim's data can take on disk: as typed, folded, digits, skeletons, fragments."""
    forms: set[str] = set()
    for key in ("name", "email", "address", "school", "notes", "child", "checklist_note"):
        value = VICTIM[key]
        forms.add(value)
        forms.update(w for w in value.replace(",", " ").replace(":", " ").split() if len(w) >= 6)
        forms.update(w for w in fold(value).split() if len(w) >= 6)
        # FTS5 stores a term after its neighbour's shared prefix: look for the tail too
        forms.update(w[2:] for w in fold(value).split() if len(w) >= 8)
    forms.update(w for w in skeleton(VICTIM["name"]).split() if len(w) >= 5)
    digits = "".join(c for c in VICTIM["phone"] if c.isdigit())       # 017699887766
    forms.update({VICTIM["phone"], digits, "+49" + digits[1:], "49" + digits[1:], digits[1:], digits[-8:]})
    return sorted({f.encode("utf-8") for f in forms})


def leftovers(folder, key_sql: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path, data in decrypted_data_folder(folder, PASSPHRASE, key_sql).items():
        hits = [n.decode() for n in needles() if n in data]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


def take_migration_backup(data_dir, monkeypatch) -> None:
    """Reopen the store with one more (empty) migration: a real backup copy is taken first."""
    real = all_migrations()

    class Later:
        @staticmethod
        def apply(conn):
            conn.execute("CREATE TABLE IF NOT EXISTS later_feature (id TEXT)")

    monkeypatch.setattr(database, "all_migrations", lambda: [*real, (real[-1][0] + 1, Later)])
    open_store(data_dir, PASSPHRASE).store.close()
    assert safekeeping.backups_in(data_dir)


def churn(services, family_id: str, rounds: int = 3) -> None:
    """Edits leave older page versions in the WAL and freed cells behind."""
    for index in range(rounds):
        doc = services.families.document(family_id)
        doc["notes"] = f"{VICTIM['notes']} ({index})"
        services.families.update(family_id, doc)


def test_erased_family_leaves_no_byte_in_any_file_at_the_navigator(data_dir, monkeypatch):
    from elternlotse.app import create_store

    create_store(data_dir, PASSPHRASE, "Ayla Navigator", "KoKo Hagen", key_derivation=TEST_KDF).store.close()
    services = open_store(data_dir, PASSPHRASE)
    keeper = services.families.add(family_document(name=KEEPER_NAME, phone="0176 1111 2222"))
    for index in range(30):
        services.families.add(family_document(name=f"Familie Nummer{index} Beispiel", phone=f"0176 300{index:02d} 100"))
    victim = services.families.add(victim_document(shared=False))
    services.checklists.set_item(victim.children[0].id, "pa/pa-consent", "done", note=VICTIM["checklist_note"],
                                 day=date(2026, 9, 20))
    churn(services, victim.id)
    services.store.close()
    take_migration_backup(data_dir, monkeypatch)
    key = store_key_sql(data_dir, PASSPHRASE)
    services = open_store(data_dir, PASSPHRASE)
    churn(services, victim.id)
    assert leftovers(data_dir, key), "the victim must be on disk before the erasure, or the check proves nothing"

    services.families.erase(victim.id)  # the store stays open: the erasure itself must reach the disk
    try:
        assert leftovers(data_dir, key) == {}
        decrypted = b"".join(decrypted_data_folder(data_dir, PASSPHRASE, key).values())
        assert KEEPER_NAME.encode() in decrypted and b"CREATE TABLE" in decrypted  # the pages were really read
        assert services.families.get(keeper.id).guardians[0].name == KEEPER_NAME
        assert services.families.list(search="Keeperina")
        assert not services.families.list(search="Qwertyxa") and not services.families.list(search="99887766")
        assert safekeeping.backups_in(data_dir) == []
    finally:
        services.store.close()


@pytest.mark.slow
def test_erasure_carried_by_sync_leaves_no_byte_at_the_office(services, tmp_path, monkeypatch):
    from elternlotse.app import create_store

    office_dir = tmp_path / "office"
    office = create_store(office_dir, PASSPHRASE, "KoKo Hagen", "Stadt Hagen", office=True, key_derivation=TEST_KDF)
    link(services, office)
    services.families.add(shared_document(name=KEEPER_NAME, phone="0176 1111 2222"))
    victim = services.families.add(victim_document(shared=True))
    services.checklists.set_item(victim.children[0].id, "pa/pa-consent", "done", note=VICTIM["checklist_note"],
                                 day=date(2026, 9, 20))
    churn(services, victim.id)
    services.sync.export(tmp_path / "1.elsync")
    office.sync.import_files([tmp_path / "1.elsync"])
    assert office.families.list(search="Qwertyxa")
    office.store.close()
    take_migration_backup(office_dir, monkeypatch)
    office_key = store_key_sql(office_dir, PASSPHRASE)
    navigator_key = store_key_sql(services.store.path.parent, PASSPHRASE)
    office = open_store(office_dir, PASSPHRASE)
    assert leftovers(office_dir, office_key), "the office must hold the victim before the erasure"

    services.families.erase(victim.id)
    services.sync.export(tmp_path / "2.elsync")
    report = office.sync.import_files([tmp_path / "2.elsync"])
    try:
        assert report.erasures >= 1
        assert leftovers(office_dir, office_key) == {}
        decrypted = b"".join(decrypted_data_folder(office_dir, PASSPHRASE, office_key).values())
        assert KEEPER_NAME.encode() in decrypted
        assert office.families.list(search="Keeperina") and not office.families.list(search="Qwertyxa")
        assert leftovers(services.store.path.parent, navigator_key) == {}
    finally:
        office.store.close()
