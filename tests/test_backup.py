"""Backup and restore (issue 12, item 6): real encrypted stores, hostile files, the way back."""

from __future__ import annotations

import json
import os
import stat
import struct
import threading

import pytest

from conftest import PASSPHRASE, TEST_KDF, family_document
from elternlotse.app import open_store, restore_store
from elternlotse.domain.errors import ElternlotseError, StoreError, ValidationError, WrongPassphraseError
from elternlotse.i18n import translate_error
from elternlotse.store import backup as backup_file
from elternlotse.store.backup import MAGIC


def _restore(source, target, passphrase=PASSPHRASE):
    return restore_store(source, target, passphrase)


def test_backup_restores_the_whole_store_with_the_same_passphrase(services, tmp_path):
    ids = [services.families.add(family_document(name=f"Familie {n}", phone=f"0176 1234 56{n:02d}")).id
           for n in range(5)]
    target = tmp_path / "stick" / "elternlotse.backup"
    target.parent.mkdir()
    result = services.backup.backup(target)
    assert result.path == str(target) and target.stat().st_size == result.bytes
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["elternlotse.backup"]   # no temporary file left
    data = target.read_bytes()
    assert data.startswith(MAGIC) and b"Familie" not in data and b"SQLite format 3" not in data
    restored_dir = tmp_path / "restored"
    header = _restore(target, restored_dir)
    assert header.schema_version == services.store.info.schema_version
    restored = open_store(restored_dir, PASSPHRASE, key_derivation=TEST_KDF)
    try:
        assert restored.store.info.node_id == services.store.info.node_id
        assert restored.store.integrity_ok() and restored.store.schema_problems() == []
        for family_id in ids:
            assert restored.families.document(family_id) == services.families.document(family_id)
        assert len(restored.families.list(search="Familie 3")) == 1      # the search index came along
    finally:
        restored.store.close()
    assert not list(tmp_path.glob(".restored.restoring-*"))
    if os.name == "posix":
        assert stat.S_IMODE(restored_dir.stat().st_mode) == 0o700


def test_backup_while_another_connection_writes_is_one_consistent_snapshot(services, tmp_path):
    for n in range(30):
        services.families.add(family_document(name=f"Vorher {n}", phone=f"0176 2000 00{n:02d}"))
    writer = open_store(services.store.path.parent, PASSPHRASE, key_derivation=TEST_KDF)
    stop = threading.Event()
    added: list[str] = []

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            added.append(writer.families.add(family_document(name=f"Waehrend {n}", phone=f"0176 3000 {n:04d}")).id)
            n += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        results = [services.backup.backup(tmp_path / f"b{i}.backup") for i in range(3)]
    finally:
        stop.set()
        thread.join()
        writer.store.close()
    assert added, "the other connection wrote while the backups ran"
    for i, result in enumerate(results):
        folder = tmp_path / f"r{i}"
        _restore(result.path, folder)
        restored = open_store(folder, PASSPHRASE, key_derivation=TEST_KDF)
        try:
            assert restored.store.integrity_ok()
            conn = restored.store.conn
            families = conn.execute("SELECT count(*) FROM families").fetchone()[0]
            persons_of = conn.execute("SELECT count(DISTINCT family_id) FROM persons").fetchone()[0]
            assert families >= 30 and persons_of == families   # no family without its people: one snapshot
        finally:
            restored.store.close()


def test_restore_refuses_a_folder_that_is_not_empty(services, tmp_path):
    target = tmp_path / "a.backup"
    services.backup.backup(target)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(StoreError) as refused:
        _restore(target, busy)
    assert "not empty" in translate_error(refused.value)
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]
    with pytest.raises(StoreError):
        _restore(target, services.store.path.parent)          # the live store itself: never overwritten
    # a folder holding only what every start writes (the log, the settings) is fine
    fresh = tmp_path / "fresh"
    (fresh / "logs").mkdir(parents=True)
    (fresh / "settings.json").write_text("{}")
    _restore(target, fresh)
    assert (fresh / "elternlotse.db").is_file() and (fresh / "elternlotse.key").is_file()


