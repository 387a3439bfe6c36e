"""Key derivation: Argon2id raw key, the key file, migration of old stores, the test-only path."""

from __future__ import annotations

import ast
import json
import os
import stat
from pathlib import Path

import pytest

from elternlotse.app import open_store
from elternlotse.domain.errors import StoreError, WrongPassphraseError
from elternlotse.store import Store
from elternlotse.store import database, keys, rekey
from tests.conftest import PASSPHRASE, TEST_KDF, family_document

SRC = Path(__file__).resolve().parents[1] / "src" / "elternlotse"


def make_legacy_store(folder: Path, passphrase: str) -> None:
    """A store as the app wrote it before key files: SQLCipher's PBKDF2 on the passphrase."""
    folder.mkdir(parents=True)
    path = folder / database.DB_NAME
    conn = database._connect(path, passphrase)
    database._migrate(conn, path, backup=False)
    with database._transaction(conn):
        for key, value in {"node_id": "0123456789abcdef", "name": "Old", "role": "navigator"}.items():
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_store_is_keyed_by_argon2id_and_its_key_file_holds_no_secret(services, data_dir):
    services.families.add(family_document())
    services.store.close()
    key_path = data_dir / "elternlotse.key"
    data = json.loads(key_path.read_text())
    assert data["kdf"] == "argon2id"
    assert (data["memory_kib"], data["iterations"], data["lanes"]) == (
        TEST_KDF.memory_kib, TEST_KDF.iterations, TEST_KDF.lanes)
    assert PASSPHRASE not in key_path.read_text()
    if os.name == "posix":
        assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    # The database opens with the raw key derived from the file, not with the passphrase itself.
    raw = keys.read_key_file(key_path).raw_key(PASSPHRASE)
    conn = database._connect(data_dir / "elternlotse.db", raw)
    assert conn.execute("SELECT count(*) FROM families").fetchone()[0] == 1
    conn.close()
    with pytest.raises(WrongPassphraseError):
        database._connect(data_dir / "elternlotse.db", PASSPHRASE)


def test_wrong_passphrase_stays_one_sentence(services, data_dir):
    services.store.close()
    with pytest.raises(WrongPassphraseError) as error:
        open_store(data_dir, "correct horse battery!")
    assert error.value.message_id.count(".") == 1 and "passphrase is wrong" in str(error.value)
    assert error.value.__cause__ is None and error.value.__suppress_context__


def test_old_store_moves_to_argon2id_on_its_next_unlock(tmp_path):
    folder = tmp_path / "old"
    make_legacy_store(folder, PASSPHRASE)
    os.chmod(folder / "elternlotse.db", 0o600)
    mode = stat.S_IMODE((folder / "elternlotse.db").stat().st_mode)
    assert not (folder / "elternlotse.key").exists()
    with pytest.raises(WrongPassphraseError):
        Store.open(folder, "not it at all", key_derivation=TEST_KDF)
    assert not (folder / "elternlotse.key").exists()  # a wrong passphrase changes nothing
    store = Store.open(folder, PASSPHRASE, key_derivation=TEST_KDF)
    assert store.info.node_id == "0123456789abcdef" and store.integrity_ok()
    store.close()
    assert keys.read_key_file(folder / "elternlotse.key").derivation == TEST_KDF
    if os.name == "posix":
        assert stat.S_IMODE((folder / "elternlotse.db").stat().st_mode) == mode  # the switch keeps permissions
    assert sorted(p.name for p in folder.iterdir()) == ["elternlotse.db", "elternlotse.key"]
    with pytest.raises(WrongPassphraseError):
        database._connect(folder / "elternlotse.db", PASSPHRASE)  # PBKDF2 no longer opens it
    Store.open(folder, PASSPHRASE).close()


@pytest.mark.parametrize("content", [
    "", "{", "[]", '{"format": "elternlotse-key", "version": 1, "kdf": "argon2id"}',
    '{"format": "elternlotse-key", "version": 1, "kdf": "argon2id", "memory_kib": 99999999999, "iterations": 1,'
    ' "lanes": 1, "salt": "AAAAAAAAAAAAAAAAAAAAAA=="}',
    '{"format": "elternlotse-key", "version": 1, "kdf": "argon2id", "memory_kib": 64, "iterations": 1,'
    ' "lanes": 1, "salt": "short"}',
    '{"format": "elternlotse-key", "version": 1, "kdf": "scrypt", "memory_kib": 64, "iterations": 1,'
    ' "lanes": 1, "salt": "AAAAAAAAAAAAAAAAAAAAAA=="}',
])
def test_a_damaged_key_file_is_one_sentence_and_touches_nothing(services, data_dir, content):
    services.store.close()
    before = (data_dir / "elternlotse.db").read_bytes()
    (data_dir / "elternlotse.key").write_text(content)
    with pytest.raises(StoreError) as error:
        open_store(data_dir, PASSPHRASE)
    assert "key file" in str(error.value) and not isinstance(error.value, WrongPassphraseError)
    assert (data_dir / "elternlotse.db").read_bytes() == before


def test_tampered_parameters_only_make_the_key_wrong(services, data_dir):
    services.store.close()
    key_path = data_dir / "elternlotse.key"
    data = json.loads(key_path.read_text())
    data["iterations"] += 1
    key_path.write_text(json.dumps(data))
    with pytest.raises(WrongPassphraseError):
        open_store(data_dir, PASSPHRASE)


