"""Read every page of every file in a data folder the way an attacker with the passphrase would.

SQLCipher 4 (our defaults): 4096-byte pages, AES-256-CBC, a 16-byte salt at the start of
the file, per page an 80-byte reserve (16-byte IV, 64-byte HMAC-SHA512) at its end, the
key from PBKDF2-HMAC-SHA512 (256,000 iterations) over the passphrase and the salt.
Pages are decrypted here directly from the bytes on disk, so free pages, old WAL frames
and pages no b-tree points to any more are read as well: nothing hides behind SQLite.
Plain files (the WAL index ``-shm``, settings) are returned as they are.

If the store's key derivation changes (e.g. Argon2id feeding a raw key), ``page_key``
must follow it; ``decrypted_data_folder`` fails loudly when page 1 does not decrypt.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def page_key(passphrase: str, salt: bytes) -> bytes:
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


def decrypted_data_folder(folder: Path, passphrase: str) -> dict[Path, bytes]:
    """Every file under ``folder``: databases and WALs decrypted page by page, others raw."""
    keys: dict[bytes, bytes] = {}
    result: dict[Path, bytes] = {}
    databases = {}
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        raw = path.read_bytes()
        if path.name.endswith((".db", ".db.creating")) and len(raw) >= PAGE:
            salt = raw[:SALT]
            key = keys.setdefault(salt, page_key(passphrase, salt))
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
