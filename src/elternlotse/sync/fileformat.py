"""The sync file: clear header, age ciphertext, Ed25519 signature.

Layout (docs/sync-format.md)::

    MAGIC (17 bytes)  "ELTERNLOTSE-SYNC\\n"
    header length     4 bytes, unsigned big endian
    header            canonical JSON (UTF-8, sorted keys, no spaces)
    ciphertext        age v1 (X25519 recipient) of zlib(canonical JSON payload)
    signature         64 bytes Ed25519 by the sender over everything before it

The signature covers magic, length, header and ciphertext; the header names the
recipient, so a file for another installation is refused before decryption.
"""

from __future__ import annotations

import json
import os
import re
import stat
import struct
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

import pyrage
from pyrage import x25519

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import MAX_INT, JsonRefused, loads
from elternlotse.domain.text import N_
from elternlotse.sync.keys import Secrets, verify_signature

MAGIC = b"ELTERNLOTSE-SYNC\n"
FORMAT_VERSION = 1
SIGNATURE_BYTES = 64
MAX_HEADER_BYTES = 4096
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Inflated payload: at most this many bytes, and at most MAX_INFLATE_RATIO times the
#: compressed bytes (canonical JSON of our payloads compresses 4-12 times) plus a small allowance.
MAX_PAYLOAD_BYTES = 512 * 1024 * 1024
MAX_INFLATE_RATIO = 40
INFLATE_ALLOWANCE = 1024 * 1024
MAX_HEADER_DEPTH = 2
_NODE = re.compile(r"^[0-9a-f]{8,32}$")
_STAMP = re.compile(r"^(|\d{13}-[0-9a-f]{4}-[0-9a-f]{8,32})$")
HEADER_FIELDS = ("format", "schema", "sender", "recipient", "seq", "clock_from", "clock_to", "created", "length")


@dataclass(frozen=True)
class Header:
    format: int
    schema: int
    sender: str
    recipient: str
    seq: int
    clock_from: str
    clock_to: str
    created: str
    length: int  # bytes of ciphertext


def read_file(path: str | Path) -> bytes:
    """The bytes of a file that may be a sync file: size checked before reading, never more read than allowed."""
    where = str(path)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ValidationError(N_("The file {path} cannot be read."), path=where)
            if info.st_size > MAX_FILE_BYTES:
                raise _too_large(where)
            # read(n) reserves n bytes: ask for what stat said (+1 to see growth), more only if it grew
            data = handle.read(info.st_size + 1)
            while info.st_size < len(data) <= MAX_FILE_BYTES:
                more = handle.read(min(1 << 20, MAX_FILE_BYTES + 1 - len(data)))
                if not more:
                    break
                data += more
    except FileNotFoundError:
        raise ValidationError(N_("The file {path} does not exist."), path=where) from None
    except OSError:
        raise ValidationError(N_("The file {path} cannot be read."), path=where) from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(where)
    return data