def test_key_switch_refuses_while_another_connection_is_open(services, data_dir):
    services.families.add(family_document())
    other = open_store(data_dir, PASSPHRASE)
    try:
        with pytest.raises(StoreError) as error:
            database.change_passphrase(data_dir, PASSPHRASE, "Wolke Treppe Anker Seife Kamel", TEST_KDF)
        assert "in use" in str(error.value)
    finally:
        other.store.close()
        services.store.close()
    assert sorted(p.name for p in data_dir.iterdir()) == ["elternlotse.db", "elternlotse.key"]
    assert open_store(data_dir, PASSPHRASE).families.count() == 1


@pytest.mark.parametrize("state", ["copy-half-written", "copy-and-key-written", "switched-key-pending"])
def test_recovery_from_every_interrupted_state_opens_with_old_or_new(services, data_dir, state):
    """The file states a kill can leave (rekey.py's steps); the SIGKILL test hits them for real."""
    services.families.add(family_document())
    services.store.close()
    new = "Wolke Treppe Anker Seife Kamel"
    db, key = data_dir / "elternlotse.db", data_dir / "elternlotse.key"
    key_file = TEST_KDF.new_key_file()
    raw = key_file.raw_key(new)
    conn = database._connect(db, keys.read_key_file(key).raw_key(PASSPHRASE))
    if state == "copy-half-written":
        conn.close()
        rekey.pending_db(db).write_bytes(os.urandom(4096))
        expect = PASSPHRASE
    else:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ATTACH DATABASE ? AS rekey KEY " + keys.pragma_literal(raw), (str(rekey.pending_db(db)),))
        conn.execute("SELECT sqlcipher_export('rekey')")
        conn.execute("DETACH DATABASE rekey")
        conn.close()
        keys.write_key_file(rekey.pending_key(db), key_file)
        expect = PASSPHRASE
        if state == "switched-key-pending":
            os.replace(rekey.pending_db(db), db)
            expect = new
    other = new if expect == PASSPHRASE else PASSPHRASE
    with pytest.raises(WrongPassphraseError):
        open_store(data_dir, other)
    reopened = open_store(data_dir, expect)
    assert reopened.families.count() == 1 and reopened.store.integrity_ok()
    reopened.store.close()
    assert sorted(p.name for p in data_dir.iterdir()) == ["elternlotse.db", "elternlotse.key"]


def test_production_code_never_builds_a_cheaper_key_derivation():
    """The cheap derivation reaches the store only through parameters the tests pass."""
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("KeyDerivation", "Argon2id") and path.name != "keys.py":
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []
    text = (SRC / "store" / "keys.py").read_text(encoding="utf-8")
    assert "os.environ" not in text and "getenv" not in text
    assert keys.PRODUCTION.memory_kib >= 64 * 1024  # the figure docs/performance.md measures


def test_a_switch_or_open_waits_for_the_folder_lock_and_then_says_in_use(services, data_dir, monkeypatch):
    services.store.close()
    monkeypatch.setattr(rekey, "LOCK_WAIT_SECONDS", 0.2)
    with rekey.folder_lock(data_dir / "elternlotse.db"):  # another process in the middle of a switch
        with pytest.raises(StoreError) as error:
            database.change_passphrase(data_dir, PASSPHRASE, "Wolke Treppe Anker Seife Kamel", TEST_KDF)
        assert "in use" in str(error.value)
        with pytest.raises(StoreError):
            open_store(data_dir, PASSPHRASE)
    open_store(data_dir, PASSPHRASE).store.close()


def test_a_failing_copy_is_one_sentence_and_keeps_the_old_key(services, data_dir, monkeypatch):
    services.families.add(family_document())
    services.store.close()

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rekey, "_fsync_file", disk_full)
    with pytest.raises(StoreError) as error:
        database.change_passphrase(data_dir, PASSPHRASE, "Wolke Treppe Anker Seife Kamel", TEST_KDF)
    assert "could not be copied" in str(error.value)
    assert sorted(p.name for p in data_dir.iterdir()) == ["elternlotse.db", "elternlotse.key"]
    assert open_store(data_dir, PASSPHRASE).families.count() == 1


def test_too_little_memory_for_the_derivation_is_one_sentence(services, data_dir, monkeypatch):
    from cryptography.hazmat.primitives.kdf import argon2

    services.store.close()

    class Starved:
        def __init__(self, **_kwargs):
            pass

        def derive(self, _data):
            raise MemoryError

    monkeypatch.setattr(argon2, "Argon2id", Starved)
    with pytest.raises(StoreError) as error:
        open_store(data_dir, PASSPHRASE)
    assert "not enough free memory" in str(error.value)


def test_reopen_gives_a_second_connection_without_deriving_again(services, data_dir, monkeypatch):
    from cryptography.hazmat.primitives.kdf import argon2

    family = services.families.add(family_document())

    def no_derivation(**_kwargs):
        raise AssertionError("reopen must not derive the key again")

    monkeypatch.setattr(argon2, "Argon2id", no_derivation)
    second = services.store.reopen()
    assert second.conn is not services.store.conn
    assert second.conn.execute("SELECT count(*) FROM families WHERE id = ?", (family.id,)).fetchone()[0] == 1
    second.close()
    services.store.close()
    with pytest.raises(StoreError) as error:
        services.store.reopen()  # a locked store keeps nothing that opens it
    assert "locked" in str(error.value)
