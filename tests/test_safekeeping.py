"""Only the owner opens it, backups that never outlive an erasure, true sentences under disk faults (issue 12).

The fault tests use real file systems: a small tmpfs filled to the last byte, a tmpfs
remounted read-only.  They need root (mount); elsewhere they are skipped.
"""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sync_helpers import link, shared_document

from elternlotse.app import create_store, open_store
from elternlotse.domain.errors import StoreError
from elternlotse.store import database, safekeeping
from elternlotse.store.migrations import all_migrations
from tests.conftest import PASSPHRASE, TEST_KDF, family_document


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): mode(p) for p in [folder, *folder.rglob("*")]}


def with_extra_migration(monkeypatch, count: int = 1) -> None:
    real = all_migrations()
    extra = []
    for number in range(real[-1][0] + 1, real[-1][0] + 1 + count):
        extra.append((number, type(f"M{number}", (), {"apply": staticmethod(
            lambda conn, n=number: conn.execute(f"CREATE TABLE later_{n} (id TEXT)"))})))
    monkeypatch.setattr(database, "all_migrations", lambda: [*real, *extra])


# ---------------------------------------------------------------- permissions
def test_a_new_store_and_everything_beside_it_is_readable_by_its_owner_only(data_dir, monkeypatch):
    old = os.umask(0o022)  # a typical desktop umask: files 0644, folders 0755
    try:
        services = create_store(data_dir, PASSPHRASE, "Ayla Navigator", key_derivation=TEST_KDF)
        services.families.add(family_document())
        services.store.close()
        with_extra_migration(monkeypatch)
        open_store(data_dir, PASSPHRASE).store.close()
        from elternlotse import settings as settings_file

        settings_file.save(data_dir, settings_file.Settings(ui_language="de"))
    finally:
        os.umask(old)
    found = modes(data_dir)
    assert "backups" in found and "settings.json" in found and "elternlotse.db" in found
    assert {name: m for name, m in found.items() if m != (0o700 if (data_dir / name).is_dir() else 0o600)} == {}


def test_wider_permissions_are_narrowed_at_open_with_one_sentence_once(services, data_dir, cli):
    services.store.close()
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / "elternlotse.db", 0o644)
    first = cli("family", "list")
    assert first.code == 0
    assert first.err.count("\n") == 1 and "readable by you only" in first.err and str(data_dir) in first.err
    assert mode(data_dir) == 0o700 and mode(data_dir / "elternlotse.db") == 0o600
    again = cli("family", "list")
    assert again.code == 0 and again.err == ""


def test_sync_files_and_personalised_handouts_are_written_owner_only(services, office_services, tmp_path, cli):
    link(services, office_services)
    family = services.families.add(shared_document())
    old = os.umask(0o022)
    try:
        services.sync.export(tmp_path / "out.elsync")
        handout = services.handouts.write(tmp_path / "handout.pdf", "dual-training", "tr", "de", family_id=family.id)
    finally:
        os.umask(old)
    assert mode(tmp_path / "out.elsync") == 0o600
    assert mode(handout) == 0o600


# ---------------------------------------------------------------- backups
def test_backups_are_encrypted_and_only_the_newest_is_kept(services, data_dir, monkeypatch):
    services.families.add(family_document())
    services.store.close()
    with_extra_migration(monkeypatch, 1)
    open_store(data_dir, PASSPHRASE).store.close()
    first = safekeeping.backups_in(data_dir)
    with_extra_migration(monkeypatch, 2)
    # the next migration's copy gets a later stamp even within the same second
    monkeypatch.setattr(safekeeping, "datetime", _Later)
    open_store(data_dir, PASSPHRASE).store.close()
    kept = safekeeping.backups_in(data_dir)
    assert len(first) == 1 and len(kept) == 1 and kept != first
    raw = kept[0].read_bytes()
    assert not raw.startswith(b"SQLite format 3") and "Yılmaz".encode() not in raw
    restored = data_dir.parent / "restored"
    restored.mkdir()
    (restored / "elternlotse.db").write_bytes(raw)
    monkeypatch.setattr(database, "all_migrations", all_migrations)
    with pytest.raises(StoreError):
        open_store(restored, "not the passphrase")


