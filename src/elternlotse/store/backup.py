"""Backup of the whole store to one file, and restore into a new data folder (issue 12, item 6).

The backup file (docs/backup-format.md) is a small clear header and the encrypted
database, byte for byte as SQLCipher wrote it under the store's raw key:

    16 bytes   b"ELTERNLOTSE-BAK\\n"
     4 bytes   header length H, big-endian (at most MAX_HEADER)
     H bytes   header, UTF-8 JSON: format, version, created, schema_version,
               key_file (the text of ``elternlotse.key``: salt and Argon2id
               parameters, not secret), database {size, sha256}
     size bytes the SQLCipher database

**Making it** (``make_backup``) works while the app is open: on a connection of
its own it ATTACHes a new file under the same raw key and runs ``sqlcipher_export``
inside one read transaction, so the copy is one consistent snapshot even while
another connection writes (WAL), and the row counts of that snapshot are compared
with the copy's.  The copy is checked (``quick_check``, opened again with the key),
then streamed with its digest into ``FILE.partial`` (owner-only), fsynced and
renamed to ``FILE``.  Any failure removes both temporary files: there is a complete
backup or none.

**Restoring** (``restore_backup``) reads the header with bounds (size, JSON,
key parameters), copies the database into a temporary folder next to the target
while checking its size and digest, opens it with the passphrase (a wrong one is
one sentence), checks its integrity and schema version (newer: refused; older:
migrated by the ordinary open), and only then puts it in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import sqlcipher3

from elternlotse.domain.errors import StoreError, ValidationError, WrongPassphraseError
from elternlotse.domain.text import N_
from elternlotse.store import keys, rekey, safekeeping

MAGIC = b"ELTERNLOTSE-BAK\n"
FORMAT = "elternlotse-backup"
VERSION = 1
MAX_HEADER = 16 * 1024
#: A backup larger than this is refused before anything is read (a hostile size field).
MAX_DATABASE = 16 * 1024 ** 3
CHUNK = 1024 * 1024
PARTIAL = ".partial"
#: What may already be in a data folder that a backup is restored into (written by every start).
HARMLESS = {"logs", "settings.json", "elternlotse.key"}

Progress = Callable[[int, int], None]

NOT_A_BACKUP = N_("{path} is not an Elternlotse backup, or it is damaged; nothing was restored.")
NOT_EMPTY = N_("The data folder {path} is not empty; a backup is restored only into an empty or new folder "
                "(give another one with --data-dir). Nothing was changed.")
WRITE_FAILED = N_("The backup could not be written to {path} ({reason}); no backup file was left there.")


@dataclass(frozen=True)
class BackupResult:
    path: str
    bytes: int
    schema_version: int
    rows: int


@dataclass(frozen=True)
class BackupHeader:
    created: str
    schema_version: int
    key_file: keys.KeyFile
    size: int
    sha256: str
    offset: int


# ---------------------------------------------------------------- backup
def make_backup(store, target: Path, progress: Progress | None = None) -> BackupResult:
    """Write a verified backup of ``store`` (an open ``Store``) to ``target``; complete or absent."""
    target = Path(target)
    folder = Path(store.path).parent.resolve()
    if target.parent.resolve() == folder or folder in target.parent.resolve().parents:
        # never next to (or over) the live store: erasures, permissions and a lost laptop would take it too
        raise ValidationError(N_("A backup cannot be written into the data folder {path}; choose another place, "
                                 "for example a USB stick."), path=str(folder))
    if target.is_dir():
        raise ValidationError(N_("{path} is a folder; give a file name."), path=str(target))
    if not target.parent.is_dir():
        raise ValidationError(N_("The folder {path} does not exist; no backup was written."), path=str(target.parent))
    key_file = keys.read_key_file(keys.key_file_path(store.path))
    if key_file is None:
        raise StoreError(N_("This store has no key file yet; open it once with its passphrase, then back it up."))
    copy = target.with_name(f".{target.name}.db{PARTIAL}")
    partial = target.with_name(target.name + PARTIAL)
    step = _stepper(progress, 4)
    try:
        with safekeeping.private_umask():
            _remove(copy, partial)
            counts, version = _export(store.conn, copy, store._raw_key)
            step()
            _check_copy(copy, store._raw_key, counts)
            step()
            size, digest = _digest(copy)
            header = _header_bytes(key_file, version, size, digest)
            _write_file(partial, header, copy)
            step()
            os.replace(partial, target)
            keys.fsync_dir(target.parent)
        step()
    except BaseException as error:
        _remove(copy, partial)
        if isinstance(error, (OSError, sqlcipher3.Error)):
            raise _write_error(error, target) from None
        raise
    finally:
        _remove(copy)
    return BackupResult(str(target), len(header) + size, version, sum(counts.values()))


def _export(conn, copy: Path, raw_key: bytes) -> tuple[dict[str, int], int]:
    """``sqlcipher_export`` of one read snapshot into ``copy`` (same key); the snapshot's row counts."""
    conn.execute("ATTACH DATABASE ? AS backup KEY " + keys.pragma_literal(raw_key), (str(copy),))
    try:
        conn.execute("BEGIN")
        try:
            counts = _counts(conn, "main")
            version = int(conn.execute("SELECT value FROM main.meta WHERE key = 'schema_version'").fetchone()[0])
            conn.execute("SELECT sqlcipher_export('backup')")
            user_version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA backup.user_version = {int(user_version)}")
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")
    finally:
        conn.execute("DETACH DATABASE backup")
    return counts, version


