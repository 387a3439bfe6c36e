"""Read every page of every file in a data folder the way an attacker with the passphrase would.

SQLCipher 4 (our defaults): 4096-byte pages, AES-256-CBC, a 16-byte salt at the start of
the file, per page an 80-byte reserve (16-byte IV, 64-byte HMAC-SHA512) at its end, the
key from PBKDF2-HMAC-SHA512 (256,000 iterations) over the passphrase and the salt.
Pages are decrypted here directly from the bytes on disk, so free pages, old WAL frames
and pages no b-tree points to any more are read as well: nothing hides behind SQLite.
Plain files (the WAL index ``-shm``, settings) are returned as they are.

The key is the one the store really gives SQLCipher: ``store_key_sql`` opens the store
once and records its ``PRAGMA key`` statement.  A raw key (``x'<hex>'``, e.g. from a
memory-hard derivation) is used as it is; a passphrase goes through PBKDF2 as SQLCipher
does.  ``decrypted_data_folder`` fails loudly when page 1 does not decrypt.
"""

from __future__ import annotations

import hashlib
import re
import struct
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


_RAW_KEY = re.compile(r"x'([0-9a-fA-F]{64})(?:[0-9a-fA-F]{32})?'")


class _Recorder:
    """A connection that remembers the key statements run on it."""

    def __init__(self, conn, seen: list[str]) -> None:
        self._conn, self._seen = conn, seen

    def execute(self, sql, *args):
        if isinstance(sql, str) and sql.lstrip().upper().startswith("PRAGMA KEY"):
            self._seen.append(sql)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def store_key_sql(data_dir: Path, passphrase: str) -> str:
    """The ``PRAGMA key`` the store runs when it opens ``data_dir`` (the last one, if several)."""
    import sqlcipher3

    from elternlotse.app import open_store

    seen: list[str] = []
    real = sqlcipher3.connect
    sqlcipher3.connect = lambda *a, **k: _Recorder(real(*a, **k), seen)
    try:
        open_store(data_dir, passphrase).store.close()
    finally:
        sqlcipher3.connect = real
    return seen[-1] if seen else ""


def page_key(passphrase: str, salt: bytes, key_sql: str = "") -> bytes:
    raw = _RAW_KEY.search(key_sql or "")
    if raw:
        return bytes.fromhex(raw.group(1))
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, 256_000, 32)


def _decrypt_page(key: bytes, page: bytes, number: int) -> bytes:
    start = SALT if number == 1 else 0
    iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start:PAGE - RESERVE]) + decryptor.finalize()


def _looks_like_page_one(plain: bytes) -> bool:
    # after the salt: page size (big-endian), versions, reserve bytes
    return plain[:2] == struct.pack(">H", PAGE) and plain[4] == RESERVE


def decrypt_database(raw: bytes, key: bytes) -> list[bytes]:
    return [_decrypt_page(key, raw[offset:offset + PAGE], offset // PAGE + 1)
            for offset in range(0, len(raw) - len(raw) % PAGE, PAGE)]


def decrypt_wal(raw: bytes, key: bytes) -> list[bytes]:
    pages = []
    offset = WAL_HEADER
    while offset + FRAME_HEADER + PAGE <= len(raw):
        number = struct.unpack(">I", raw[offset:offset + 4])[0]
        pages.append(_decrypt_page(key, raw[offset + FRAME_HEADER:offset + FRAME_HEADER + PAGE], number))
        offset += FRAME_HEADER + PAGE
    return pages


def decrypted_data_folder(folder: Path, passphrase: str, key_sql: str = "") -> dict[Path, bytes]:
    """Every file under ``folder``: databases and WALs decrypted page by page, others raw.

    ``key_sql``: the store's key statement (``store_key_sql``); without it a passphrase key.
    """
    keys: dict[bytes, bytes] = {}
    result: dict[Path, bytes] = {}
    databases = {}
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        raw = path.read_bytes()
        if path.name.endswith((".db", ".db.creating")) and len(raw) >= PAGE:
            salt = raw[:SALT]
            key = keys.setdefault(salt, page_key(passphrase, salt, key_sql))
            pages = decrypt_database(raw, key)
            assert _looks_like_page_one(pages[0]), f"page 1 of {path} does not decrypt: update tests/raw_pages.py"
            databases[path.name] = key
            result[path] = raw + b"".join(pages)
        else:
            result[path] = raw
    for path in list(result):
        base = path.name.removesuffix("-wal")
        if path.name.endswith("-wal") and base in databases:
            result[path] = result[path] + b"".join(decrypt_wal(result[path], databases[base]))
    return result
