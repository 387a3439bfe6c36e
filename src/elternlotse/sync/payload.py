"""The decrypted payload: building its manifest and validating it strictly.

Validation is pure: the caller passes the synced tables and fields it knows
(``store.tables.SYNCED_FIELDS``); anything else is refused, never half-applied.
Every value goes through the rule of its column (``domain/records.py``, the same
rules as the family and event documents); JSON is read with bounded depth and
number size (``sync/payload_reader.py``, the bounds of ``domain/fields.py`` ``loads``); no stamp may lie more than
``MAX_SKEW_MS`` ahead of this computer's clock.  Each refusal is one sentence
naming the file (and the record and field where one is at fault).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping

from elternlotse.domain.clock import MAX_SKEW_MS, too_far_ahead
from elternlotse.domain.consent import Channel, Evidence, Purpose
from elternlotse.domain.contact import normalise_language
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.fields import JsonRefused, clean_text, id_field
from elternlotse.domain.records import check_value
from elternlotse.domain.text import N_
from elternlotse.sync import payload_reader, payload_writer
from elternlotse.sync import aggregates
from elternlotse.sync.fileformat import Header

PAYLOAD_KEYS = ("format", "sender", "recipient", "seq", "role", "schema", "rows", "tombstones", "consents",
                "receipt", "catalogs", "withheld", "manifest")
MAX_ID = 64
MAX_TEXT = 100_000
MAX_ITEMS = 5_000_000
MAX_RECEIPT_SEQS = 100_000
MAX_SHORT = 200
#: Distinct valid values remembered per column while one payload is checked (a value seen valid
#: is not checked again; the rules are pure functions of the value).
CACHED_PER_COLUMN = 256
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
    aggregates: list[tuple] | None = None      # sync/aggregates.py; None: the file has no such section

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


def stream(header: Header, role: str, rows: Iterable, tombstones: Iterable, consents: Iterable, receipt_acked: str,
           receipt_seqs: list[int], catalogs: list[dict[str, Any]], withheld: dict[str, Any],
           extra: dict[str, Any] | None = None) -> tuple[bytes, dict]:
    """``zlib(canonical(build(...)))`` written as a stream (``sync/payload_writer.py``): the record
    iterators are read once, item by item.  Returns the compressed payload and its manifest.
    ``extra``: optional top-level sections (a navigator's ``aggregates``), small and written whole."""
    row_section = payload_writer.Rows(rows)
    sections = {
        "format": header.format, "sender": header.sender, "recipient": header.recipient, "seq": header.seq,
        "role": role, "schema": header.schema, "rows": row_section,
        "tombstones": payload_writer.Items(list(t) for t in tombstones),
        "consents": payload_writer.Items(list(c) for c in consents),
        "receipt": {"acked": receipt_acked, "seqs": sorted(receipt_seqs)},
        "catalogs": catalogs, "withheld": withheld, **(extra or {}),
    }

    def manifest(done: dict[str, Any]) -> dict[str, Any]:
        return {"rows": row_section.per_table, "changes": row_section.changes,
                "tombstones": payload_writer.count_of(done["tombstones"]),
                "consents": payload_writer.count_of(done["consents"]), "catalogs": len(catalogs)}

    counted: dict[str, Any] = {}

    def counted_manifest(done: dict[str, Any]) -> dict[str, Any]:
        counted.update(manifest(done))
        return counted

    return payload_writer.write(sections, counted_manifest), counted


class _Bad(Exception):
    pass


def _need(condition: bool, detail: str) -> None:
    if not condition:
        raise _Bad(detail)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _short(value: Any, limit: int = MAX_SHORT) -> bool:
    return isinstance(value, str) and len(value) <= limit and clean_text(value)


def _moment(value: Any) -> bool:
    if not _short(value, 40) or not value:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _language_or_empty(value: Any) -> bool:
    if value == "":
        return True
    try:
        normalise_language(value if _short(value, 20) else "?")
    except ValidationError:
        return False
    return True


def _ok_id(value: Any) -> bool:
    try:
        id_field(value, "id")
    except ValidationError:
        return False
    return True


def parse(data: bytes, header: Header, synced_fields: Mapping[str, tuple[str, ...]], where: str,
          now_ms: int | None = None) -> Payload:
    """Validate the payload JSON against its header and the known schema; refuse with one sentence.

    ``now_ms`` is this computer's wall clock (default: now); stamps further ahead than
    ``MAX_SKEW_MS`` are refused.
    """
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    for stamp in (header.clock_to, header.clock_from):
        if too_far_ahead(stamp, now_ms):
            raise _ahead(where, stamp)
    try:
        doc = payload_reader.read(data)    # decoded and parsed piece by piece (import memory)
        del data    # the caller keeps no reference (services/sync.py): the text is freed before the checks
    except JsonRefused as refused:
        raise ValidationError(N_("{path} is not a well-formed sync file ({detail}); nothing was imported."),
                              path=where, detail=f"content: {refused.detail}") from None
    try:
        return _parse(doc, header, synced_fields, where, now_ms)
    except _Bad as bad:
        raise ValidationError(N_("{path} is not a well-formed sync file ({detail}); nothing was imported."),
                              path=where, detail=str(bad)) from None
    except _UnknownTable as unknown:
        raise ValidationError(
            N_("{path} holds records of '{table}', which this version of Elternlotse does not know; please update the app."),
            path=where, table=str(unknown)) from None


def _ahead(where: str, stamp: str) -> ValidationError:
    return ValidationError(
        N_("{path} carries clock stamps more than {hours} hours ahead of this computer's clock ({stamp}); "
           "check the date on both computers. Nothing was imported."),
        path=where, hours=MAX_SKEW_MS // 3_600_000, stamp=stamp)


class _UnknownTable(Exception):
    pass


def _in_field(error: ValidationError, where: str, table: str, row_id: str) -> ValidationError:
    """The rule's sentence with the file and record in front of the field name."""
    params = dict(error.params)
    params["field"] = f"{where}: {table} {row_id}.{params.get('field', '')}"
    return ValidationError(error.message_id, **params)


def _parse(doc: Any, header: Header, synced: Mapping[str, tuple[str, ...]], where: str, now_ms: int) -> Payload:
    _need(isinstance(doc, dict) and set(PAYLOAD_KEYS) <= set(doc) <= {*PAYLOAD_KEYS, aggregates.KEY}, "payload keys")
    for key in ("format", "sender", "recipient", "seq", "schema"):
        _need(type(doc[key]) is type(getattr(header, key)) and doc[key] == getattr(header, key),
              f"payload {key} differs from the header")
    _need(doc["role"] in ("navigator", "office"), "sender role")
    clock_to = header.clock_to
    rows_doc, tomb_doc, cons_doc = doc["rows"], doc["tombstones"], doc["consents"]
    _need(all(isinstance(x, list) and len(x) <= MAX_ITEMS for x in (rows_doc, tomb_doc, cons_doc)), "lists")
    stamps: dict[str, str] = {}   # one object per distinct stamp (most repeat: one action stamps all its fields)

    def stamp_ok(value: Any) -> bool:
        if type(value) is not str or value > clock_to:
            return False
        known = stamps.get(value)
        if known is None:
            if not _STAMP.match(value):
                return False
            known = stamps[value] = value
        return True

    # Values already checked, per column and at most CACHED_PER_COLUMN of each: roles, kinds,
    # languages, positions repeat; ids and names do not, and must not crowd the others out.
    checked: dict[tuple[str, str], set[tuple[type, Any]]] = {}
    seen_rows: set[tuple[str, str]] = set()
    for item in rows_doc:
        _need(isinstance(item, list) and len(item) == 3, "row entry")
        table, row_id, changes = item
        _need(_short(table, MAX_ID) and _ok_id(row_id), "row id")
        if table not in synced:
            raise _UnknownTable(table)
        _need((table, row_id) not in seen_rows, "row listed twice")
        seen_rows.add((table, row_id))
        _need(isinstance(changes, list) and changes, "row without changes")
        fields = synced[table]
        seen: set[tuple[str, str]] = set()
        for change in changes:   # the hot loop of an import: checks inlined
            if type(change) is not list or len(change) != 3:
                raise _Bad("change entry")
            name, stamp, value = change
            if type(name) is not str or name not in fields:
                raise _UnknownTable(f"{table}.{name}" if _short(name, MAX_ID) else table)
            if not stamp_ok(stamp):
                raise _Bad("change stamp outside the clock range")
            change[1] = stamps[stamp]
            kind = type(value)
            short = (kind is str and len(value) <= 64) or value is None or kind is int or kind is bool
            known = checked.get((table, name)) if short else None
            if known is None or (kind, value) not in known:
                try:
                    check_value(table, name, value, name)
                except ValidationError as error:
                    raise _in_field(error, where, table, row_id) from None
                if short:
                    if known is None:
                        known = checked[(table, name)] = set()
                    if len(known) < CACHED_PER_COLUMN:
                        known.add((kind, value))
            key = (name, stamp)
            if key in seen:
                raise _Bad("change listed twice")
            seen.add(key)
    rows = [tuple(item) for item in rows_doc]
    tombstones = []
    for item in tomb_doc:
        _need(isinstance(item, list) and len(item) == 4, "tombstone entry")
        table, row_id, stamp, kind = item
        _need(_short(table, MAX_ID) and _ok_id(row_id), "tombstone id")
        if table not in synced:
            raise _UnknownTable(table)
        _need(stamp_ok(stamp) and kind in ("delete", "erase"), "tombstone stamp or kind")
        tombstones.append((table, row_id, stamp, kind))
    consents = []
    texts_ok: set[tuple[Any, Any, Any]] = set()     # (recorded_by, text_version, text_language) repeat
    moments_ok: set[Any] = set()
    for item in cons_doc:   # CONSENT_COLUMNS order
        _need(type(item) is list and len(item) == len(CONSENT_COLUMNS), "consent entry")
        entry_id, person, purpose, channel, granted, at, recorded_by, evidence, version, language, stamp = item
        _need(_ok_id(entry_id) and _ok_id(person), "consent ids")
        _need(type(purpose) is str and type(channel) is str and type(evidence) is str and purpose in _PURPOSES
              and channel in _CHANNELS and evidence in _EVIDENCE, "consent purpose, channel or evidence")
        _need(type(granted) is int and granted in (0, 1), "consent granted flag")
        if type(at) is not str or at not in moments_ok:
            _need(_moment(at), "consent time")
            if len(moments_ok) < CACHED_PER_COLUMN:
                moments_ok.add(at)
        texts = (recorded_by, version, language)
        if not (type(recorded_by) is str and type(version) is str and type(language) is str) or texts not in texts_ok:
            _need(_short(recorded_by) and _short(version, 40), "consent texts")
            _need(_language_or_empty(language), "consent text language")
            if len(texts_ok) < CACHED_PER_COLUMN:
                texts_ok.add(texts)
        _need(stamp_ok(stamp), "consent stamp outside the clock range")
        consents.append(tuple(item))
    receipt = doc["receipt"]
    _need(isinstance(receipt, dict) and set(receipt) == {"acked", "seqs"}, "receipt")
    _need(receipt["acked"] == "" or (isinstance(receipt["acked"], str) and _STAMP.match(receipt["acked"])), "receipt stamp")
    if too_far_ahead(receipt["acked"], now_ms):
        raise _ahead(where, receipt["acked"])
    _need(isinstance(receipt["seqs"], list) and len(receipt["seqs"]) <= MAX_RECEIPT_SEQS
          and all(_is_int(s) and s > 0 for s in receipt["seqs"]), "receipt sequence numbers")
    catalogs = doc["catalogs"]
    _need(isinstance(catalogs, list) and len(catalogs) <= 1000 and all(
        isinstance(c, dict) and set(c) == {"kind", "key", "version", "content"}
        and all(_short(c[k]) for k in ("kind", "key", "version")) for c in catalogs), "catalogues")
    withheld = doc["withheld"]
    _need(isinstance(withheld, dict) and len(withheld) <= 100
          and all(_short(k, MAX_ID) and _is_int(v) and v >= 0 for k, v in withheld.items()), "withheld counts")
    manifest = doc["manifest"]
    _need(manifest == manifest_of(rows, tombstones, consents, catalogs), "counts differ from the manifest")
    cells = None
    if aggregates.KEY in doc:   # optional: anonymous counts of families without office consent (a navigator's)
        _need(doc["role"] == "navigator", "aggregates from an office")
        try:
            cells = aggregates.parse(doc[aggregates.KEY])
        except ValueError as bad:
            raise _Bad(str(bad)) from None
    return Payload(doc["sender"], doc["recipient"], doc["seq"], doc["role"], doc["schema"], rows, tombstones, consents,
                   receipt["acked"], list(receipt["seqs"]), catalogs, withheld, cells)
