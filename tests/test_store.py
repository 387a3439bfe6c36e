"""The encrypted store: creation, wrong passphrase, migrations with backups, the write path."""

from __future__ import annotations

import json
import sqlite3

import pytest

from elternlotse.app import create_store, open_store
from elternlotse.domain.errors import StoreError, ValidationError, WrongPassphraseError
from elternlotse.store import Store
from elternlotse.store import database
from elternlotse.store.migrations import all_migrations
from tests.conftest import PASSPHRASE, TEST_KDF, family_document


def test_store_file_is_encrypted_at_rest(services, data_dir):
    services.families.add(family_document())
    services.store.close()
    raw = (data_dir / "elternlotse.db").read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert "Yılmaz".encode() not in raw and b"ayse@example.org" not in raw
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(data_dir / "elternlotse.db").execute("SELECT * FROM sqlite_master").fetchall()
    reopened = open_store(data_dir, PASSPHRASE)
    assert reopened.families.count() == 1
    reopened.store.close()


def test_wrong_passphrase_is_one_clear_error(services, data_dir):
    services.store.close()
    with pytest.raises(WrongPassphraseError) as error:
        open_store(data_dir, "not the passphrase")
    assert "passphrase is wrong" in str(error.value)


def test_create_refuses_existing_store_and_short_passphrase(services, data_dir, tmp_path):
    with pytest.raises(StoreError):
        create_store(data_dir, PASSPHRASE, "Someone else", key_derivation=TEST_KDF)
    with pytest.raises(ValidationError):
        create_store(tmp_path / "other", "short", "X", key_derivation=TEST_KDF)
    assert not (tmp_path / "other" / "elternlotse.db").exists()


def test_wal_mode_and_schema_version(services):
    conn = services.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert services.store.meta("schema_version") == str(all_migrations()[-1][0])
    assert len(services.store.info.node_id) == 16


def test_migration_takes_a_backup_copy_first(services, data_dir, monkeypatch):
    services.store.close()
    calls = []

    class FakeMigration:
        @staticmethod
        def apply(conn):
            calls.append("applied")
            conn.execute("CREATE TABLE later_feature (id TEXT PRIMARY KEY)")

    real = all_migrations()
    monkeypatch.setattr(database, "all_migrations", lambda: [*real, (real[-1][0] + 1, FakeMigration)])
    reopened = Store.open(data_dir, PASSPHRASE)
    assert calls == ["applied"]
    assert reopened.meta("schema_version") == str(real[-1][0] + 1)
    backups = list((data_dir / "backups").glob("*.db"))
    assert len(backups) == 1 and f"schema{real[-1][0]}" in backups[0].name
    reopened.close()
    # The backup is the old schema and still opens with the same passphrase.
    monkeypatch.setattr(database, "all_migrations", lambda: real)
    backup_dir = data_dir / "restored"
    backup_dir.mkdir()
    backups[0].rename(backup_dir / "elternlotse.db")
    backups[0].with_suffix(".key").rename(backup_dir / "elternlotse.key")
    old = Store.open(backup_dir, PASSPHRASE)
    assert old.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'later_feature'").fetchone()[0] == 0
    old.close()


def test_failed_migration_rolls_back_and_keeps_version(services, data_dir, monkeypatch):
    services.store.close()

    class Broken:
        @staticmethod
        def apply(conn):
            conn.execute("CREATE TABLE half_done (id TEXT)")
            raise RuntimeError("boom")

    real = all_migrations()
    monkeypatch.setattr(database, "all_migrations", lambda: [*real, (real[-1][0] + 1, Broken)])
    with pytest.raises(RuntimeError):
        Store.open(data_dir, PASSPHRASE)
    monkeypatch.setattr(database, "all_migrations", lambda: real)
    store = Store.open(data_dir, PASSPHRASE)
    assert store.meta("schema_version") == str(real[-1][0])
    assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    store.close()


def test_every_change_is_logged_per_field_with_the_audit_entry(services):
    family = services.families.add(family_document())
    conn = services.store.conn
    fields = conn.execute("SELECT field FROM changes WHERE tbl = 'persons' AND row_id = ?", (family.guardians[0].id,)).fetchall()
    assert {"name", "languages", "family_id"} <= {f[0] for f in fields}
    before = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    doc = services.families.document(family.id)
    doc["guardians"][0]["name"] = "Ayşe Yılmaz-Kaya"
    services.families.update(family.id, doc)
    new = conn.execute("SELECT tbl, field, value FROM changes ORDER BY rowid DESC").fetchall()
    assert conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before + 1
    assert ("persons", "name", json.dumps("Ayşe Yılmaz-Kaya", ensure_ascii=False)) in new
    actions = [r[0] for r in conn.execute("SELECT action FROM audit ORDER BY seq")]
    assert actions[-1] == "family.update" and "family.add" in actions


def test_failed_action_writes_nothing(services):
    conn = services.store.conn
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("families", "changes", "audit")]
    with pytest.raises(RuntimeError), services.store.write("x", "test") as writer:
        writer.insert("families", {"notes": "half"})
        raise RuntimeError("crash in the middle")
    assert counts == [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("families", "changes", "audit")]


def test_stamps_are_monotonic_across_reopen(services, data_dir):
    first = services.families.add(family_document())
    stamp = first.updated
    services.store.close()
    store = Store.open(data_dir, PASSPHRASE)
    with store.write("x", "touch") as writer:
        later = writer.stamp
    assert later > stamp
    store.close()


def test_erasure_removes_personal_data_everywhere_but_keeps_tombstones(services):
    family = services.families.add(family_document())
    services.families.erase(family.id)
    conn = services.store.conn
    dump = services.store.dump_text()
    assert "Yılmaz" not in dump and "ayse@example.org" not in dump and "+4917612345678" not in dump
    kinds = {r[0] for r in conn.execute("SELECT kind FROM tombstones WHERE row_id = ?", (family.id,))}
    assert kinds == {"erase"}
    assert services.families.list() == []
    assert services.families.list("Yilmaz") == []
