"""The recovery key: a second way to the store's raw key when the passphrase is forgotten.

A recovery key is 28 random characters of Crockford's base32 (140 bits, drawn with
``secrets``) in 7 groups of 4, each group followed by one check character, shown as
``ABCD7-EFGH2-...``.  The check character of a group is a weighted sum of its
characters and its position (mod 32), so a mistyped character is reported as "a
character in group N is wrong" before any key is tried.  Reading is forgiving:
lower case, spaces and hyphens are accepted, O reads as 0 and I/L as 1.

The key file (``store/keys.py``) holds an optional *recovery slot*:

- ``salt``: 16 random bytes; HKDF-SHA256 over the 28 data characters and this salt gives
  48 bytes: a 32-byte key-encryption key (KEK) and a 16-byte ``id``.
- ``id``: tells "this recovery key belongs to another store" from "the slot was altered".
- ``store_key``: the store's raw key sealed with AES-256-GCM under the KEK.
- ``kek``: the KEK sealed with AES-256-GCM under the store's raw key, so a passphrase
  change (which puts the store under a new raw key, rekey.py) can seal the new raw key
  for the same recovery key: the printed sheet stays valid.

A slow KDF is not needed: 140 random bits cannot be guessed.  Each seal binds the
slot's purpose as associated data, so the two sealed values cannot be swapped.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
from dataclasses import dataclass

from elternlotse.domain.errors import StoreError, ValidationError
from elternlotse.domain.text import N_

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
GROUPS = 7
DATA_PER_GROUP = 4
GROUP_LENGTH = DATA_PER_GROUP + 1
SALT_LENGTH = 16
ID_LENGTH = 16
NONCE_LENGTH = 12
SEALED_LENGTH = NONCE_LENGTH + 32 + 16  # nonce + 32-byte key + GCM tag
_AAD_STORE_KEY = b"elternlotse recovery: store key"
_AAD_KEK = b"elternlotse recovery: kek"
_INFO = b"elternlotse recovery key v1"
_READ_AS = {"O": "0", "I": "1", "L": "1"}

WRONG_LENGTH = N_("A recovery key has {groups} groups of {size} characters; this one has {count} characters.")
WRONG_CHARACTER = N_("The character \"{char}\" in group {group} of the recovery key does not occur in recovery keys.")
WRONG_GROUP = N_("A character in group {group} of the recovery key is wrong; compare it with the sheet.")
NOT_THIS_STORE = N_("This recovery key does not belong to this store; nothing was changed.")
SLOT_DAMAGED = N_("The recovery part of the key file {path} was altered; the recovery key cannot open the store.")
NO_SLOT = N_("This store has no recovery key; without the passphrase its data cannot be opened.")


def _check_char(group_index: int, chars: str) -> str:
    total = group_index + 1
    for position, char in enumerate(chars):
        total += (2 * position + 1) * ALPHABET.index(char)  # odd weights: every single change shows
    return ALPHABET[total % 32]


def new_recovery_key() -> str:
    """A fresh recovery key, formatted for the sheet."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * DATA_PER_GROUP))
    return format_key(data)


def format_key(data: str) -> str:
    groups = [data[i:i + DATA_PER_GROUP] for i in range(0, len(data), DATA_PER_GROUP)]
    return "-".join(group + _check_char(index, group) for index, group in enumerate(groups))


def parse_key(text: str) -> str:
    """The 28 data characters of a typed recovery key; one sentence naming the group that is wrong."""
    cleaned = "".join(ch for ch in str(text).upper() if not ch.isspace() and ch not in "-_.")
    cleaned = "".join(_READ_AS.get(ch, ch) for ch in cleaned)
    if len(cleaned) != GROUPS * GROUP_LENGTH:
        raise ValidationError(WRONG_LENGTH, groups=GROUPS, size=GROUP_LENGTH, count=len(cleaned))
    data = []
    for index in range(GROUPS):
        group = cleaned[index * GROUP_LENGTH:(index + 1) * GROUP_LENGTH]
        for char in group:
            if char not in ALPHABET:
                raise ValidationError(WRONG_CHARACTER, char=char, group=index + 1)
        if _check_char(index, group[:DATA_PER_GROUP]) != group[-1]:
            raise ValidationError(WRONG_GROUP, group=index + 1)
        data.append(group[:DATA_PER_GROUP])
    return "".join(data)


