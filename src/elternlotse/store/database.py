"""Opening, creating and migrating the encrypted store.

The database is one SQLCipher file (``elternlotse.db``) in the data folder.
sqlite-utils works on top of the SQLCipher connection.  All writes go through
``Store.write`` (see ``writer.py``), which opens one transaction per action.
"""

from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import sqlcipher3
import sqlite_utils

from elternlotse.domain.clock import HybridClock
from elternlotse.domain.errors import StoreError, ValidationError, WrongPassphraseError
from elternlotse.domain.text import N_
from elternlotse.store.migrations import all_migrations

if TYPE_CHECKING:
    from elternlotse.store.writer import Writer

DB_NAME = "elternlotse.db"
ROLES = ("navigator", "office")


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


def _quote_key(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def _connect(path: Path, passphrase: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_quote_key(passphrase)}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise WrongPassphraseError(N_("The passphrase is wrong, or {path} is not an Elternlotse store."), path=str(path)) from None
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


class Store:
    """An open encrypted store.  Create with ``Store.create`` or ``Store.open``."""

    def __init__(self, path: Path, conn: sqlcipher3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.closed = False
        self.db = sqlite_utils.Database(conn)
        self.info = self._read_info()
        self.clock = HybridClock(self.info.node_id, self.meta("clock") or None)

    # ---------------------------------------------------------------- life cycle
    @staticmethod
    def file_in(data_dir: Path) -> Path:
        return Path(data_dir) / DB_NAME

    @classmethod
    def exists(cls, data_dir: Path) -> bool:
        return cls.file_in(data_dir).is_file()

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, name: str, organisation: str = "", role: str = "navigator") -> "Store":
        check_passphrase(passphrase)
        if not name.strip():
            raise ValidationError(N_("{field}: must not be empty."), field="name")
        if role not in ROLES:
            raise ValidationError(N_("{field}: '{value}' is not a role."), field="role", value=role)
        path = cls.file_in(data_dir)
        if path.exists():
            raise StoreError(N_("A store already exists in {path}; nothing was changed."), path=str(path.parent))
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        # Build the store in a temporary file and move it into place, so a failure leaves nothing behind.
        tmp = path.with_name(path.name + ".creating")
        for leftover in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            leftover.unlink(missing_ok=True)
        conn = _connect(tmp, passphrase)
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
        os.replace(tmp, path)
        return cls.open(data_dir, passphrase)

    @classmethod
    def open(cls, data_dir: Path, passphrase: str) -> "Store":
        path = cls.file_in(data_dir)
        if not path.is_file():
            raise StoreError(N_("No store in {path}: create one with 'elternlotse init' first."), path=str(Path(data_dir)))
        conn = _connect(path, passphrase)
        try:
            _migrate(conn, path, backup=True)
            return cls(path, conn)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        if self.closed:
            return
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.conn.close()
            self.closed = True

    def adopt(self, other: "Store") -> None:
        """Take over the connection of ``other``, an open store on the same file.

        Unlocking after a lock: every service (and every page holding one) keeps this
        object, which gets the new connection; ``other`` must not be used afterwards.
        """
        if other.path.resolve() != self.path.resolve():
            raise StoreError(N_("{path} is not the store that was locked."), path=str(other.path.parent))
        if not self.closed:
            self.close()
        self.conn, self.db, self.info, self.clock = other.conn, other.db, other.info, other.clock
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
        with _transaction(self.conn):
            try:
                # Another connection on this store (the GUI's background worker, a CLI
                # run) may have written since: move past its stamps under the write lock.
                stored = self.meta("clock")
                if stored and stored > self.clock.last:
                    self.clock.observe(stored)
                writer = Writer(self, actor)
                yield writer
                writer.audit(action, target)
                self.set_meta("clock", self.clock.last)
            except BaseException:
                self.clock = HybridClock(self.info.node_id, clock_before)
                raise

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


@contextmanager
def _transaction(conn) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _schema_version(conn) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _migrate(conn, path: Path, backup: bool) -> None:
    current = _schema_version(conn)
    pending = [(n, m) for n, m in all_migrations() if n > current]
    if current > len(all_migrations()):
        raise StoreError(N_("This store was written by a newer version of Elternlotse (schema {version}); please update the app."), version=current)
    for number, module in pending:
        if backup:
            _backup_copy(conn, path, number - 1)
        with _transaction(conn):
            module.apply(conn)
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(number),))


def _backup_copy(conn, path: Path, version: int) -> Path:
    """Copy the (still encrypted) database file before a migration."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{path.stem}-schema{version}-{stamp}.db"
    shutil.copy2(path, target)
    return target


MIN_PASSPHRASE = 8


def check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ValidationError(N_("The passphrase must have at least {count} characters."), count=MIN_PASSPHRASE)


def _utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
