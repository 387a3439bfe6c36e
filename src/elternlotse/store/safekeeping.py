"""The data folder around the live store: who may read it, migration backups, disk faults.

- **Owner only** (POSIX): the data folder is ``0700``, every file and folder in it
  ``0600``/``0700``.  Files are created that way (``private_umask``) and checked at
  every open; anything wider is narrowed and reported once (``repair_permissions``).
- **Migration backups** (``backups/``) are byte copies of the encrypted file, so they
  open only with the passphrase.  After a successful migration only the newest is
  kept, and only for ``BACKUP_DAYS``; an erasure deletes every backup, because each
  one predates it (``drop_backups``).  A backup exists to undo a failed migration,
  never to bring back a person who was erased.
- **Faults** of the disk (full, read-only, gone) become one true sentence
  (``fault_error``) instead of "the passphrase is wrong" or a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import sqlcipher3

from elternlotse.domain.errors import StoreError
from elternlotse.domain.text import N_

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
BACKUP_FOLDER = "backups"
BACKUP_DAYS = 14
_POSIX = os.name == "posix"
_STAMP = re.compile(r"-(\d{8}T\d{6})\.db$")

#: Shown once after ``repair_permissions`` narrowed something.
PERMISSIONS_REPAIRED = N_("Other users of this computer could read files in the data folder {path}; "
                          "they are now readable by you only.")


# ---------------------------------------------------------------- permissions
@contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created inside the block are readable by their owner only.

    The umask is per process: keep the block short (creating a store, writing one file).
    """
    if not _POSIX:
        yield
        return
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def make_private_dir(path: Path) -> Path:
    path = Path(path)
    with private_umask():
        path.mkdir(parents=True, exist_ok=True)
    if _POSIX:
        os.chmod(path, PRIVATE_DIR)
    return path


def make_private(path: Path) -> None:
    """Narrow one file the user saved (access copy, handout, export) to its owner."""
    if _POSIX:
        os.chmod(path, PRIVATE_FILE)


def repair_permissions(data_dir: Path) -> list[Path]:
    """Narrow the data folder and everything in it to the owner; return what was too wide."""
    if not _POSIX:
        return []
    repaired: list[Path] = []
    folder = Path(data_dir)

    def narrow(path: Path, wanted: int) -> None:
        try:
            mode = stat.S_IMODE(path.lstat().st_mode)
        except FileNotFoundError:
            return
        if mode & 0o077:
            os.chmod(path, wanted)
            repaired.append(path)

    narrow(folder, PRIVATE_DIR)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            narrow(Path(root) / name, PRIVATE_DIR)
        for name in files:
            entry = Path(root) / name
            if not entry.is_symlink():
                narrow(entry, PRIVATE_FILE)
    return repaired


# ---------------------------------------------------------------- backups
KEY_FILE_SUFFIX = ".key"  # store.keys: the salt and parameters that turn the passphrase into the key
def backup_copy(conn, path: Path, version: int, now: datetime | None = None) -> Path:
    """Copy the (still encrypted) database file before a migration, owner-only."""
    busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy and busy[0]:
        raise StoreError(N_("The store is in use by another Elternlotse window or command; close it and try again."))
    folder = make_private_dir(path.parent / BACKUP_FOLDER)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{path.stem}-schema{version}-{stamp}.db"
    with private_umask():
        shutil.copyfile(path, target)
        key = Path(path).with_suffix(KEY_FILE_SUFFIX)
        if key.exists():  # the copy opens with the same passphrase only together with its salt and parameters
            shutil.copyfile(key, target.with_suffix(KEY_FILE_SUFFIX))
    make_private(target)
    return target


def backups_in(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / BACKUP_FOLDER
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.db"), key=_backup_time)


def _backup_time(path: Path) -> datetime:
    match = _STAMP.search(path.name)
    if match:
        return datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


def prune_backups(data_dir: Path, now: datetime | None = None) -> list[Path]:
    """After a successful open: keep only the newest backup, and that one for ``BACKUP_DAYS``."""
    now = now or datetime.now(timezone.utc)
    found = backups_in(data_dir)
    doomed = found[:-1]
    if found and now - _backup_time(found[-1]) > timedelta(days=BACKUP_DAYS):
        doomed.append(found[-1])
    for path in doomed:
        _remove_copy(path)
    return doomed


def drop_backups(data_dir: Path) -> list[Path]:
    """Erasure: every backup predates it, so none may keep the erased person."""
    found = backups_in(data_dir)
    for path in found:
        _remove_copy(path)
    return found


def _remove_copy(path: Path) -> None:
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"),
                 path.with_suffix(KEY_FILE_SUFFIX)):
        part.unlink(missing_ok=True)


# ---------------------------------------------------------------- faults
FULL = N_("The disk holding {path} is full: free some space and try again.")
READ_ONLY = N_("The data folder {path} is read-only: Elternlotse must be able to write there.")
GONE = N_("The data folder {path} is no longer there (moved, renamed or its drive removed); nothing was changed.")
SCRUB_LATER = N_("The data was erased, but the disk holding {path} is too full to overwrite its old copies: "
                 "free some space; Elternlotse finishes this at the next start.")
DISK = N_("The disk holding {path} cannot be read or written (a drive error or a removed stick).")


def fault_error(error: BaseException, path: Path) -> StoreError | None:
    """The true sentence for a disk fault behind ``error``, or None when it is not one."""
    folder = str(Path(path))
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return StoreError(FULL, path=folder)
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreError(READ_ONLY, path=folder)
        if error.errno == errno.ENOENT and not Path(path).exists():
            return StoreError(GONE, path=folder)
        if error.errno == errno.EIO:
            return StoreError(DISK, path=folder)
        return None
    if isinstance(error, sqlcipher3.Error):
        text = str(error).lower()
        if "disk is full" in text or "database or disk is full" in text:
            return StoreError(FULL, path=folder)
        if "readonly" in text or "read-only" in text:
            return StoreError(READ_ONLY, path=folder)
        if not Path(path).exists():
            return StoreError(GONE, path=folder)
        if "disk i/o error" in text or "unable to open" in text:
            return folder_fault(Path(path)) or StoreError(DISK, path=folder)
    return None


def folder_fault(data_dir: Path) -> StoreError | None:
    """Check the folder itself before blaming the passphrase: gone, read-only or full?"""
    folder = Path(data_dir)
    if not folder.is_dir():
        return StoreError(GONE, path=str(folder))
    probe = folder / f".elternlotse-probe-{os.getpid()}"
    try:
        with private_umask(), open(probe, "wb") as handle:
            handle.write(b"\0" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        return fault_error(error, folder) or StoreError(DISK, path=str(folder))
    finally:
        with suppress(OSError):
            probe.unlink()
    return None
