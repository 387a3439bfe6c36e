"""Opening, creating and migrating the encrypted store.

The database is one SQLCipher file (``elternlotse.db``) in the data folder.
sqlite-utils works on top of the SQLCipher connection (``Store.db``, imported on
first use: it costs about 0.2 s and nothing on the way to the first page needs it).
All writes go through ``Store.write`` (see ``writer.py``), which opens one
transaction per action.
"""

from __future__ import annotations

import logging
import os
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import sqlcipher3

from elternlotse.domain.clock import HybridClock
from elternlotse.domain.errors import StoreError, ValidationError, WrongPassphraseError
from elternlotse.domain.text import N_
from elternlotse.locations import STORE_FILE
from elternlotse.store import keys, recovery, rekey, safekeeping
from elternlotse.store.migrations import all_migrations

if TYPE_CHECKING:
    import sqlite_utils

    from elternlotse.store.writer import Writer

DB_NAME = STORE_FILE
ROLES = ("navigator", "office")

log = logging.getLogger(__name__)  # ids, counts, actions and durations only (docs/architecture.md, "Logs and errors")


@dataclass(frozen=True)
class StoreInfo:
    node_id: str
    name: str
    organisation: str
    role: str
    schema_version: int
    created: str

    @property
    def is_office(self) -> bool:
        return self.role == "office"


NO_KEY_FILE = N_("The key file of this store is missing; a recovery key can be made once the store has one "
                 "(unlock it once with this version).")