def _too_large(where: str) -> ValidationError:
    return ValidationError(N_("{path} is larger than a sync file may be ({limit} MB); nothing was imported."),
                           path=where, limit=MAX_FILE_BYTES // (1024 * 1024))


def max_inflated(compressed: int) -> int:
    """How many bytes a payload of ``compressed`` bytes may inflate to."""
    return min(MAX_PAYLOAD_BYTES, compressed * MAX_INFLATE_RATIO + INFLATE_ALLOWANCE)


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(header: Header, payload: dict[str, Any], secrets: Secrets, recipient_key: str) -> bytes:
    """The complete file bytes.  ``header.length`` is filled in here."""
    return seal_compressed(header, zlib.compress(canonical(payload), 6), secrets, recipient_key)


def seal_compressed(header: Header, plaintext: bytes, secrets: Secrets, recipient_key: str) -> bytes:
    """The complete file bytes around an already compressed payload (``payload.stream``)."""
    ciphertext = pyrage.encrypt(plaintext, [x25519.Recipient.from_str(recipient_key)])
    del plaintext
    head = canonical(asdict(Header(**{**asdict(header), "length": len(ciphertext)})))
    body = MAGIC + struct.pack(">I", len(head)) + head + ciphertext
    return body + secrets.sign(body)


def looks_like_sync_file(data: bytes) -> bool:
    return data.startswith(MAGIC)


def read_header(data: bytes, where: str) -> tuple[Header, int]:
    """The clear header and the offset of the ciphertext; structural checks only (nothing is trusted yet)."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(where)
    if not data.startswith(MAGIC):
        if MAGIC.startswith(data):
            raise _truncated(where)
        raise ValidationError(N_("{path} is not an Elternlotse sync file."), path=where)
    start = len(MAGIC) + 4
    if len(data) < start:
        raise _truncated(where)
    (size,) = struct.unpack(">I", data[len(MAGIC):start])
    if size > MAX_HEADER_BYTES:
        raise _malformed(where, "header too large")
    if len(data) < start + size:
        raise _truncated(where)
    try:
        doc = loads(data[start:start + size], max_depth=MAX_HEADER_DEPTH)
    except JsonRefused as refused:
        raise _malformed(where, f"header: {refused.detail}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("format"), int) or isinstance(doc.get("format"), bool):
        raise _malformed(where, "header has no format version")
    if doc["format"] > FORMAT_VERSION:
        raise ValidationError(
            N_("{path} was written in sync format {version}, newer than this app understands ({supported}); please update Elternlotse."),
            path=where, version=doc["format"], supported=FORMAT_VERSION)
    if set(doc) != set(HEADER_FIELDS):
        raise _malformed(where, "header fields")
    ints = ("format", "schema", "seq", "length")
    strs = ("sender", "recipient", "clock_from", "clock_to", "created")
    if any(not isinstance(doc[k], int) or isinstance(doc[k], bool) or not 0 <= doc[k] <= MAX_INT for k in ints) or any(
            not isinstance(doc[k], str) for k in strs):
        raise _malformed(where, "header field types")
    if doc["format"] < 1 or doc["seq"] < 1 or not _NODE.match(doc["sender"]) or not _NODE.match(doc["recipient"]) or not (
            _STAMP.match(doc["clock_from"]) and _STAMP.match(doc["clock_to"])) or len(doc["created"]) > 40:
        raise _malformed(where, "header values")
    header = Header(**{k: doc[k] for k in HEADER_FIELDS})
    end = start + size + header.length + SIGNATURE_BYTES
    if len(data) < end:
        raise _truncated(where)
    if len(data) > end:
        raise _malformed(where, "bytes after the signature")
    return header, start + size


def check_sealed(data: bytes, where: str, own_node: str, sender_key: Callable[[str], str | None]) -> tuple[Header, int]:
    """Structure, recipient, trusted sender and signature (cheap: no decryption).  Returns (header, offset)."""
    header, offset = read_header(data, where)
    if header.recipient != own_node:
        raise ValidationError(N_("{path} is meant for another installation ({recipient}), not this one; nothing was imported."),
                              path=where, recipient=header.recipient)
    key = sender_key(header.sender)
    if key is None:
        raise ValidationError(
            N_("{path} comes from {sender}, which is not trusted here; compare and trust its card first ('elternlotse keys trust')."),
            path=where, sender=header.sender)
    body, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    if not verify_signature(key, signature, body):
        raise ValidationError(N_("{path} was changed or damaged: its signature does not match the sender's key; nothing was imported."),
                              path=where)
    return header, offset


def unseal(data: bytes, header: Header, offset: int, where: str, secrets: Secrets) -> bytes:
    """Decrypt and inflate the payload of a checked file (bounded by ``max_inflated``)."""
    try:
        plaintext = pyrage.decrypt(data[offset:offset + header.length], [secrets.identity])
    except Exception:  # noqa: BLE001 - pyrage raises several kinds
        raise ValidationError(N_("{path} cannot be decrypted with this installation's key; nothing was imported."), path=where) from None
    inflater = zlib.decompressobj()
    try:
        payload = inflater.decompress(plaintext, max_inflated(len(plaintext)))
    except zlib.error:
        raise _malformed(where, "content is not compressed data") from None
    del plaintext
    if inflater.unconsumed_tail or (not inflater.eof and inflater.flush(1)):
        raise ValidationError(N_("{path} unpacks to more than a sync file may hold; nothing was imported."), path=where)
    if not inflater.eof or inflater.unused_data:
        raise _malformed(where, "compressed content incomplete or followed by other bytes")
    return payload


def open_sealed(data: bytes, where: str, own_node: str, sender_key: Callable[[str], str | None],
                secrets: Secrets) -> tuple[Header, bytes]:
    """Check and decrypt a file: returns the header and the payload JSON bytes.

    ``sender_key(node)`` gives the trusted signing key of a sender or None.
    Nothing here writes anything.
    """
    header, offset = check_sealed(data, where, own_node, sender_key)
    return header, unseal(data, header, offset, where, secrets)


def _truncated(where: str) -> ValidationError:
    return ValidationError(N_("{path} is incomplete (cut off while copying?); nothing was imported."), path=where)


def _malformed(where: str, detail: str) -> ValidationError:
    return ValidationError(N_("{path} is not a well-formed sync file ({detail}); nothing was imported."), path=where, detail=detail)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, rename: the file is complete or absent."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # owner-only from the first byte: a sync file carries personal data
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
