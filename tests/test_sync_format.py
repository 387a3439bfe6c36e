"""The sync format as written down in docs/sync-format.md.

``independent_read`` follows only the document (struct, json, zlib, hashlib and
the two crypto libraries), not our code, to show that the document is enough
for a second implementation.  A golden file made by an earlier build must stay
readable by this one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import zlib
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyrage import x25519

from elternlotse.domain.errors import ValidationError
from elternlotse.store.tables import SYNCED_FIELDS
from elternlotse.sync import fileformat, payload
from elternlotse.sync.keys import Secrets, fingerprint, parse_card
from sync_helpers import link, send, shared_document

GOLDEN = Path(__file__).parent / "data" / "sync"


def canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def independent_read(data: bytes, signing_key_b64: str, age_identity: str) -> tuple[dict, dict]:
    magic = b"ELTERNLOTSE-SYNC\n"
    assert data[:17] == magic
    (hlen,) = struct.unpack(">I", data[17:21])
    assert hlen <= 4096
    header = json.loads(data[21:21 + hlen])
    assert canonical(header) == data[21:21 + hlen]
    assert header["format"] == 1
    cipher = data[21 + hlen:21 + hlen + header["length"]]
    signature = data[21 + hlen + header["length"]:]
    assert len(signature) == 64
    Ed25519PublicKey.from_public_bytes(base64.b64decode(signing_key_b64)).verify(signature, data[:-64])
    plain = zlib.decompress(pyrage.decrypt(cipher, [x25519.Identity.from_str(age_identity)]))
    body = json.loads(plain)
    assert canonical(body) == plain
    for key in ("format", "sender", "recipient", "seq", "schema"):
        assert body[key] == header[key]
    per_table: dict[str, int] = {}
    for table, _row, _changes in body["rows"]:
        per_table[table] = per_table.get(table, 0) + 1
    assert body["manifest"] == {"rows": per_table, "changes": sum(len(c) for _, _, c in body["rows"]),
                                "tombstones": len(body["tombstones"]), "consents": len(body["consents"]),
                                "catalogs": len(body["catalogs"])}
    stamps = [s for _, _, changes in body["rows"] for _, s, _ in changes] + [c[10] for c in body["consents"]]
    assert all(s <= header["clock_to"] for s in stamps)
    return header, body


def test_a_fresh_file_reads_with_the_document_alone(services, office_services, tmp_path):
    link(services, office_services)
    services.families.add(shared_document())
    path = send(services, office_services, tmp_path, "f.elsync")
    card = services.sync.own_card()
    header, body = independent_read(path.read_bytes(), card.signing_key, office_services.store.meta("sync.age_identity"))
    assert (header["sender"], header["recipient"], header["seq"]) == (card.node_id, office_services.store.info.node_id, 1)
    names = [v for t, _, changes in body["rows"] if t == "persons" for f, _, v in changes if f == "name"]
    assert "Ayşe Yılmaz" in names and body["role"] == "navigator"


def test_the_card_fingerprint_as_documented(services, tmp_path):
    path = tmp_path / "me.card"
    services.sync.write_card(path)
    card = json.loads(path.read_text())
    digest = hashlib.sha256(("elternlotse-card-v1\n" + card["node_id"] + "\n" + card["signing_key"] + "\n"
                             + card["encryption_key"]).encode()).digest()
    text = base64.b32encode(digest).decode()[:20]
    assert card["fingerprint"] == "-".join(text[i:i + 4] for i in range(0, 20, 4))
    body = {k: v for k, v in card.items() if k != "self_signature"}
    Ed25519PublicKey.from_public_bytes(base64.b64decode(card["signing_key"])).verify(
        base64.b64decode(card["self_signature"]), canonical(body))
    assert parse_card(path.read_bytes()).fingerprint == card["fingerprint"]


def test_the_golden_file_of_format_1_stays_readable():
    keys = json.loads((GOLDEN / "golden-v1.json").read_text())
    data = (GOLDEN / "golden-v1.elsync").read_bytes()
    header, body = independent_read(data, keys["sender_signing_key"], keys["recipient_age_identity"])
    assert fingerprint(keys["sender_node"], keys["sender_signing_key"], keys["sender_encryption_key"]) == keys["sender_fingerprint"]
    recipient = Secrets(Secrets.generate().signing, x25519.Identity.from_str(keys["recipient_age_identity"]))
    ours_header, plain = fileformat.open_sealed(data, "golden", keys["recipient_node"],
                                                lambda node: keys["sender_signing_key"] if node == keys["sender_node"] else None,
                                                recipient)
    parsed = payload.parse(plain, ours_header, SYNCED_FIELDS, "golden")
    counts = {}
    for table, _row, _changes in parsed.rows:
        counts[table] = counts.get(table, 0) + 1
    assert {t: counts.get(t, 0) for t in keys["expected"]} == keys["expected"]
    with pytest.raises(ValidationError, match="another installation"):
        fileformat.open_sealed(data, "golden", "0" * 16, lambda node: keys["sender_signing_key"], recipient)


def test_the_streamed_payload_is_exactly_the_canonical_json_of_the_format(monkeypatch):
    """The export writes the payload piece by piece; the text must be byte for byte canonical(build(...))."""
    from elternlotse.sync import payload_writer

    monkeypatch.setattr(payload_writer, "PIECE", 40)    # many pieces, the spool crossing piece borders
    node = "a" * 16
    header = fileformat.Header(1, 14, node, "b" * 16, 3, "", f"1764590000000-0002-{node}", "2026-12-01T10:00:00Z", 0)
    rows = [("persons", f"p{i}", [("grade", f"1764590000000-0001-{node}", None),
                                  ("name", f"1764590000000-0000-{node}", f"Ayşe محمد Олена {i} \"x\"\n")])
            for i in range(30)]
    tombstones = [("channels", "c1", f"1764590000000-0000-{node}", "erase")]
    consents = [("k1", "p1", "office", "", 1, "2026-11-20T10:00:00Z", "Ana", "signed-form", "2026-1", "tr",
                 f"1764590000000-0000-{node}")]
    catalogs = [{"kind": "kaoa-catalog", "key": "nrw", "version": "1", "content": {"z": [1, 2], "a": "ü"}}]
    for case in ((rows, tombstones, consents, catalogs), ([], [], [], [])):
        built = payload.build(header, "navigator", *case[:3], "", [2, 1], case[3], {"persons": 3})
        streamed, manifest = payload.stream(header, "navigator", iter(case[0]), iter(case[1]), iter(case[2]), "",
                                            [2, 1], case[3], {"persons": 3})
        assert zlib.decompress(streamed) == canonical(built)
        assert manifest == built["manifest"]