def _quote_key(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def _connect(path: Path, key: bytes | str) -> sqlcipher3.Connection:
    """Open with a raw key (bytes, from ``keys``) or, for a store from before key files, the passphrase."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    literal = keys.pragma_literal(key) if isinstance(key, bytes) else _quote_key(key)
    conn.execute(f"PRAGMA key = {literal}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as error:
        conn.close()
        # A full, read-only or vanished folder also fails here: name that, not the passphrase.
        fault = safekeeping.folder_fault(path.parent) or _fault_unless_not_a_database(error, path)
        if fault:
            raise fault from None
        raise WrongPassphraseError(N_("The passphrase is wrong, or {path} is not an Elternlotse store."), path=str(path)) from None
    try:
        _configure(conn)
    except sqlcipher3.Error as error:
        conn.close()
        raise safekeeping.fault_error(error, path.parent) or error from None
    return conn


# ---------------------------------------------------------------- erasure and disk (issue 12)
def _configure(conn: sqlcipher3.Connection) -> None:
    """Pragmas of every connection.  ``secure_delete`` zeroes deleted cells and freed pages."""
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")


def _fault_unless_not_a_database(error: BaseException, path: Path) -> StoreError | None:
    if "not a database" in str(error).lower():
        return None
    return safekeeping.fault_error(error, path.parent)


class Store:
    """An open encrypted store.  Create with ``Store.create`` or ``Store.open``."""

    def __init__(self, path: Path, conn: sqlcipher3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.closed = False
        self._raw_key = b""  # set by open/create; kept while open for ``reopen``
        self.info = self._read_info()
        self.notices: list[StoreError] = []  # shown once by CLI and GUI (e.g. permissions repaired)
        # Who overwrites after an erasure (``after_erasure``): by default this connection, at once.
        # The desktop app hands in its background worker, so that saving a family with a removed
        # person does not freeze the window for the seconds a VACUUM takes; ``scrub_pending`` stays
        # set until the worker has finished (and the next open finishes it if the app is closed first).
        self.scrub_later: Callable[[], None] | None = None
        self.clock = HybridClock(self.info.node_id, self.meta("clock") or None)
        log.info("store opened node=%s role=%s schema=%d", self.info.node_id, self.info.role, self.info.schema_version)

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on this connection, for reading the schema (``store.schema``).

        Rows change only through ``write()`` (change log, audit); the schema only in a
        migration, with ``store.schema.transform`` where ALTER TABLE is not enough.
        """
        from elternlotse.store.schema import database

        return database(self.conn)

    def schema_problems(self) -> list[str]:
        """Mismatches between this store's schema and ``store.tables`` (empty: all good)."""
        from elternlotse.store.schema import problems

        return problems(self.conn)

    # ---------------------------------------------------------------- life cycle
    @staticmethod
    def file_in(data_dir: Path) -> Path:
        return Path(data_dir) / DB_NAME

    @classmethod
    def exists(cls, data_dir: Path) -> bool:
        return cls.file_in(data_dir).is_file()

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, name: str, organisation: str = "", role: str = "navigator",
               key_derivation: keys.KeyDerivation = keys.PRODUCTION) -> "Store":
        check_passphrase(passphrase)
        if not name.strip():
            raise ValidationError(N_("{field}: must not be empty."), field="name")
        if role not in ROLES:
            raise ValidationError(N_("{field}: '{value}' is not a role."), field="role", value=role)
        path = cls.file_in(data_dir)
        if path.exists():
            raise StoreError(N_("A store already exists in {path}; nothing was changed."), path=str(path.parent))
        # Build the store in a temporary file and move it into place, so a failure leaves nothing behind.
        tmp = path.with_name(path.name + ".creating")
        leftovers = (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm"))
        key_file = key_derivation.new_key_file()
        raw_key = key_file.raw_key(passphrase)
        try:
            safekeeping.make_private_dir(Path(data_dir))
            with safekeeping.private_umask():
                cls._create_file(tmp, leftovers, raw_key, name, organisation, role)
                # The key file first: a key file without a database is ignored (and replaced) by the next create.
                with rekey.folder_lock(path):
                    rekey.recover(path)
                    if path.exists():  # another process created one meanwhile
                        tmp.unlink(missing_ok=True)
                        raise StoreError(N_("A store already exists in {path}; nothing was changed."),
                                         path=str(path.parent))
                    keys.write_key_file(keys.key_file_path(path), key_file)
                    os.replace(tmp, path)
                    keys.fsync_dir(path.parent)
        except BaseException as error:
            for leftover in leftovers:
                with suppress(OSError):
                    leftover.unlink(missing_ok=True)
            fault = safekeeping.fault_error(error, Path(data_dir)) if isinstance(error, (OSError, sqlcipher3.Error)) else None
            if fault is None:
                raise
            raise fault from None
        return cls._open_path(path, _connect(path, raw_key), raw_key)

    @staticmethod
    def _create_file(tmp: Path, leftovers, raw_key: bytes, name: str, organisation: str, role: str) -> None:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        conn = _connect(tmp, raw_key)
        try:
            _migrate(conn, tmp, backup=False)
            now = _utc_now()
            node_id = uuid.uuid4().hex[:16]
            with _transaction(conn):
                for key, value in {
                    "node_id": node_id, "name": name.strip(), "organisation": organisation.strip(),
                    "role": role, "created": now,
                }.items():
                    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()

    @classmethod
    def open(cls, data_dir: Path, passphrase: str, key_derivation: keys.KeyDerivation = keys.PRODUCTION) -> "Store":
        """Open with the passphrase; a store from before key files moves to ``key_derivation`` first."""
        path = cls.file_in(data_dir)
        if not Path(data_dir).is_dir():
            raise StoreError(N_("The data folder {path} does not exist: connect its drive or give its new place "
                                "with --data-dir; 'elternlotse init' creates a new store."), path=str(Path(data_dir)))
        if not path.is_file():
            raise StoreError(N_("No store in {path}: create one with 'elternlotse init' first."), path=str(Path(data_dir)))
        fault = safekeeping.folder_fault(Path(data_dir))
        if fault:
            raise fault
        repaired = safekeeping.repair_permissions(Path(data_dir))
        conn, raw_key = _unlock(path, passphrase, key_derivation)
        return cls._open_path(path, conn, raw_key, repaired=bool(repaired))

    def reopen(self) -> "Store":
        """Another connection to this store with the key already derived (the GUI's worker thread).

        Saves a second Argon2id derivation; if the passphrase was changed meanwhile the old
        key no longer opens the file and this raises ``WrongPassphraseError``.
        """
        if self.closed:
            raise StoreError(N_("The store is locked; unlock it first."))
        with rekey.folder_lock(self.path):
            rekey.recover(self.path)
            conn = _connect(self.path, self._raw_key)
        return Store._open_path(self.path, conn, self._raw_key)

    @classmethod
    def _open_path(cls, path: Path, conn: sqlcipher3.Connection, raw_key: bytes, repaired: bool = False) -> "Store":
        """Migrate, prune old backups, finish an interrupted scrub: every way a store is opened."""
        try:
            try:
                _migrate(conn, path, backup=True)
                from elternlotse.store.families import refresh_search_index

                refresh_search_index(conn)  # once, when the search rules changed (SEARCH_INDEX_VERSION)
            except sqlcipher3.Error as error:
                raise safekeeping.fault_error(error, path.parent) or error from None
            # the schema is current: only the newest backup stays, and only for BACKUP_DAYS
            safekeeping.prune_backups(path.parent)
            store = cls(path, conn)
        except BaseException:
            conn.close()
            raise
        store._raw_key = raw_key
        if repaired:
            store.notices.append(StoreError(safekeeping.PERMISSIONS_REPAIRED, path=str(path.parent)))
        if store.meta("scrub_pending"):
            try:
                store.after_erasure()  # an erasure whose scrub failed (full disk) is finished now
            except StoreError as error:
                store.notices.append(error)
        return store

    def after_erasure(self) -> None:
        """Make an erasure reach the disk: WAL folded in and emptied, older backups gone.

        Called by ``write`` after a transaction that erased something committed (a family
        erased here or by a sync import: ``Writer.mark_erased``), and at open while the
        ``scrub_pending`` flag says an earlier run could not finish.  ``secure_delete``
        zeroes deleted cells, but a page rebuilt by a b-tree balance keeps older cell copies in its unused gap; ``VACUUM``
        writes every page anew (temporary data stays in memory: TEMP_STORE=2), then the
        WAL that carried the new pages is folded in and truncated to zero bytes.
        """
        try:
            self.conn.execute("VACUUM")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlcipher3.Error as error:
            fault = safekeeping.fault_error(error, self.path.parent)
            if fault is not None and fault.message_id == safekeeping.FULL:
                raise StoreError(safekeeping.SCRUB_LATER, path=str(self.path.parent)) from None
            raise fault or error from None
        safekeeping.drop_backups(self.path.parent)
        self.conn.execute("DELETE FROM meta WHERE key = 'scrub_pending'")

    def close(self) -> None:
        if self.closed:
            return
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlcipher3.Error:
            pass  # a full disk: the committed data is safe in the WAL; the next open folds it in
        finally:
            self.conn.close()
            self.closed = True
            self._raw_key = b""  # a closed (locked) store keeps nothing that opens it

    def adopt(self, other: "Store") -> None:
        """Take over the connection of ``other``, an open store on the same file.

        Unlocking after a lock: every service (and every page holding one) keeps this
        object, which gets the new connection; ``other`` must not be used afterwards.
        """
        if other.path.resolve() != self.path.resolve():
            raise StoreError(N_("{path} is not the store that was locked."), path=str(other.path.parent))
        if not self.closed:
            self.close()
        self.conn, self.info, self.clock = other.conn, other.info, other.clock
        self._raw_key, self.notices = other._raw_key, other.notices
        self.__dict__.pop("db", None)  # sqlite-utils on the old connection: built again on first use
        self.closed, other.closed = False, True

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- meta
    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _read_info(self) -> StoreInfo:
        rows = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        return StoreInfo(
            node_id=rows["node_id"], name=rows.get("name", ""), organisation=rows.get("organisation", ""),
            role=rows.get("role", "navigator"), schema_version=int(rows.get("schema_version", 0)),
            created=rows.get("created", ""),
        )

    def set_meta(self, key: str, value: str) -> None:
        """Set a setting inside an open write transaction or on its own."""
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def set_identity(self, name: str, organisation: str) -> StoreInfo:
        """The navigator's name and organisation (first start, then Settings): one audited write."""
        if not name.strip():
            raise ValidationError(N_("Please enter your name: it is recorded with every consent you take."))
        with self.write(self.info.name, "identity.update"):
            self.set_meta("name", name.strip()[:200])
            self.set_meta("organisation", organisation.strip()[:200])
        self.info = self._read_info()
        return self.info

    # ---------------------------------------------------------------- writing
    @contextmanager
    def write(self, actor: str, action: str, target: str = "") -> Iterator["Writer"]:
        """One transaction per action: every change, its change log and the audit entry."""
        from elternlotse.store.writer import Writer

        clock_before = self.clock.last
        writer = None
        try:
            with _transaction(self.conn):
                # Another connection on this store (the GUI's background worker, a CLI
                # run) may have written since: move past its stamps under the write lock.
                stored = self.meta("clock")
                if stored and stored > self.clock.last:
                    self.clock.observe(stored)
                writer = Writer(self, actor)
                yield writer
                writer.audit(action, target)
                self.set_meta("clock", self.clock.last)
        except BaseException as error:
            self.clock = HybridClock(self.info.node_id, clock_before)
            fault = safekeeping.fault_error(error, self.path.parent) if isinstance(error, sqlcipher3.Error) else None
            if fault is not None:
                raise fault from None
            raise
        if writer is not None and writer.erased:
            (self.scrub_later or self.after_erasure)()

    def finish_scrub(self) -> None:
        """Overwrite now if an erasure is still waiting for it (the worker's side of ``scrub_later``)."""
        if self.meta("scrub_pending"):
            self.after_erasure()

    def read(self):
        """A read snapshot (for consistent multi-query reads)."""
        return _transaction(self.conn)

    def dump_text(self) -> str:
        """Every value of every table as text (tests and erasure checks: what is left?)."""
        parts = []
        tables = [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in self.conn.execute(f'SELECT * FROM "{table}"'):
                parts.append(" ".join(str(v) for v in row))
        return "\n".join(parts)

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _unlock(path: Path, passphrase: str, key_derivation: keys.KeyDerivation) -> tuple[sqlcipher3.Connection, bytes]:
    key_path = keys.key_file_path(path)
    key_file = keys.read_key_file(key_path)
    raw_key = key_file.raw_key(passphrase) if key_file is not None else None  # the slow part, unlocked
    with rekey.folder_lock(path):
        rekey.recover(path)
        current = keys.read_key_file(key_path)
        if current != key_file:  # a passphrase change finished meanwhile
            key_file = current
            raw_key = key_file.raw_key(passphrase) if key_file is not None else None
        if raw_key is not None:
            return _connect(path, raw_key), raw_key
        # A store from before key files: SQLCipher's PBKDF2 on the passphrase.  Put it under an
        # Argon2id key now (crash-safe, see rekey.py); a kill leaves it openable either way.
        conn = _connect(path, passphrase)
        new_file = key_derivation.new_key_file()
        new_key = new_file.raw_key(passphrase)
        with safekeeping.private_umask():  # the re-keyed file and its key file: owner-only
            rekey.switch_key(conn, path, new_file, new_key)
        return _connect(path, new_key), new_key


def change_passphrase(data_dir: Path, old: str, new: str,
                      key_derivation: keys.KeyDerivation = keys.PRODUCTION) -> None:
    """Put the (closed) store under a key derived from ``new``; crash-safe (rekey.py)."""
    check_passphrase(new)
    path = Store.file_in(data_dir)
    if not path.is_file():
        raise StoreError(N_("No store in {path}: create one with 'elternlotse init' first."), path=str(Path(data_dir)))
    key_file = key_derivation.new_key_file()
    new_key = key_file.raw_key(new)
    conn, old_key = _unlock(path, old, key_derivation)
    try:
        with rekey.folder_lock(path), safekeeping.private_umask():  # the new file and key file: owner-only
            current = keys.read_key_file(keys.key_file_path(path))
            if current is not None and current.recovery is not None:  # the printed recovery key stays valid
                key_file = key_file.with_recovery(current.recovery.moved_to(old_key, new_key, keys.key_file_path(path)))
            rekey.switch_key(conn, path, key_file, new_key)  # closes conn
    finally:
        conn.close()  # a second close is harmless; this one covers a lock that was not had


# ---------------------------------------------------------------- recovery key (issue 12, item 5)
def set_recovery_key(store: Store, recovery_key: str) -> None:
    """Give the open store a recovery key (a new one replaces the old): only the key file changes.

    The raw key stays the same, so the database is not touched; the key file is written
    atomically, so a kill leaves the old or the new key file, and the passphrase opens both.
    """
    if store.closed:
        raise StoreError(N_("The store is locked; unlock it first."))
    key_path = keys.key_file_path(store.path)
    with rekey.folder_lock(store.path), safekeeping.private_umask():
        rekey.recover(store.path)
        current = keys.read_key_file(key_path)
        if current is None:
            raise StoreError(NO_KEY_FILE)
        _connect(store.path, store._raw_key).close()  # still this store's key (no change meanwhile)
        slot = recovery.RecoverySlot.create(recovery_key, store._raw_key)
        keys.write_key_file(key_path, current.with_recovery(slot))


def recover_passphrase(data_dir: Path, recovery_key: str, new: str,
                       key_derivation: keys.KeyDerivation = keys.PRODUCTION) -> None:
    """Put the (closed) store under a key derived from ``new``, opened with the recovery key; crash-safe.

    The recovery key is checked (typos, another store's key, an altered slot) before the
    new key is derived; the switch is the passphrase change's (rekey.py): a kill at any
    moment leaves a store that opens with the old or with the new passphrase.  The same
    recovery key goes on working afterwards.
    """
    check_passphrase(new)
    path = Store.file_in(data_dir)
    if not path.is_file():
        raise StoreError(N_("No store in {path}: create one with 'elternlotse init' first."), path=str(Path(data_dir)))
    key_path = keys.key_file_path(path)
    with rekey.folder_lock(path):
        rekey.recover(path)
        key_file = keys.read_key_file(key_path)
    if key_file is None or key_file.recovery is None:
        raise StoreError(recovery.NO_SLOT)
    raw_key = key_file.recovery.unlock(recovery_key, key_path)
    new_file = key_derivation.new_key_file()
    new_key = new_file.raw_key(new)
    new_file = new_file.with_recovery(key_file.recovery.moved_to(raw_key, new_key, key_path))
    with rekey.folder_lock(path), safekeeping.private_umask():
        rekey.recover(path)
        if keys.read_key_file(key_path) != key_file:
            raise StoreError(rekey.IN_USE)  # the passphrase was changed meanwhile: start again
        try:
            conn = _connect(path, raw_key)
        except WrongPassphraseError:
            raise StoreError(recovery.SLOT_DAMAGED, path=str(key_path)) from None
        try:
            rekey.switch_key(conn, path, new_file, new_key)  # closes conn
        finally:
            conn.close()


@contextmanager
def _transaction(conn) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            # A full disk can fail the commit itself: leave no half-open transaction behind.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _schema_version(conn) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _migrate(conn, path: Path, backup: bool) -> bool:
    """Apply pending migrations; True when any ran."""
    current = _schema_version(conn)
    pending = [(n, m) for n, m in all_migrations() if n > current]
    if current > max(n for n, _ in all_migrations()):
        raise StoreError(N_("This store was written by a newer version of Elternlotse (schema {version}); please update the app."), version=current)
    vacuum = False
    for number, module in pending:
        log.info("store migrating to schema %d", number)
        if backup:
            safekeeping.backup_copy(conn, path, number - 1)
        with _transaction(conn):
            module.apply(conn)
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(number),))
        vacuum = vacuum or getattr(module, "VACUUM_AFTER", False)
    if vacuum:
        # Rewrites every page: free pages from before secure_delete keep nothing.
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return bool(pending)


MIN_PASSPHRASE = 8


def check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ValidationError(N_("The passphrase must have at least {count} characters."), count=MIN_PASSPHRASE)


def _utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