def _counts(conn, schema: str) -> dict[str, int]:
    tables = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: conn.execute(f'SELECT count(*) FROM {schema}."{t.replace(chr(34), chr(34) * 2)}"').fetchone()[0]
            for t in tables}


def _check_copy(copy: Path, raw_key: bytes, counts: dict[str, int]) -> None:
    """The copy opens with the key on its own, passes quick_check and holds the snapshot's rows."""
    check = _open_raw(copy, raw_key)
    try:
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok" or _counts(check, "main") != counts:
            raise StoreError(N_("The backup did not match the store when it was checked; no backup was written."))
    finally:
        check.close()


def _header_bytes(key_file: keys.KeyFile, version: int, size: int, digest: str) -> bytes:
    header = json.dumps({
        "format": FORMAT, "version": VERSION,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "schema_version": version, "key_file": key_file.to_json(),
        "database": {"size": size, "sha256": digest},
    }, sort_keys=True).encode("utf-8")
    return MAGIC + struct.pack(">I", len(header)) + header


def _write_file(partial: Path, header: bytes, copy: Path) -> None:
    # Created 0600 (no chmod afterwards: a FAT-formatted stick refuses it, and the mode is right already).
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, safekeeping.PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb", closefd=False) as out, open(copy, "rb") as source:
            out.write(header)
            shutil.copyfileobj(source, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
    finally:
        os.close(fd)


def _write_error(error: BaseException, target: Path) -> StoreError:
    fault = safekeeping.fault_error(error, target.parent)
    if fault is not None:
        return fault  # full, read-only, gone: the folder named, one sentence
    reason = getattr(error, "strerror", None) or type(error).__name__
    return StoreError(WRITE_FAILED, path=str(target), reason=reason)


# ---------------------------------------------------------------- reading a backup (hostile until checked)
def read_header(path: Path) -> BackupHeader:
    """The checked header of a backup file (raises ValidationError with one sentence)."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            total = os.fstat(handle.fileno()).st_size
            start = handle.read(len(MAGIC) + 4)
            if len(start) < len(MAGIC) + 4 or not start.startswith(MAGIC):
                raise ValidationError(NOT_A_BACKUP, path=str(path))
            (length,) = struct.unpack(">I", start[len(MAGIC):])
            if not 2 <= length <= MAX_HEADER:
                raise ValidationError(NOT_A_BACKUP, path=str(path))
            raw = handle.read(length)
    except FileNotFoundError:
        raise ValidationError(N_("The file {path} does not exist."), path=str(path)) from None
    except IsADirectoryError:
        raise ValidationError(N_("{path} is a folder; give a file name."), path=str(path)) from None
    except OSError as error:
        raise ValidationError(N_("The file {path} cannot be read ({reason})."), path=str(path),
                              reason=error.strerror or type(error).__name__) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValidationError(NOT_A_BACKUP, path=str(path)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(NOT_A_BACKUP, path=str(path))
    if data.get("version") != VERSION:
        raise ValidationError(N_("{path} was written by a newer version of Elternlotse; please update the app."),
                              path=str(path))
    database, version, key_text = data.get("database"), data.get("schema_version"), data.get("key_file")
    if not isinstance(database, dict) or not _is_int(version, 0, 10_000) or not isinstance(key_text, str):
        raise ValidationError(NOT_A_BACKUP, path=str(path))
    size, digest = database.get("size"), database.get("sha256")
    offset = len(MAGIC) + 4 + length
    if not _is_int(size, 1, MAX_DATABASE) or not isinstance(digest, str) or len(digest) != 64 \
            or total != offset + size:
        raise ValidationError(NOT_A_BACKUP, path=str(path))  # truncated, grown or a size that lies
    if len(key_text) > 4096:
        raise ValidationError(NOT_A_BACKUP, path=str(path))
    try:
        key_file = keys.KeyFile.from_json(key_text, path)
    except StoreError:
        raise ValidationError(NOT_A_BACKUP, path=str(path)) from None
    return BackupHeader(str(data.get("created", ""))[:40], version, key_file, size, digest.lower(), offset)


def _is_int(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


# ---------------------------------------------------------------- restore
def folder_is_free(data_dir: Path) -> bool:
    """Absent, or holding nothing but what every start writes (logs, settings, a lone key file)."""
    data_dir = Path(data_dir)
    if not data_dir.exists():
        return True
    if not data_dir.is_dir():
        return False
    return all(entry.name in HARMLESS for entry in data_dir.iterdir())


def ensure_free(data_dir: Path) -> None:
    if not folder_is_free(data_dir):
        raise StoreError(NOT_EMPTY, path=str(data_dir))


def restore_backup(source: Path, data_dir: Path, passphrase: str, progress: Progress | None = None) -> BackupHeader:
    """Restore ``source`` into ``data_dir`` (absent or free); verified before anything is put in place."""
    source, data_dir = Path(source), Path(data_dir)
    ensure_free(data_dir)
    header = read_header(source)
    step = _stepper(progress, 4)
    parent = data_dir.parent
    if not parent.is_dir():
        raise StoreError(N_("The folder {path} does not exist; nothing was restored."), path=str(parent))
    work = parent / f".{data_dir.name}.restoring-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        safekeeping.make_private_dir(work)
        db_path = work / "elternlotse.db"
        with safekeeping.private_umask():
            _copy_checked(source, header, db_path)
            step()
            raw_key = header.key_file.raw_key(passphrase)
            _verify_restored(db_path, raw_key, header, source)
            keys.write_key_file(keys.key_file_path(db_path), header.key_file)
            step()
        _open_once(db_path, raw_key)  # migrations run here when the backup is older
        step()
        _put_in_place(work, data_dir)
        step()
    except BaseException as error:
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(error, (OSError, sqlcipher3.Error)):
            raise safekeeping.fault_error(error, parent) or StoreError(
                N_("The backup could not be restored into {path} ({reason}); nothing was changed."),
                path=str(data_dir), reason=getattr(error, "strerror", None) or type(error).__name__) from None
        raise
    return header


def _copy_checked(source: Path, header: BackupHeader, db_path: Path) -> None:
    digest = hashlib.sha256()
    copied = 0
    with open(source, "rb") as handle, open(db_path, "wb") as out:
        handle.seek(header.offset)
        while copied < header.size:
            chunk = handle.read(min(CHUNK, header.size - copied))
            if not chunk:
                break
            digest.update(chunk)
            out.write(chunk)
            copied += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    if copied != header.size or digest.hexdigest() != header.sha256:
        raise ValidationError(NOT_A_BACKUP, path=str(source))


def _verify_restored(db_path: Path, raw_key: bytes, header: BackupHeader, source: Path) -> None:
    from elternlotse.store.migrations import all_migrations

    try:
        conn = _open_raw(db_path, raw_key)
    except sqlcipher3.DatabaseError:
        raise WrongPassphraseError(N_("The passphrase does not open the backup {path}; nothing was restored."),
                                   path=str(source)) from None
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ValidationError(NOT_A_BACKUP, path=str(source))
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > max(n for n, _m in all_migrations()):
            raise ValidationError(N_("The backup {path} was made by a newer version of Elternlotse (schema {version}); "
                                     "please update the app. Nothing was restored."), path=str(source), version=version)
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlcipher3.DatabaseError:
        raise ValidationError(NOT_A_BACKUP, path=str(source)) from None
    finally:
        conn.close()


def _open_once(db_path: Path, raw_key: bytes) -> None:
    """Open the restored copy as every store is opened (migrations, search index, pruning), with the
    key already derived: a second Argon2id derivation would double the restore's time."""
    from elternlotse.store.database import Store, _connect

    Store._open_path(db_path, _connect(db_path, raw_key), raw_key).close()


def _put_in_place(work: Path, data_dir: Path) -> None:
    """An absent target: one rename of the folder.  A free one: key file first, then the database (the commit)."""
    if not data_dir.exists():
        os.rename(work, data_dir)
        keys.fsync_dir(data_dir.parent)
        safekeeping.repair_permissions(data_dir)
        return
    db_path = data_dir / "elternlotse.db"
    with rekey.folder_lock(db_path):
        ensure_free(data_dir)  # again, under the lock: another command may have created a store meanwhile
        for entry in sorted(work.iterdir(), key=lambda p: p.name == "elternlotse.db"):  # the database last
            os.replace(entry, data_dir / entry.name)
        keys.fsync_dir(data_dir)
    shutil.rmtree(work, ignore_errors=True)
    safekeeping.repair_permissions(data_dir)


# ---------------------------------------------------------------- helpers
def _open_raw(path: Path, raw_key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA key = " + keys.pragma_literal(raw_key))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise
    return conn


def _digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _remove(*paths: Path) -> None:
    for path in paths:
        for part in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
            with suppress(OSError):
                part.unlink(missing_ok=True)


def _stepper(progress: Progress | None, total: int) -> Callable[[], None]:
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress:
            progress(done[0], total)

    if progress:
        progress(0, total)
    return step
