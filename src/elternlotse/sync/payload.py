"""The decrypted payload: building its manifest and validating it strictly.

Validation is pure: the caller passes the synced tables and fields it knows
(``store.tables.SYNCED_FIELDS``); anything else is refused, never half-applied.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from elternlotse.domain.consent import Channel, Evidence, Purpose
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_
from elternlotse.sync.fileformat import Header

PAYLOAD_KEYS = ("format", "sender", "recipient", "seq", "role", "schema", "rows", "tombstones", "consents",
                "receipt", "catalogs", "withheld", "manifest")
MAX_ID = 64
MAX_TEXT = 100_000
MAX_ITEMS = 5_000_000
_STAMP = re.compile(r"^\d{13}-[0-9a-f]{4}-[0-9a-f]{8,32}$")
_PURPOSES = {p.value for p in Purpose}
_CHANNELS = {c.value for c in Channel} | {""}
_EVIDENCE = {e.value for e in Evidence}


@dataclass
class Payload:
    sender: str
    recipient: str
    seq: int
    role: str
    schema: int
    rows: list[tuple[str, str, list[tuple[str, str, Any]]]]       # (table, row id, [(field, stamp, value)])
    tombstones: list[tuple[str, str, str, str]]                   # (table, row id, stamp, kind)
    consents: list[tuple]                                         # CONSENT_COLUMNS order
    receipt_acked: str = ""
    receipt_seqs: list[int] = field(default_factory=list)
    catalogs: list[dict[str, Any]] = field(default_factory=list)
    withheld: dict[str, Any] = field(default_factory=dict)

    @property
    def change_count(self) -> int:
        return sum(len(changes) for _, _, changes in self.rows)


CONSENT_COLUMNS = ("id", "person_id", "purpose", "channel", "granted", "at", "recorded_by", "evidence",
                   "text_version", "text_language", "stamp")


def manifest_of(rows, tombstones, consents, catalogs) -> dict[str, Any]:
    per_table: dict[str, int] = {}
    for table, _, _ in rows:
        per_table[table] = per_table.get(table, 0) + 1
    return {"rows": per_table, "changes": sum(len(c) for _, _, c in rows), "tombstones": len(tombstones),
            "consents": len(consents), "catalogs": len(catalogs)}


def build(header: Header, role: str, rows, tombstones, consents, receipt_acked: str, receipt_seqs: list[int],
          catalogs: list[dict[str, Any]], withheld: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": header.format, "sender": header.sender, "recipient": header.recipient, "seq": header.seq,
        "role": role, "schema": header.schema,
        "rows": [[t, r, [[f, s, v] for f, s, v in changes]] for t, r, changes in rows],
        "tombstones": [list(t) for t in tombstones], "consents": [list(c) for c in consents],
        "receipt": {"acked": receipt_acked, "seqs": sorted(receipt_seqs)},
        "catalogs": catalogs, "withheld": withheld,
        "manifest": manifest_of(rows, tombstones, consents, catalogs),
    }


class _Bad(Exception):
    pass


def _need(condition: bool, detail: str) -> None:
    if not condition:
        raise _Bad(detail)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any, limit: int = MAX_TEXT) -> bool:
    return isinstance(value, str) and len(value) <= limit


_VALID_STAMPS: dict[str, bool] = {}


def _stamp(value: Any, clock_to: str) -> bool:
    if not isinstance(value, str) or value > clock_to:
        return False
    known = _VALID_STAMPS.get(value)
    if known is None:
        # One action stamps all its fields alike, so most stamps repeat: remember the answer.
        if len(_VALID_STAMPS) > 100_000:
            _VALID_STAMPS.clear()
        known = _VALID_STAMPS[value] = bool(_STAMP.match(value))
    return known


def _scalar(value: Any) -> bool:
    if value is None or isinstance(value, (bool, float)) or _is_int(value):
        return True
    return _text(value)


def parse(data: bytes, header: Header, synced_fields: Mapping[str, tuple[str, ...]], where: str) -> Payload:
    """Validate the payload JSON against its header and the known schema; refuse with one sentence."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(N_("{path} is not a well-formed sync file ({detail}); nothing was imported."),
                              path=where, detail="content is not JSON") from None
    try:
        return _parse(doc, header, synced_fields)
    except _Bad as bad:
        raise ValidationError(N_("{path} is not a well-formed sync file ({detail}); nothing was imported."),
                              path=where, detail=str(bad)) from None
    except _UnknownTable as unknown:
        raise ValidationError(
            N_("{path} holds records of '{table}', which this version of Elternlotse does not know; please update the app."),
            path=where, table=str(unknown)) from None


class _UnknownTable(Exception):
    pass


