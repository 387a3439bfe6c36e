"""Key derivation for the encrypted store: Argon2id, a raw key for SQLCipher, a clear key file.

The passphrase never reaches SQLCipher.  Argon2id (from ``cryptography``) turns it
into a raw 32-byte key that is applied as ``PRAGMA key = "x'<hex>'"``, so SQLCipher's
own PBKDF2 is skipped.  The salt and the Argon2id parameters are not secret; they
live in ``elternlotse.key`` next to the database (JSON, written atomically, 0600).

``KeyDerivation`` is passed explicitly wherever a key is made for a new salt
(creating a store, migrating an old one, changing the passphrase).  Its default,
``PRODUCTION``, is tuned in docs/performance.md; the tests pass a cheap one through
the same parameters.  Nothing in the product builds another one: there is no
environment variable or flag that lowers the cost.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from elternlotse.domain.errors import StoreError
from elternlotse.domain.text import N_
from elternlotse.store.recovery import RecoverySlot

KEY_FILE_SUFFIX = ".key"
KEY_LENGTH = 32
SALT_LENGTH = 16
FORMAT = "elternlotse-key"
VERSION = 1
#: A key file with a recovery slot (store/recovery.py) is version 2; one without stays version 1,
#: so a store that never had a recovery key reads exactly as before.
VERSION_RECOVERY = 2

# Bounds for a key file read from disk: a hostile file must not make us allocate gigabytes
# or loop for hours.  Lowering the parameters gains an attacker nothing (they only change the key).
MAX_MEMORY_KIB = 1024 * 1024
MAX_ITERATIONS = 16
MAX_LANES = 16


@dataclass(frozen=True)
class KeyDerivation:
    """Argon2id parameters: memory in KiB, passes over it, lanes."""

    memory_kib: int = 128 * 1024
    iterations: int = 4
    lanes: int = 4

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        kdf = Argon2id(salt=salt, length=KEY_LENGTH, iterations=self.iterations, lanes=self.lanes,
                       memory_cost=self.memory_kib)
        try:
            return kdf.derive(passphrase.encode("utf-8"))
        except MemoryError:
            raise StoreError(N_("There is not enough free memory to unlock the store ({size} MiB are needed); "
                                "close other programs and try again."), size=self.memory_kib // 1024) from None

    def new_key_file(self) -> "KeyFile":
        return KeyFile(salt=os.urandom(SALT_LENGTH), derivation=self)


#: What every store made by the product uses (one guess: >= 0.5 s and 128 MiB, docs/performance.md).
PRODUCTION = KeyDerivation()


@dataclass(frozen=True)
class KeyFile:
    """The clear part of a store's key: salt and parameters (``elternlotse.key``)."""

    salt: bytes
    derivation: KeyDerivation
    recovery: RecoverySlot | None = None

    def raw_key(self, passphrase: str) -> bytes:
        return self.derivation.derive(passphrase, self.salt)

    def with_recovery(self, slot: RecoverySlot | None) -> "KeyFile":
        return KeyFile(salt=self.salt, derivation=self.derivation, recovery=slot)

    def to_json(self) -> str:
        data = {
            "format": FORMAT, "version": VERSION if self.recovery is None else VERSION_RECOVERY, "kdf": "argon2id",
            "memory_kib": self.derivation.memory_kib, "iterations": self.derivation.iterations,
            "lanes": self.derivation.lanes, "salt": base64.b64encode(self.salt).decode("ascii"),
        }
        if self.recovery is not None:
            data["recovery"] = self.recovery.to_dict()
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, path: Path) -> "KeyFile":
        def damaged() -> StoreError:
            return StoreError(N_("The key file {path} is damaged; the store cannot be opened without it."), path=str(path))

        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise damaged() from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("kdf") != "argon2id":
            raise damaged()
        version = data.get("version")
        if version not in (VERSION, VERSION_RECOVERY) or isinstance(version, bool):
            raise StoreError(N_("The key file {path} was written by a newer version of Elternlotse; please update the app."),
                             path=str(path))
        numbers = {}
        for name, low, high in (("memory_kib", 8, MAX_MEMORY_KIB), ("iterations", 1, MAX_ITERATIONS), ("lanes", 1, MAX_LANES)):
            value = data.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise damaged()
            numbers[name] = value
        if numbers["memory_kib"] < 8 * numbers["lanes"]:
            raise damaged()  # Argon2 needs 8 KiB per lane
        try:
            salt = base64.b64decode(str(data.get("salt", "")), validate=True)
        except ValueError:
            raise damaged() from None
        if not 16 <= len(salt) <= 64:
            raise damaged()
        slot = None
        if version == VERSION_RECOVERY:
            slot = RecoverySlot.from_dict(data.get("recovery"))
            if slot is None:
                raise damaged()
        elif "recovery" in data:
            raise damaged()
        return cls(salt=salt, derivation=KeyDerivation(**numbers), recovery=slot)


def key_file_path(db_path: Path) -> Path:
    return Path(db_path).with_suffix(KEY_FILE_SUFFIX)


def read_key_file(path: Path) -> KeyFile | None:
    """The key file at ``path``, None when there is none (a store from before key files)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        raise StoreError(N_("The key file {path} cannot be read."), path=str(path)) from None
    if len(data) > 4096:
        raise StoreError(N_("The key file {path} is damaged; the store cannot be opened without it."), path=str(path))
    return KeyFile.from_json(data.decode("utf-8", errors="replace"), Path(path))


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Write atomically (temporary file, fsync, rename, fsync of the folder), readable by the owner only."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key_file.to_json().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pragma_literal(raw_key: bytes) -> str:
    """The SQL literal for ``PRAGMA key``: a raw key as a blob literal, so SQLCipher skips its PBKDF2."""
    if len(raw_key) != KEY_LENGTH:
        raise ValueError("a raw key has 32 bytes")
    return "\"x'" + raw_key.hex() + "'\""
