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
