"""Putting a store under a new key, crash-safely (passphrase change, migration to Argon2id).

The store is two files: ``elternlotse.db`` (encrypted) and ``elternlotse.key`` (salt
and parameters; absent for stores from before key files, whose passphrase went
through SQLCipher's PBKDF2).  A new key never touches them in place:

1. the open store is copied with ``sqlcipher_export`` into ``elternlotse.db.rekey``
   under the new raw key, checked, fsynced;
2. the new key file is written as ``elternlotse.key.rekey`` (atomically);
3. ``elternlotse.db.rekey`` replaces ``elternlotse.db`` (one rename: the commit point);
4. ``elternlotse.key.rekey`` replaces ``elternlotse.key``.

``recover`` runs before every open.  ``elternlotse.db.rekey`` still there means step 3
never happened: both pending files are removed (key file first) and the old
passphrase opens the store.  Only ``elternlotse.key.rekey`` left means step 3
happened: step 4 is finished and the new passphrase opens it.  A kill at any
moment, including during ``recover`` itself, therefore leaves a store that opens
with the old or with the new passphrase.

``folder_lock`` (an exclusive ``flock`` on the data folder, POSIX) is held by every
opener while it recovers, reads the key file and connects, and by the switch from
start to end, so no process opens a half-switched store or undoes another one's
switch.  (On Windows there is no ``fcntl``; the lock is then a no-op and the
switch relies on SQLite's own exclusive lock.)
"""

from __future__ import annotations

import os
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlcipher3

from elternlotse.domain.errors import StoreError
from elternlotse.domain.text import N_
from elternlotse.store.keys import KeyFile, fsync_dir, key_file_path, pragma_literal, write_key_file

PENDING = ".rekey"


def pending_db(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + PENDING)


def pending_key(db_path: Path) -> Path:
    key = key_file_path(db_path)
    return key.with_name(key.name + PENDING)


def _sidecars(path: Path) -> list[Path]:
    return [Path(str(path) + suffix) for suffix in ("-journal", "-wal", "-shm")]


IN_USE = N_("The store is in use by another window or command; close it and try again.")
LOCK_WAIT_SECONDS = 30.0


@contextmanager
def folder_lock(db_path: Path) -> Iterator[None]:
    """Hold the data folder's key lock (see the module text); wait up to 30 s for another holder."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    folder = Path(db_path).parent
    if not folder.is_dir():
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(IN_USE) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def recover(db_path: Path) -> None:
    """Finish or undo a key change that a crash interrupted (see the module text)."""
    db_path = Path(db_path)
    new_db, new_key = pending_db(db_path), pending_key(db_path)
    for leftover in (Path(str(new_key) + ".tmp"), Path(str(key_file_path(db_path)) + ".tmp")):
        leftover.unlink(missing_ok=True)
    if new_db.exists():
        # The switch never happened: the key file goes first, so a kill here repeats this branch.
        new_key.unlink(missing_ok=True)
        fsync_dir(db_path.parent)
        for path in (*_sidecars(new_db), new_db):
            path.unlink(missing_ok=True)
        fsync_dir(db_path.parent)
    elif new_key.exists() and db_path.exists():
        os.replace(new_key, key_file_path(db_path))
        fsync_dir(db_path.parent)


def switch_key(conn: sqlcipher3.Connection, db_path: Path, key_file: KeyFile, raw_key: bytes) -> None:
    """Put the store open on ``conn`` under ``raw_key`` (described by ``key_file``); closes ``conn``.

    The caller holds ``folder_lock``.  ``conn`` must be the only connection to the
    store: the switch refuses to run otherwise, because a second connection would go
    on writing to the old file.  A failure before the commit point leaves the old
    key in place and is one sentence.
    """
    db_path = Path(db_path)
    new_db, new_key = pending_db(db_path), pending_key(db_path)
    recover(db_path)
    try:
        _take_sole_access(conn)
        for path in (*_sidecars(new_db), new_db):
            path.unlink(missing_ok=True)
        conn.execute("ATTACH DATABASE ? AS rekey KEY " + pragma_literal(raw_key), (str(new_db),))
        try:
            conn.execute("SELECT sqlcipher_export('rekey')")
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA rekey.user_version = {int(version)}")
        finally:
            conn.execute("DETACH DATABASE rekey")
        _check_copy(conn, new_db, raw_key)
        os.chmod(new_db, stat.S_IMODE(db_path.stat().st_mode))  # the new file keeps the old one's permissions
        _fsync_file(new_db)
        write_key_file(new_key, key_file)
    except (sqlcipher3.DatabaseError, OSError):
        conn.close()
        recover(db_path)
        raise StoreError(N_("The store could not be copied under the new key; nothing was changed.")) from None
    except BaseException:
        conn.close()
        recover(db_path)
        raise
    conn.close()
    for path in _sidecars(db_path):
        if path.exists() and path.stat().st_size > 0:
            recover(db_path)  # an old journal would be replayed onto the new file: stop before the switch
            raise StoreError(IN_USE)
    os.replace(new_db, db_path)  # the commit point
    fsync_dir(db_path.parent)
    for path in _sidecars(db_path):
        path.unlink(missing_ok=True)
    os.replace(new_key, key_file_path(db_path))
    fsync_dir(db_path.parent)


def _take_sole_access(conn: sqlcipher3.Connection) -> None:
    """Leave WAL mode and hold an exclusive lock until ``conn`` closes; refuse if others are connected."""
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlcipher3.OperationalError:
        mode = ""
    if str(mode).lower() != "delete":
        raise StoreError(IN_USE)


def _check_copy(conn: sqlcipher3.Connection, new_db: Path, raw_key: bytes) -> None:
    """The copy opens with the new key and holds as many rows in every table as the original."""
    check = sqlcipher3.connect(str(new_db), isolation_level=None)
    try:
        check.execute("PRAGMA cipher_log_level = NONE")
        check.execute("PRAGMA key = " + pragma_literal(raw_key))
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            before = conn.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
            after = check.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
            if before != after:
                raise StoreError(N_("The store could not be copied under the new key; nothing was changed."))
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise StoreError(N_("The store could not be copied under the new key; nothing was changed."))
    except sqlcipher3.DatabaseError:
        raise StoreError(N_("The store could not be copied under the new key; nothing was changed.")) from None
    finally:
        check.close()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