class _Later(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.now(tz) + timedelta(minutes=1)


def test_the_newest_backup_goes_after_the_grace_period(services, data_dir, monkeypatch):
    services.store.close()
    with_extra_migration(monkeypatch)
    open_store(data_dir, PASSPHRASE).store.close()
    assert len(safekeeping.backups_in(data_dir)) == 1
    later = datetime.now(timezone.utc) + timedelta(days=safekeeping.BACKUP_DAYS + 1)
    assert safekeeping.prune_backups(data_dir, now=later)
    assert safekeeping.backups_in(data_dir) == []


def test_an_erasure_removes_every_backup_that_predates_it(services, data_dir, monkeypatch):
    family = services.families.add(family_document())
    services.store.close()
    with_extra_migration(monkeypatch)
    services = open_store(data_dir, PASSPHRASE)
    assert safekeeping.backups_in(data_dir)
    services.families.erase(family.id)
    assert safekeeping.backups_in(data_dir) == []
    services.store.close()


# ---------------------------------------------------------------- faults
@pytest.fixture
def small_disk(tmp_path):
    """A real, small file system (tmpfs) of its own."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode:
        pytest.skip("tmpfs cannot be mounted here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    """Write until the file system has no byte left."""
    fd = os.open(disk / f"ballast{len(list(disk.glob('ballast*')))}", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 512, 1):
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError:
                pass
    finally:
        os.close(fd)


def test_a_read_only_folder_is_named_not_the_passphrase(small_disk, cli):
    data = small_disk / "data"
    assert cli("init", "--name", "Ayla", data=data).code == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = cli("family", "list", data=data)
    assert result.code == 1
    assert "read-only" in result.err and "passphrase" not in result.err and "Traceback" not in result.err
    assert result.err.count("\n") == 1


def test_a_full_disk_at_open_and_during_work_gives_one_true_sentence(small_disk, cli, tmp_path):
    data = small_disk / "data"
    assert cli("init", "--name", "Ayla", data=data).code == 0
    services = open_store(data, PASSPHRASE)
    services.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fill(small_disk)
    try:
        with pytest.raises(StoreError) as error:
            for index in range(200):  # until the WAL must grow
                services.families.add(family_document(name=f"Familie Voll{index}", phone=f"0176 4000 {index:04d}"))
        assert "is full" in str(error.value)
    finally:
        services.store.close()
    fill(small_disk)  # closing emptied the WAL: fill that space too
    result = cli("family", "list", data=data)
    assert result.code == 1 and "is full" in result.err and "passphrase" not in result.err
    for ballast in small_disk.glob("ballast*"):
        ballast.unlink()
    demo = cli("demo", "--families", "20000", data=data)  # runs out of space half-way
    assert demo.code == 1 and "is full" in demo.err and demo.err.count("\n") == 1 and "Traceback" not in demo.err
    after = cli("family", "list", "--json", data=data)
    assert after.code == 0  # the store is intact; whole batches only


def test_a_failed_export_leaves_no_file_and_counts_nothing(small_disk, tmp_path):
    data = small_disk / "data"
    navigator = create_store(data, PASSPHRASE, "Ayla Navigator", key_derivation=TEST_KDF)
    office = create_store(tmp_path / "office", PASSPHRASE, "KoKo", office=True, key_derivation=TEST_KDF)
    try:
        link(navigator, office)
        navigator.families.add(shared_document())
        navigator.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fill(small_disk)
        target = tmp_path / "out.elsync"  # another disk: the file itself can be written, the commit cannot
        with pytest.raises(StoreError) as error:
            navigator.sync.export(target)
        assert "is full" in str(error.value)
        assert not target.exists() and not list(tmp_path.glob(".out.elsync*"))
        for ballast in small_disk.glob("ballast*"):
            ballast.unlink()
        assert navigator.sync.peer(office.store.info.node_id).seq_out == 0
    finally:
        navigator.store.close()
        office.store.close()


def test_a_missing_or_moved_folder_and_a_newer_store_say_so(services, data_dir, cli, tmp_path):
    services.store.conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    services.store.close()
    newer = cli("family", "list")
    assert newer.code == 1 and "newer version" in newer.err
    data_dir.rename(tmp_path / "moved")
    gone = cli("family", "list")
    assert gone.code == 1 and "does not exist" in gone.err and "passphrase" not in gone.err
    wrong = cli("family", "list", data=tmp_path / "moved")
    assert wrong.code == 1 and "newer version" in wrong.err


def test_a_full_disk_during_import_gives_one_sentence_and_imports_nothing(small_disk, tmp_path, cli):
    navigator = create_store(tmp_path / "nav", PASSPHRASE, "Ayla Navigator", key_derivation=TEST_KDF)
    office_dir = small_disk / "office"
    office = create_store(office_dir, PASSPHRASE, "KoKo", office=True, key_derivation=TEST_KDF)
    try:
        link(navigator, office)
        for index in range(40):
            navigator.families.add(shared_document(name=f"Familie Import{index}", phone=f"0176 5000 {index:04d}"))
        navigator.sync.export(tmp_path / "1.elsync")
    finally:
        navigator.store.close()
        office.store.close()
    services = open_store(office_dir, PASSPHRASE)
    fill(small_disk)
    try:
        with pytest.raises(StoreError) as error:
            services.sync.import_files([tmp_path / "1.elsync"])
        assert "is full" in str(error.value)
    finally:
        services.store.close()
    for ballast in small_disk.glob("ballast*"):
        ballast.unlink()
    again = open_store(office_dir, PASSPHRASE)
    assert again.families.count() == 0  # the one transaction was rolled back whole
    again.store.close()


def test_an_erasure_on_a_nearly_full_disk_says_so_and_the_next_start_finishes_it(small_disk):
    from raw_pages import decrypted_data_folder, store_key_sql

    data = small_disk / "data"
    services = create_store(data, PASSPHRASE, "Ayla Navigator", key_derivation=TEST_KDF)
    for index in range(60):
        services.families.add(family_document(name=f"Familie Platz{index}", phone=f"0176 6000 {index:04d}"))
    victim = services.families.add(family_document(name="Quirinius Vollplatte", phone="0176 6999 1234"))
    services.store.close()
    key = store_key_sql(data, PASSPHRASE)
    services = open_store(data, PASSPHRASE)
    for index in range(5):  # the WAL now has room for a small transaction, not for a rewrite of the file
        services.families.add(family_document(name=f"Familie Rest{index}", phone=f"0176 6100 {index:04d}"))
    services.store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    fill(small_disk)
    try:
        with pytest.raises(StoreError) as error:
            services.families.erase(victim.id)
        assert "was erased" in str(error.value) and "next start" in str(error.value)
        assert not services.families.list(search="Vollplatte")  # erased, only not yet overwritten
    finally:
        services.store.close()
    for ballast in small_disk.glob("ballast*"):
        ballast.unlink()
    services = open_store(data, PASSPHRASE)  # finishes the scrub
    try:
        assert services.store.notices == [] and services.store.meta("scrub_pending") is None
        everything = b"".join(decrypted_data_folder(data, PASSPHRASE, key).values())
        assert b"Vollplatte" not in everything and b"Platz12" in everything
    finally:
        services.store.close()


def test_init_on_a_full_or_read_only_disk_says_so_and_leaves_nothing(small_disk, cli):
    fill(small_disk)
    full = cli("init", "--name", "Ayla", data=small_disk / "new")
    assert full.code == 1 and "is full" in full.err and full.err.count("\n") == 1
    assert not list((small_disk / "new").glob("elternlotse.db*"))
    for ballast in small_disk.glob("ballast*"):
        ballast.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    read_only = cli("init", "--name", "Ayla", data=small_disk / "other")
    assert read_only.code == 1 and "read-only" in read_only.err and read_only.err.count("\n") == 1