def _derive(data: str, salt: bytes) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    out = HKDF(algorithm=hashes.SHA256(), length=32 + ID_LENGTH, salt=salt, info=_INFO).derive(data.encode("ascii"))
    return out[:32], out[32:]


def _seal(key: bytes, plain: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_LENGTH)
    return nonce + AESGCM(key).encrypt(nonce, plain, aad)


def _open(key: bytes, sealed: bytes, aad: bytes) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(sealed[:NONCE_LENGTH], sealed[NONCE_LENGTH:], aad)
    except InvalidTag:
        return None


@dataclass(frozen=True)
class RecoverySlot:
    salt: bytes
    key_id: bytes
    store_key: bytes   # the raw store key sealed under the KEK
    kek: bytes         # the KEK sealed under the raw store key

    @classmethod
    def create(cls, recovery_key: str, raw_key: bytes) -> "RecoverySlot":
        salt = os.urandom(SALT_LENGTH)
        kek, key_id = _derive(parse_key(recovery_key), salt)
        return cls._seal_all(salt, key_id, kek, raw_key)

    @classmethod
    def _seal_all(cls, salt: bytes, key_id: bytes, kek: bytes, raw_key: bytes) -> "RecoverySlot":
        return cls(salt=salt, key_id=key_id, store_key=_seal(kek, raw_key, _AAD_STORE_KEY),
                   kek=_seal(raw_key, kek, _AAD_KEK))

    def unlock(self, recovery_key: str, path) -> bytes:
        """The raw store key; one sentence if the key is another store's or the slot was altered."""
        kek, key_id = _derive(parse_key(recovery_key), self.salt)
        if not hmac.compare_digest(key_id, self.key_id):
            raise ValidationError(NOT_THIS_STORE)
        raw_key = _open(kek, self.store_key, _AAD_STORE_KEY)
        if raw_key is None or len(raw_key) != 32:
            raise StoreError(SLOT_DAMAGED, path=str(path))
        return raw_key

    def moved_to(self, old_raw_key: bytes, new_raw_key: bytes, path) -> "RecoverySlot":
        """The same recovery key, sealing ``new_raw_key`` (a passphrase change)."""
        kek = _open(old_raw_key, self.kek, _AAD_KEK)
        if kek is None or len(kek) != 32:
            raise StoreError(SLOT_DAMAGED, path=str(path))
        return self._seal_all(self.salt, self.key_id, kek, new_raw_key)

    def to_dict(self) -> dict:
        def b64(value: bytes) -> str:
            return base64.b64encode(value).decode("ascii")

        return {"kdf": "hkdf-sha256", "cipher": "aes-256-gcm", "salt": b64(self.salt), "id": b64(self.key_id),
                "store_key": b64(self.store_key), "kek": b64(self.kek)}

    @classmethod
    def from_dict(cls, data) -> "RecoverySlot | None":
        """None when ``data`` is not a well-formed slot (the caller says the key file is damaged)."""
        if not isinstance(data, dict) or data.get("kdf") != "hkdf-sha256" or data.get("cipher") != "aes-256-gcm":
            return None
        values = {}
        for name, length in (("salt", SALT_LENGTH), ("id", ID_LENGTH), ("store_key", SEALED_LENGTH),
                             ("kek", SEALED_LENGTH)):
            text = data.get(name)
            if not isinstance(text, str) or len(text) > 128:
                return None
            try:
                value = base64.b64decode(text, validate=True)
            except ValueError:
                return None
            if len(value) != length:
                return None
            values[name] = value
        return cls(salt=values["salt"], key_id=values["id"], store_key=values["store_key"], kek=values["kek"])
