"""Helpers shared by the sync tests."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import family_document


def office_consent(granted: bool = True, at: str = "2026-11-01T10:00:00Z", person: str = "g1") -> dict:
    return {"person": person, "purpose": "office", "granted": granted, "at": at, "evidence": "signed_form",
            "text_version": "2026-1", "text_language": "de"}


def shared_document(name: str = "Ayşe Yılmaz", phone: str = "0176 1234 5678", **extra) -> dict:
    doc = family_document(name=name, phone=phone, **extra)
    doc["consents"].append(office_consent())
    return doc


def link(navigator, office) -> None:
    """Trust both ways, as after comparing fingerprints by phone."""
    navigator.sync.trust(office.sync.own_card())
    office.sync.trust(navigator.sync.own_card())


def later_than(later, earlier) -> None:
    """Make ``later``'s next clock stamp greater than ``earlier``'s last one.

    Two edits on two machines within the same millisecond are ordered by node id;
    a test that expects "the later edit wins" says which one is later.
    """
    later.store.clock.observe(earlier.store.clock.last)


def send(source, target, folder: Path, name: str) -> Path:
    path = Path(folder) / name
    to = None if not source.store.info.is_office else target.store.info.node_id
    source.sync.export(path, to=to)
    return path


def synced_state(services, family_ids=None) -> dict:
    """The synced fields of live rows (and which rows are deleted), keyed by table and id."""
    from elternlotse.store.tables import SYNCED_FIELDS

    conn = services.store.conn
    state = {}
    for table, fields in SYNCED_FIELDS.items():
        for row in conn.execute(f"SELECT id, deleted IS NOT NULL, {', '.join(fields)} FROM {table}"):
            state[(table, row[0])] = (row[1], *row[2:]) if not row[1] else (True,)
    return state


def store_counts(services) -> dict:
    conn = services.store.conn
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("families", "persons", "channels", "consents", "changes", "tombstones", "sync_files", "audit")}


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- hostile files, built from docs/sync-format.md alone

def stamp_of(node: str, offset_ms: int = 0) -> str:
    """A hybrid-clock stamp ``<ms, 13 digits>-<counter, 4 hex>-<node>`` of now (plus ``offset_ms``)."""
    import time

    return f"{int(time.time() * 1000) + offset_ms:013d}-0000-{node}"


def _canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def hostile_file(sender, recipient, folder: Path, name: str, rows=(), tombstones=(), consents=(), catalogs=(),
                 receipt_acked: str = "") -> Path:
    """A correctly signed and encrypted file whose payload is written by hand, as a hostile peer would.

    Only the spec is followed (header, payload keys, manifest, zlib, age, Ed25519), with the sender's
    real keys: the file passes every check of the format, so what stops it is the trust model.
    """
    import base64
    import zlib

    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pyrage import x25519

    from elternlotse.sync.fileformat import FORMAT_VERSION

    s_info, r_info = sender.store.info, recipient.store.info
    sender.sync.secrets()
    peer = sender.sync.peer(r_info.node_id)
    rows = [[t, r, [list(c) for c in changes]] for t, r, changes in rows]
    all_stamps = [c[1] for _t, _r, ch in rows for c in ch] + [t[2] for t in tombstones] + [c[-1] for c in consents]
    clock_to = max([stamp_of(s_info.node_id), *all_stamps])
    seq = peer.seq_out + 1
    per_table: dict = {}
    for t, _r, _c in rows:
        per_table[t] = per_table.get(t, 0) + 1
    payload = {"format": FORMAT_VERSION, "sender": s_info.node_id, "recipient": r_info.node_id, "seq": seq,
               "role": s_info.role, "schema": s_info.schema_version, "rows": rows,
               "tombstones": [list(t) for t in tombstones], "consents": [list(c) for c in consents],
               "receipt": {"acked": receipt_acked, "seqs": []}, "catalogs": list(catalogs), "withheld": {},
               "manifest": {"rows": per_table, "changes": sum(len(c) for _t, _r, c in rows),
                            "tombstones": len(tombstones), "consents": len(consents), "catalogs": len(catalogs)}}
    cipher = pyrage.encrypt(zlib.compress(_canonical(payload)), [x25519.Recipient.from_str(
        recipient.sync.own_card().encryption_key)])
    header = _canonical({"format": FORMAT_VERSION, "schema": s_info.schema_version, "sender": s_info.node_id,
                         "recipient": r_info.node_id, "seq": seq, "clock_from": "", "clock_to": clock_to,
                         "created": "2026-12-01T10:00:00Z", "length": len(cipher)})
    body = b"ELTERNLOTSE-SYNC\n" + len(header).to_bytes(4, "big") + header + cipher
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(sender.store.meta("sync.signing_key")))
    path = Path(folder) / name
    path.write_bytes(body + key.sign(body))
    with sender.store.write("test", "test.hostile_file") as writer:   # the next real file gets the next number
        writer.conn.execute("UPDATE sync_peers SET seq_out = ? WHERE node_id = ?", (seq, r_info.node_id))
    return path


def linked_office_and_navigators(folder: Path, *names: str) -> list:
    """An office store and one navigator store per name, each navigator linked to the office."""
    from conftest import PASSPHRASE, TEST_KDF
    from elternlotse.app import create_store

    office = create_store(folder / "office", PASSPHRASE, "KoKo Hagen", office=True, key_derivation=TEST_KDF)
    navigators = [create_store(folder / name.split()[-1].lower(), PASSPHRASE, name, key_derivation=TEST_KDF)
                  for name in names]
    for navigator in navigators:
        link(navigator, office)
    return [office, *navigators]


def sync_round(office, navigators, folder: Path, tag: str, no_refused_records: bool = False) -> None:
    """Each navigator sends, the office imports, then sends each navigator its package (none refused)."""
    for i, navigator in enumerate(navigators):
        office.sync.import_files([send(navigator, office, folder, f"{tag}-up{i}.elsync")])
    for i, navigator in enumerate(navigators):
        report = navigator.sync.import_files([send(office, navigator, folder, f"{tag}-down{i}.elsync")])
        assert report.refused == 0, report.error
        if no_refused_records:
            assert report.refused_records == 0, report.error