def _parse(doc: Any, header: Header, synced: Mapping[str, tuple[str, ...]]) -> Payload:
    _need(isinstance(doc, dict) and set(doc) == set(PAYLOAD_KEYS), "payload keys")
    for key in ("format", "sender", "recipient", "seq", "schema"):
        _need(doc[key] == getattr(header, key), f"payload {key} differs from the header")
    _need(doc["role"] in ("navigator", "office"), "sender role")
    clock_to = header.clock_to
    rows_doc, tomb_doc, cons_doc = doc["rows"], doc["tombstones"], doc["consents"]
    _need(all(isinstance(x, list) and len(x) <= MAX_ITEMS for x in (rows_doc, tomb_doc, cons_doc)), "lists")
    rows = []
    seen_rows: set[tuple[str, str]] = set()
    for item in rows_doc:
        _need(isinstance(item, list) and len(item) == 3, "row entry")
        table, row_id, changes = item
        _need(_text(table, MAX_ID) and _text(row_id, MAX_ID) and row_id != "", "row id")
        if table not in synced:
            raise _UnknownTable(table)
        _need((table, row_id) not in seen_rows, "row listed twice")
        seen_rows.add((table, row_id))
        _need(isinstance(changes, list) and changes, "row without changes")
        fields = synced[table]
        parsed = []
        seen: set[tuple[str, str]] = set()
        for change in changes:   # the hot loop of an import: checks inlined
            if type(change) is not list or len(change) != 3:
                raise _Bad("change entry")
            name, stamp, value = change
            if type(name) is not str or name not in fields:
                raise _UnknownTable(f"{table}.{name}" if isinstance(name, str) else table)
            if type(stamp) is not str or not (_VALID_STAMPS.get(stamp) or _stamp(stamp, clock_to)) or stamp > clock_to:
                raise _Bad("change stamp outside the clock range")
            kind = type(value)
            if not (value is None or kind is int or kind is float or kind is bool or (kind is str and len(value) <= MAX_TEXT)):
                raise _Bad("change value")
            key = (name, stamp)
            if key in seen:
                raise _Bad("change listed twice")
            seen.add(key)
            parsed.append((name, stamp, value))
        rows.append((table, row_id, parsed))
    tombstones = []
    for item in tomb_doc:
        _need(isinstance(item, list) and len(item) == 4, "tombstone entry")
        table, row_id, stamp, kind = item
        _need(_text(table, MAX_ID) and _text(row_id, MAX_ID) and row_id != "", "tombstone id")
        if table not in synced:
            raise _UnknownTable(table)
        _need(_stamp(stamp, clock_to) and kind in ("delete", "erase"), "tombstone stamp or kind")
        tombstones.append((table, row_id, stamp, kind))
    consents = []
    for item in cons_doc:
        _need(isinstance(item, list) and len(item) == len(CONSENT_COLUMNS), "consent entry")
        entry = dict(zip(CONSENT_COLUMNS, item, strict=True))
        _need(all(_text(entry[k], MAX_ID) and entry[k] for k in ("id", "person_id")), "consent ids")
        _need(entry["purpose"] in _PURPOSES and entry["channel"] in _CHANNELS and entry["evidence"] in _EVIDENCE,
              "consent purpose, channel or evidence")
        _need(entry["granted"] in (0, 1) and not isinstance(entry["granted"], bool), "consent granted flag")
        _need(all(_text(entry[k], 200) for k in ("at", "recorded_by", "text_version", "text_language")), "consent texts")
        _need(_stamp(entry["stamp"], clock_to), "consent stamp outside the clock range")
        consents.append(tuple(item))
    receipt = doc["receipt"]
    _need(isinstance(receipt, dict) and set(receipt) == {"acked", "seqs"}, "receipt")
    _need(receipt["acked"] == "" or (isinstance(receipt["acked"], str) and _STAMP.match(receipt["acked"])), "receipt stamp")
    _need(isinstance(receipt["seqs"], list) and len(receipt["seqs"]) <= 1_000_000
          and all(_is_int(s) and s > 0 for s in receipt["seqs"]), "receipt sequence numbers")
    catalogs = doc["catalogs"]
    _need(isinstance(catalogs, list) and all(
        isinstance(c, dict) and set(c) == {"kind", "key", "version", "content"}
        and all(_text(c[k], 200) for k in ("kind", "key", "version")) for c in catalogs), "catalogues")
    withheld = doc["withheld"]
    _need(isinstance(withheld, dict) and all(_is_int(v) and v >= 0 for v in withheld.values()), "withheld counts")
    manifest = doc["manifest"]
    _need(manifest == manifest_of(rows, tombstones, consents, catalogs), "counts differ from the manifest")
    return Payload(doc["sender"], doc["recipient"], doc["seq"], doc["role"], doc["schema"], rows, tombstones, consents,
                   receipt["acked"], list(receipt["seqs"]), catalogs, withheld)