def test_wrong_passphrase_is_one_sentence_and_writes_nothing(services, tmp_path):
    target = tmp_path / "a.backup"
    services.backup.backup(target)
    with pytest.raises(WrongPassphraseError) as refused:
        _restore(target, tmp_path / "restored", "not the passphrase at all")
    assert "passphrase does not open" in translate_error(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.backup", "data"]


def _hostile_variants(data: bytes):
    length = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])[0]
    start = len(MAGIC) + 4
    header = json.loads(data[start:start + length])
    body = data[start + length:]

    def with_header(**changes):
        doc = {**header, **changes}
        raw = json.dumps(doc).encode()
        return MAGIC + struct.pack(">I", len(raw)) + raw + body

    yield "truncated", data[: len(data) - 4096]
    yield "cut in the header", data[: start + length // 2]
    yield "empty", b""
    yield "not ours", b"SQLite format 3\0" + b"\0" * 5000
    flipped = bytearray(data)
    flipped[start + length + 5000] ^= 0x01
    yield "one bit flipped", bytes(flipped)
    yield "huge header length", MAGIC + struct.pack(">I", 2 ** 31) + data[start:]
    yield "size that lies", with_header(database={**header["database"], "size": 10 ** 15})
    yield "digest that lies", with_header(database={**header["database"], "sha256": "0" * 64})
    yield "newer format", with_header(version=99)
    yield "key file damaged", with_header(key_file='{"format": "elternlotse-key"}')
    yield "hostile key parameters", with_header(key_file=header["key_file"].replace('"memory_kib": 64',
                                                                                   '"memory_kib": 99999999'))
    yield "deep json", MAGIC + struct.pack(">I", 12000) + b"[" * 6000 + b"]" * 6000 + body
    yield "appended bytes", data + b"\0" * 100


def test_corrupted_truncated_or_hostile_backups_are_refused_with_one_sentence(services, tmp_path):
    for n in range(3):
        services.families.add(family_document(name=f"Familie {n}"))
    good = tmp_path / "good.backup"
    services.backup.backup(good)
    data = good.read_bytes()
    for label, bad_bytes in _hostile_variants(data):
        bad = tmp_path / "bad.backup"
        bad.write_bytes(bad_bytes)
        target = tmp_path / "restored"
        with pytest.raises(ElternlotseError) as refused:
            _restore(bad, target)
        sentence = translate_error(refused.value)
        assert "\n" not in sentence and "Traceback" not in sentence, label
        assert "nothing was restored" in sentence or "update the app" in sentence, (label, sentence)
        assert not target.exists(), label
        assert not list(tmp_path.glob(".restored.restoring-*")), label


def test_newer_schema_in_a_backup_is_refused(services, tmp_path):
    with services.store.write("test", "test.newer"):
        services.store.set_meta("schema_version", "999")
    target = tmp_path / "a.backup"
    services.backup.backup(target)
    with pytest.raises(ValidationError) as refused:
        _restore(target, tmp_path / "restored")
    assert "newer version" in translate_error(refused.value)
    assert not (tmp_path / "restored").exists()


def test_a_failed_backup_leaves_no_file_and_names_the_cause(services, tmp_path, monkeypatch):
    services.families.add(family_document())
    folder = tmp_path / "stick"
    folder.mkdir()
    real_write = backup_file._write_file

    def disk_full(partial, header, copy):
        real_write(partial, header, copy)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_file, "_write_file", disk_full)
    with pytest.raises(StoreError) as refused:
        services.backup.backup(folder / "a.backup")
    assert "full" in translate_error(refused.value)
    assert list(folder.iterdir()) == []
    monkeypatch.undo()
    if os.name == "posix" and os.geteuid() != 0:
        os.chmod(folder, 0o500)
        try:
            with pytest.raises(StoreError) as refused:
                services.backup.backup(folder / "a.backup")
            assert "read-only" in translate_error(refused.value)
            assert list(folder.iterdir()) == []
        finally:
            os.chmod(folder, 0o700)
    with pytest.raises(ValidationError):
        services.backup.backup(tmp_path / "missing" / "a.backup")
    live = services.store.path
    before = live.read_bytes()
    for inside in (live, live.parent / "logs" / "a.backup"):
        with pytest.raises(ValidationError) as refused:
            services.backup.backup(inside)               # never over or beside the live store
        assert "data folder" in translate_error(refused.value)
    assert live.read_bytes() == before and services.store.integrity_ok()


def test_cli_backup_and_restore(cli, tmp_path, data_dir):
    assert cli("init", "--name", "Ayla").code == 0
    assert cli("family", "add", stdin=json.dumps(family_document())).code == 0
    target = tmp_path / "a.backup"
    done = cli("backup", "-o", str(target))
    assert done.code == 0 and str(target) in done.out
    refused = cli("restore", str(target))                 # the live data folder is not empty
    assert refused.code == 1 and "not empty" in refused.err and refused.err.count("\n") == 1
    restored_dir = tmp_path / "elsewhere"
    ok = cli("restore", str(target), data=restored_dir)
    assert ok.code == 0, ok.err
    listed = cli("family", "list", "--json", data=restored_dir)
    assert listed.code == 0 and "Yılmaz" in listed.out
    bad = tmp_path / "bad.backup"
    bad.write_bytes(target.read_bytes()[:-100])
    refused = cli("restore", str(bad), data=tmp_path / "third")
    assert refused.code == 1 and "not an Elternlotse backup" in refused.err
    assert not (tmp_path / "third").exists()
