"""The store side of sync: bookkeeping tables, ownership and bindings, conflicts, the ledger.

Every query here is bounded: lookups go through primary keys or indexes in chunks of
at most ``CHUNK`` ids, never a scan of a whole table per conflict or per record.
``services/sync*.py`` orchestrate; the SQL of sync lives here and in ``store/merge.py``
(the merge's bulk statements, run on ``Writer``'s connection inside ``Store.write``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from elternlotse.store.tables import SYNCED_FIELDS

CHUNK = 500

#: The node a family belongs to: its ``owner`` if an office handed it over, else the node that
#: recorded it (the node part of its ``created`` stamp ``<13 digits>-<4 hex>-<node>``).
OWNER_SQL = "COALESCE(NULLIF({t}.owner, ''), substr({t}.created, 20))"


def node_of(stamp: str) -> str:
    return stamp.rsplit("-", 1)[-1]


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def marks(items) -> str:
    return ", ".join("?" * len(items))


# ---------------------------------------------------------------- bindings: which family / person a row belongs to

def _columns(conn, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def binding_parts(conn, table: str) -> tuple[str, str, str]:
    """(FROM clause with alias ``t``, family expression, person expression) for rows of ``table``."""
    if table == "families":
        return "families t", "t.id", "NULL"
    if table == "persons":
        return "persons t", "t.family_id", "t.id"
    cols = _columns(conn, table)
    person = "person_id" if "person_id" in cols else ("child_id" if "child_id" in cols else None)
    if person:
        family = "COALESCE(NULLIF(t.family_id, ''), p.family_id)" if "family_id" in cols else "p.family_id"
        return f"{table} t LEFT JOIN persons p ON p.id = t.{person}", family, f"NULLIF(t.{person}, '')"
    if "family_id" in cols:
        return f"{table} t", "NULLIF(t.family_id, '')", "NULL"
    return f"{table} t", "NULL", "NULL"


def bindings_sql(conn, table: str) -> str:
    """``SELECT id, family_id, person_id`` of every row of ``table`` (NULL where unbound)."""
    source, family, person = binding_parts(conn, table)
    return f"SELECT t.id, {family}, {person} FROM {source}"


def bindings(conn, table: str) -> dict[str, tuple[str | None, str | None]]:
    """Every row of ``table`` -> (family, person): for the exports, which read every record anyway."""
    return {r[0]: (r[1], r[2]) for r in conn.execute(bindings_sql(conn, table))}


def bindings_of(conn, table: str, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """(family, person) of the given rows of ``table`` that exist (through the primary key)."""
    sql = bindings_sql(conn, table)
    found: dict[str, tuple[str | None, str | None]] = {}
    for chunk in chunks(sorted(set(ids))):
        found.update((r[0], (r[1], r[2])) for r in conn.execute(f"{sql} WHERE t.id IN ({marks(chunk)})", chunk))
    return found


def created_nodes(conn, table: str, ids: Iterable[str]) -> dict[str, str]:
    """Row id -> the node that created it (for unbound records such as events)."""
    found = {}
    for chunk in chunks(sorted(set(ids))):
        found.update((r[0], node_of(r[1])) for r in conn.execute(
            f"SELECT id, created FROM {table} WHERE id IN ({marks(chunk)})", chunk))
    return found


def family_owners(conn, family_ids: Iterable[str]) -> dict[str, str]:
    """Family id -> owner node, for the families that exist here."""
    found = {}
    expr = OWNER_SQL.format(t="f")
    for chunk in chunks(sorted(set(family_ids))):
        found.update(conn.execute(f"SELECT f.id, {expr} FROM families f WHERE f.id IN ({marks(chunk)})", chunk))
    return found


def families_owned_by(conn, node: str) -> set[str]:
    return {r[0] for r in conn.execute(
        f"SELECT f.id FROM families f WHERE {OWNER_SQL.format(t='f')} = ?", (node,))}


def owner_changes_since(conn, stamp: str) -> list[tuple[str, str, str]]:
    """(family id, new owner, stamp) of every handover recorded after ``stamp``."""
    return [(r[0], json.loads(r[1]), r[2]) for r in conn.execute(
        "SELECT row_id, value, stamp FROM changes WHERE tbl = 'families' AND field = 'owner' AND stamp > ?"
        " ORDER BY stamp", (stamp,)) if r[1] is not None]


def former_owners(conn, family_ids: Iterable[str], up_to: str | None = None) -> dict[str, set[str]]:
    """Family id -> every node that owned it (its recorder and every handover's recipient).

    ``up_to``: count only handovers stamped at or before it (a navigator's receipt: a family handed
    to it and away again before it ever received the package never reached its laptop).
    """
    found: dict[str, set[str]] = {}
    bound = " AND stamp <= ?" if up_to is not None else ""
    for chunk in chunks(sorted(set(family_ids))):
        for fid, created in conn.execute(f"SELECT id, created FROM families WHERE id IN ({marks(chunk)})", chunk):
            found.setdefault(fid, set()).add(node_of(created))
        for fid, value in conn.execute(
                f"SELECT row_id, value FROM changes WHERE tbl = 'families' AND field = 'owner'"
                f" AND row_id IN ({marks(chunk)}){bound}", [*chunk, *([up_to] if up_to is not None else [])]):
            if value is not None:
                found.setdefault(fid, set()).add(json.loads(value))
    return found


def family_labels(conn, family_ids: Iterable[str]) -> dict[str, str]:
    """Family id -> its guardians' names ("A / B"), as this store holds them (empty once erased)."""
    names: dict[str, list[str]] = {}
    for chunk in chunks(sorted(set(f for f in family_ids if f))):
        for fid, name in conn.execute(
                f"SELECT family_id, name FROM persons WHERE family_id IN ({marks(chunk)}) AND role = 'guardian'"
                " AND deleted IS NULL ORDER BY family_id, position", chunk):
            if name:
                names.setdefault(fid, []).append(name)
    return {fid: " / ".join(n) for fid, n in names.items()}


def live_families(conn, family_ids: Iterable[str]) -> set[str]:
    found = set()
    for chunk in chunks(sorted(set(family_ids))):
        found.update(r[0] for r in conn.execute(
            f"SELECT id FROM families WHERE id IN ({marks(chunk)}) AND deleted IS NULL", chunk))
    return found


# ---------------------------------------------------------------- conflicts kept for review

@dataclass(frozen=True)
class ConflictRow:
    id: int
    table: str
    row_id: str
    field: str
    current_value: Any
    lost_value: Any
    lost_stamp: str
    kept_stamp: str
    detected: str
    resolved: str
    resolution: str
    family_id: str | None


_CONFLICT_COLUMNS = "id, tbl, row_id, field, lost_value, lost_stamp, kept_stamp, detected, resolved, resolution"


def conflicts(conn, include_resolved: bool = False, ids: list[int] | None = None, limit: int = 10_000) -> list[ConflictRow]:
    """Conflicts with each record's current value, read per table through primary keys (bounded)."""
    sql = f"SELECT {_CONFLICT_COLUMNS} FROM sync_conflicts"
    where, params = [], []
    if not include_resolved:
        where.append("resolved = ''")
    if ids is not None:
        where.append(f"id IN ({marks(ids)})")
        params.extend(ids)
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = conn.execute(sql + " ORDER BY id LIMIT ?", [*params, limit]).fetchall()
    wanted: dict[str, dict[str, set[str]]] = {}
    for _cid, table, row_id, name, *_rest in rows:
        if table in SYNCED_FIELDS and name in SYNCED_FIELDS[table]:
            wanted.setdefault(table, {}).setdefault(name, set()).add(row_id)
    current: dict[tuple[str, str, str], Any] = {}
    family: dict[tuple[str, str], str | None] = {}
    for table, by_field in wanted.items():
        names = sorted(by_field)
        row_ids = set().union(*by_field.values())
        for chunk in chunks(sorted(row_ids)):
            for values in conn.execute(f"SELECT id, {', '.join(names)} FROM {table} WHERE id IN ({marks(chunk)})", chunk):
                for name, value in zip(names, values[1:], strict=True):
                    current[(table, values[0], name)] = value
        family.update(((table, rid), fam) for rid, (fam, _person) in bindings_of(conn, table, row_ids).items())
    return [ConflictRow(cid, table, row_id, name, current.get((table, row_id, name)),
                        json.loads(lost) if lost is not None else None, lost_stamp, kept_stamp, detected, resolved,
                        resolution, family.get((table, row_id)))
            for cid, table, row_id, name, lost, lost_stamp, kept_stamp, detected, resolved, resolution in rows]


def mark_resolved(conn, conflict_id: int, at: str, resolution: str) -> None:
    conn.execute("UPDATE sync_conflicts SET resolved = ?, resolution = ? WHERE id = ?", (at, resolution, conflict_id))


def forget_conflicts(conn, table: str, row_ids: Iterable[str]) -> None:
    """Values kept for review are personal data too: gone with the record's erasure."""
    for chunk in chunks(sorted(set(row_ids))):
        conn.execute(f"DELETE FROM sync_conflicts WHERE tbl = ? AND row_id IN ({marks(chunk)})", [table, *chunk])


# ---------------------------------------------------------------- peers and the ledger

PEER_COLUMNS = ("node_id", "name", "organisation", "role", "signing_key", "encryption_key", "fingerprint", "trusted_at",
                "seq_out", "acked_by_peer", "acked_from_peer", "last_seq_in", "last_export_at", "last_export_file",
                "last_import_at", "last_import_file", "last_receipt_at", "revoked_at", "revoked_reason")


def peers(conn) -> list[tuple]:
    return conn.execute(f"SELECT {', '.join(PEER_COLUMNS)} FROM sync_peers ORDER BY role, name, node_id").fetchall()


def peer(conn, node_id: str) -> tuple | None:
    return conn.execute(f"SELECT {', '.join(PEER_COLUMNS)} FROM sync_peers WHERE node_id = ?", (node_id,)).fetchone()


def add_peer(conn, card, at: str) -> None:
    conn.execute(
        "INSERT INTO sync_peers(node_id, name, organisation, role, signing_key, encryption_key, fingerprint, trusted_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(node_id) DO UPDATE SET name = excluded.name,"
        " organisation = excluded.organisation",
        (card.node_id, card.name, card.organisation, card.role, card.signing_key, card.encryption_key,
         card.fingerprint, at))


def revoke_peer(conn, node_id: str, at: str, reason: str) -> None:
    conn.execute("UPDATE sync_peers SET revoked_at = ?, revoked_reason = ? WHERE node_id = ? AND revoked_at = ''",
                 (at, reason, node_id))


def seqs_in(conn, node_id: str) -> list[int]:
    return sorted({r[0] for r in conn.execute(
        "SELECT seq FROM sync_files WHERE direction = 'in' AND peer = ?", (node_id,))})


def known_file(conn, digest: str) -> tuple[str, int] | None:
    return conn.execute("SELECT peer, seq FROM sync_files WHERE sha256 = ? AND direction = 'in'", (digest,)).fetchone()


def book_export(conn, digest: str, header, file_name: str, manifest: dict) -> None:
    conn.execute("UPDATE sync_peers SET seq_out = ?, last_export_at = ?, last_export_file = ? WHERE node_id = ?",
                 (header.seq, header.created, file_name, header.recipient))
    conn.execute("INSERT OR IGNORE INTO sync_files(sha256, direction, peer, seq, clock_from, clock_to, at, file_name, report)"
                 " VALUES (?, 'out', ?, ?, ?, ?, ?, ?, ?)",
                 (digest, header.recipient, header.seq, header.clock_from, header.clock_to, header.created, file_name,
                  json.dumps(manifest)))


def book_import(conn, digest: str, header, file_name: str, at: str, receipt_acked: str, report: dict,
                origin_families: list[str] | None) -> None:
    conn.execute("INSERT INTO sync_files(sha256, direction, peer, seq, clock_from, clock_to, at, file_name, report)"
                 " VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?)",
                 (digest, header.sender, header.seq, header.clock_from, header.clock_to, at, file_name,
                  json.dumps(report)))
    conn.execute(
        "UPDATE sync_peers SET acked_from_peer = max(acked_from_peer, ?), acked_by_peer = max(acked_by_peer, ?),"
        " last_seq_in = max(last_seq_in, ?), last_import_at = ?, last_import_file = ?,"
        " last_receipt_at = CASE WHEN ? != '' THEN ? ELSE last_receipt_at END WHERE node_id = ?",
        (header.clock_to, receipt_acked, header.seq, at, file_name, receipt_acked, at, header.sender))
    if origin_families:
        conn.executemany("INSERT OR IGNORE INTO sync_origin(family_id, node_id) VALUES (?, ?)",
                         [(fid, header.sender) for fid in origin_families])


def rewind_peer(conn, node_id: str, receipt: str, new_stamp) -> int:
    """A navigator's receipt went backwards (it was restored from an old backup): the office starts again there.

    ``acked_by_peer`` moves back to the receipt, so the next package carries everything
    newer than what the restored laptop holds.  The navigator's own tombstones (its
    erasures and deletions) newer than the receipt are stamped anew by the office
    (``new_stamp()``, one stamp each), because an office package never carries the
    recipient's own stamps (services/sync_trust.py) and the restored laptop no longer
    has them.  Returns how many tombstones travel again.
    """
    conn.execute("UPDATE sync_peers SET acked_by_peer = ? WHERE node_id = ?", (receipt, node_id))
    own = [(t, r) for t, r, stamp in conn.execute(
        "SELECT tbl, row_id, stamp FROM tombstones WHERE stamp > ? ORDER BY tbl, row_id", (receipt,))
        if node_of(stamp) == node_id]
    conn.executemany("UPDATE tombstones SET stamp = ? WHERE tbl = ? AND row_id = ?",
                     [(new_stamp(), t, r) for t, r in own])
    return len(own)


def ledger(conn, limit: int = 200) -> list[tuple]:
    return conn.execute("SELECT direction, peer, seq, at, file_name, report FROM sync_files"
                        " ORDER BY at DESC, seq DESC LIMIT ?", (limit,)).fetchall()


# ---------------------------------------------------------------- what an export reads

def person_rows(conn) -> list[tuple[str, str, str, bool]]:
    """(id, family, role, deleted) of every person (the consent scope needs all of them)."""
    return [(r[0], r[1], r[2], bool(r[3])) for r in conn.execute(
        "SELECT id, family_id, role, deleted IS NOT NULL FROM persons")]


def consent_entries_of_purpose(conn, purpose: str) -> list[tuple[str, int, str, str]]:
    """(person, granted, at, stamp) of every consent entry for ``purpose``."""
    return conn.execute("SELECT person_id, granted, at, stamp FROM consents WHERE purpose = ?", (purpose,)).fetchall()


def erased_records(conn) -> set[tuple[str, str]]:
    return {(t, r) for t, r in conn.execute("SELECT tbl, row_id FROM tombstones WHERE kind = 'erase'")}


def created_nodes_of_all(conn, tables) -> dict[tuple[str, str], str]:
    """(table, id) -> creating node, for every record of ``tables`` (unbound records' scope)."""
    return {(table, r[0]): node_of(r[1]) for table in tables for r in conn.execute(f"SELECT id, created FROM {table}")}


def changes_after(conn, stamp: str, also: list[tuple[str, str]] = ()):
    """Change-log rows (table, id, field, stamp, JSON value) after ``stamp`` (index on stamp), plus every
    change of the records in ``also`` (through the primary key), ordered by record, field and stamp."""
    sql = "SELECT tbl, row_id, field, stamp, value FROM changes WHERE stamp > ?"
    if also:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_full (tbl TEXT, row_id TEXT, PRIMARY KEY (tbl, row_id))"
                     " WITHOUT ROWID")
        conn.execute("DELETE FROM temp.sync_full")
        conn.executemany("INSERT OR IGNORE INTO temp.sync_full VALUES (?, ?)", also)
        sql += (" UNION SELECT c.tbl, c.row_id, c.field, c.stamp, c.value FROM temp.sync_full x"
                " JOIN main.changes c ON c.tbl = x.tbl AND c.row_id = x.row_id")
    return conn.execute(sql + " ORDER BY 1, 2, 3, 4", (stamp,))


