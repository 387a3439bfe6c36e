"""Installation keys and public cards.

Each installation has an Ed25519 signing key (``cryptography``) and an X25519
age identity (``pyrage``).  Both secrets live in the encrypted store; the
public halves travel on a *card* (a small JSON file) that is compared by
phone using its fingerprint.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from pyrage import x25519

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

CARD_FORMAT = "elternlotse.card/1"
ROLES = ("navigator", "office")
MAX_CARD_BYTES = 16 * 1024


@dataclass(frozen=True)
class Secrets:
    """This installation's private keys (kept in the store's meta table)."""

    signing: Ed25519PrivateKey
    identity: x25519.Identity

    @classmethod
    def generate(cls) -> "Secrets":
        return cls(Ed25519PrivateKey.generate(), x25519.Identity.generate())

    def to_strings(self) -> tuple[str, str]:
        raw = self.signing.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return base64.b64encode(raw).decode("ascii"), str(self.identity)

    @classmethod
    def from_strings(cls, signing: str, identity: str) -> "Secrets":
        return cls(Ed25519PrivateKey.from_private_bytes(base64.b64decode(signing)), x25519.Identity.from_str(identity))

    def signing_public(self) -> str:
        return base64.b64encode(self.signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")

    def recipient(self) -> str:
        return str(self.identity.to_public())

    def sign(self, data: bytes) -> bytes:
        return self.signing.sign(data)


def fingerprint(node_id: str, signing_key: str, encryption_key: str) -> str:
    """20 base32 characters in groups of 4 (100 bits of SHA-256 over the public keys and node id)."""
    digest = hashlib.sha256(
        b"elternlotse-card-v1\n" + node_id.encode() + b"\n" + signing_key.encode() + b"\n" + encryption_key.encode()
    ).digest()
    text = base64.b32encode(digest).decode("ascii")[:20]
    return "-".join(text[i:i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class Card:
    node_id: str
    name: str
    organisation: str
    role: str
    signing_key: str       # base64 of the raw 32-byte Ed25519 public key
    encryption_key: str    # age X25519 recipient, "age1..."

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.node_id, self.signing_key, self.encryption_key)

    def body(self) -> dict[str, Any]:
        return {"format": CARD_FORMAT, "node_id": self.node_id, "name": self.name, "organisation": self.organisation,
                "role": self.role, "signing_key": self.signing_key, "encryption_key": self.encryption_key,
                "fingerprint": self.fingerprint}

    def to_json(self, secrets: Secrets) -> str:
        body = self.body()
        signature = secrets.sign(_canonical(body))
        return json.dumps({**body, "self_signature": base64.b64encode(signature).decode("ascii")},
                          ensure_ascii=False, indent=2) + "\n"


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def verify_signature(signing_key: str, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(signing_key, validate=True)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def parse_card(data: bytes, where: str = "card") -> Card:
    """A card from its JSON bytes; refuses anything malformed or not self-signed."""
    bad = ValidationError(N_("{path} is not a valid Elternlotse card."), path=where)
    if len(data) > MAX_CARD_BYTES:
        raise bad
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad from None
    if not isinstance(doc, dict) or doc.get("format") != CARD_FORMAT:
        raise bad
    fields = ("node_id", "name", "organisation", "role", "signing_key", "encryption_key", "fingerprint", "self_signature")
    if set(doc) != {"format", *fields} or not all(isinstance(doc[f], str) for f in fields):
        raise bad
    if doc["role"] not in ROLES or not doc["node_id"] or len(doc["node_id"]) > 32:
        raise bad
    try:
        raw = base64.b64decode(doc["signing_key"], validate=True)
        x25519.Recipient.from_str(doc["encryption_key"])
        signature = base64.b64decode(doc["self_signature"], validate=True)
    except Exception:  # noqa: BLE001 - any decoding problem means a bad card
        raise bad from None
    if len(raw) != 32:
        raise bad
    card = Card(doc["node_id"], doc["name"], doc["organisation"], doc["role"], doc["signing_key"], doc["encryption_key"])
    if card.fingerprint != doc["fingerprint"] or not verify_signature(card.signing_key, signature, _canonical(card.body())):
        raise ValidationError(N_("The card {path} was altered: its fingerprint or signature does not match."), path=where)
    return card