def tombstone_rows(conn) -> Iterator[tuple[str, str, str, str]]:
    """Every tombstone, ordered by record, one at a time from the cursor (exports stream them)."""
    return conn.execute("SELECT tbl, row_id, stamp, kind FROM tombstones ORDER BY tbl, row_id")


def consent_rows(conn, columns) -> Iterator[tuple]:
    """Every consent entry, ordered by stamp and id, one at a time from the cursor."""
    return conn.execute(f"SELECT {', '.join(columns)} FROM consents ORDER BY stamp, id")


def live_ids(conn, table: str) -> set[str]:
    return {r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE deleted IS NULL")}


def installed_catalog_documents(conn) -> list[tuple[str, str, str]]:
    """(catalogue id, version, JSON document) of every installed KAoA catalogue."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'catalogs'").fetchone():
        return []
    return conn.execute("SELECT catalog_id, version, document FROM catalogs ORDER BY catalog_id, version").fetchall()


# ---------------------------------------------------------------- a family handed away from this laptop

def purge_families(conn, family_ids: Iterable[str]) -> int:
    """Remove every row of the given families from this store (a navigator's copy after a handover).

    Not an erasure: the family lives on at the office and with its new owner, so nothing is
    stamped, nothing travels and no tombstone is kept.  The records, their change log, kept
    conflict values, consent entries and search rows go; the caller marks the transaction as
    erasing (``Writer.mark_erased``) so that no byte of them stays in the file.  Returns the
    number of records removed.
    """
    ids = sorted(set(family_ids))
    if not ids:
        return 0
    rows: list[tuple[str, str]] = []
    persons: list[str] = []
    for table in SYNCED_FIELDS:
        source, family, person = binding_parts(conn, table)
        for chunk in chunks(ids):
            found = conn.execute(f"SELECT t.id FROM {source} WHERE {family} IN ({marks(chunk)})", chunk).fetchall()
            rows.extend((table, r[0]) for r in found)
            if table == "persons":
                persons.extend(r[0] for r in found)
    for table in SYNCED_FIELDS:
        row_ids = [r for t, r in rows if t == table]
        for chunk in chunks(row_ids):
            conn.execute(f"DELETE FROM changes WHERE tbl = ? AND row_id IN ({marks(chunk)})", [table, *chunk])
            conn.execute(f"DELETE FROM sync_conflicts WHERE tbl = ? AND row_id IN ({marks(chunk)})", [table, *chunk])
            conn.execute(f"DELETE FROM tombstones WHERE tbl = ? AND row_id IN ({marks(chunk)})", [table, *chunk])
            conn.execute(f"DELETE FROM {table} WHERE id IN ({marks(chunk)})", chunk)
    for chunk in chunks(persons):
        conn.execute(f"DELETE FROM consents WHERE person_id IN ({marks(chunk)})", chunk)
    for chunk in chunks(ids):
        docs = [r[0] for r in conn.execute(f"SELECT rowid FROM search_docs WHERE family_id IN ({marks(chunk)})", chunk)]
        conn.executemany("DELETE FROM person_search WHERE rowid = ?", [(r,) for r in docs])
        conn.execute(f"DELETE FROM search_docs WHERE family_id IN ({marks(chunk)})", chunk)
        conn.execute(f"DELETE FROM retention_decisions WHERE family_id IN ({marks(chunk)})", chunk)
    return len(rows)


#: What stays of an absorbed family on the laptop of the navigator it was taken from: the pointer.
POINTER_FIELDS = ("owner", "merged_into")


def purge_to_pointers(conn, family_ids: Iterable[str]) -> int:
    """Remove every row of the given absorbed families but keep each family as a bare pointer.

    A family merged into another navigator's survivor leaves this laptop like a handed-away
    one (``purge_families``: its persons, channels, consent entries, ticks, change log and search
    rows), except for the family record itself with only its id, ``created`` stamp, owner and
    ``merged_into`` (and their change log, the office's stamps): the absorbed id still leads
    somewhere, and an undo (the family handed back) updates the pointer instead of meeting a
    stranger.  The caller marks the transaction as erasing.  Returns the number of records removed.
    """
    ids = sorted(set(family_ids))
    kept_rows: list[tuple] = []
    kept_changes: list[tuple] = []
    for chunk in chunks(ids):
        kept_rows.extend(conn.execute(f"SELECT id, created, updated, owner, merged_into FROM families"
                                      f" WHERE id IN ({marks(chunk)}) AND merged_into != ''", chunk))
        kept_changes.extend(conn.execute(
            f"SELECT stamp, tbl, row_id, field, value FROM changes WHERE tbl = 'families'"
            f" AND field IN ({marks(POINTER_FIELDS)}) AND row_id IN ({marks(chunk)})", [*POINTER_FIELDS, *chunk]))
    removed = purge_families(conn, ids)
    conn.executemany("INSERT INTO families(id, notes, created, updated, owner, merged_into) VALUES (?, '', ?, ?, ?, ?)",
                     kept_rows)
    kept = {r[0] for r in kept_rows}
    conn.executemany("INSERT INTO changes(stamp, tbl, row_id, field, value) VALUES (?, ?, ?, ?, ?)",
                     [c for c in kept_changes if c[2] in kept])
    return removed - len(kept_rows)
