"""Applying a verified sync payload to the store, inside the caller's one transaction.

Rules (docs/sync-format.md, "Merge"):

* per field, the change with the highest hybrid-clock stamp wins (last writer wins);
  every change is kept in the change log, so order of arrival does not matter;
* tombstones: an erasure beats a deletion, then the higher stamp wins; a deleted
  row stays deleted, an erased row keeps no personal data (also not in the change
  log) and never takes personal values again; rows of an erased family are erased too;
* consent entries are merged as a union (the table is append-only);
* when the sender changed a field without having seen our value, the losing
  value is kept in ``sync_conflicts`` for review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from elternlotse.store.tables import PERSONAL_FIELDS, SYNCED_FIELDS
from elternlotse.sync.payload import CONSENT_COLUMNS, Payload


def node_of(stamp: str) -> str:
    return stamp.rsplit("-", 1)[-1]


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode(value: Any) -> str:
    """The change log's JSON text of a value (as ``Writer`` writes it)."""
    return _ENCODER.encode(value)


def blank(table: str, name: str) -> str:
    """The value an erased personal field gets (as ``Writer.erase`` does)."""
    return "[]" if name == "languages" else ""


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
    return {r[0]: (r[1], r[2]) for r in conn.execute(bindings_sql(conn, table))}


# ---------------------------------------------------------------- counts

@dataclass
class MergeCounts:
    new: int = 0
    updated: int = 0
    conflicts: int = 0
    erasures: int = 0
    deletions: int = 0
    consents: int = 0
    withdrawals: int = 0     # new withdrawals of the consent to pass data to the office (persons)
    changes: int = 0
    families: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "conflicts": self.conflicts, "erasures": self.erasures,
                "deletions": self.deletions, "consents": self.consents, "withdrawals": self.withdrawals,
                "changes": self.changes}


def _rank(kind: str, stamp: str) -> tuple[bool, str]:
    return (kind == "erase", stamp)


def apply_payload(conn, payload: Payload, own_node: str, now: str) -> MergeCounts:
    counts = MergeCounts()
    touched: set[tuple[str, str]] = set()

    # 1. tombstones: erase beats delete, then the higher stamp
    for table, row_id, stamp, kind in payload.tombstones:
        old = conn.execute("SELECT stamp, kind FROM tombstones WHERE tbl = ? AND row_id = ?", (table, row_id)).fetchone()
        if old is not None and _rank(old[1], old[0]) >= _rank(kind, stamp):
            continue
        conn.execute("INSERT OR REPLACE INTO tombstones(tbl, row_id, stamp, kind) VALUES (?, ?, ?, ?)",
                     (table, row_id, stamp, kind))
        if kind == "erase" and (old is None or old[1] != "erase"):
            counts.erasures += 1
        elif kind == "delete" and old is None:
            counts.deletions += 1
        touched.add((table, row_id))

    # 2. consent entries: union by id
    withdrawn = [c for c in payload.consents if c[2] == "office" and c[4] == 0]
    if withdrawn:
        ids = [c[0] for c in withdrawn]
        known = {r[0] for r in conn.execute(f"SELECT id FROM consents WHERE id IN ({', '.join('?' * len(ids))})", ids)}
        counts.withdrawals = len({c[1] for c in withdrawn if c[0] not in known})
    before = conn.total_changes
    conn.executemany(
        f"INSERT OR IGNORE INTO consents({', '.join(CONSENT_COLUMNS)}) VALUES ({', '.join('?' * len(CONSENT_COLUMNS))})",
        payload.consents)
    counts.consents = conn.total_changes - before

    # 3. field changes
    erased = {(t, r) for t, r in conn.execute("SELECT tbl, row_id FROM tombstones WHERE kind = 'erase'")}
    incoming = []
    plain: dict[tuple[str, str, str, str], Any] = {}   # the decoded values, so winners need no json.loads
    for table, row_id, changes in payload.rows:
        personal = PERSONAL_FIELDS.get(table, ()) if (table, row_id) in erased else ()
        for name, stamp, value in changes:
            if name not in personal:
                incoming.append((table, row_id, name, stamp, encode(value)))
                plain[(table, row_id, name, stamp)] = value
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_in (tbl TEXT, row_id TEXT, field TEXT, stamp TEXT, value TEXT,"
                 " PRIMARY KEY (tbl, row_id, field, stamp)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.sync_in")
    conn.executemany("INSERT OR IGNORE INTO temp.sync_in VALUES (?, ?, ?, ?, ?)", incoming)
    conn.execute("DELETE FROM temp.sync_in WHERE EXISTS (SELECT 1 FROM main.changes c WHERE c.tbl = sync_in.tbl"
                 " AND c.row_id = sync_in.row_id AND c.field = sync_in.field AND c.stamp = sync_in.stamp)")
    local = {(r[0], r[1], r[2]): (r[3], r[4]) for r in conn.execute(
        "SELECT c.tbl, c.row_id, c.field, max(c.stamp), c.value FROM main.changes c"
        " WHERE (c.tbl, c.row_id, c.field) IN (SELECT tbl, row_id, field FROM temp.sync_in) GROUP BY 1, 2, 3")}
    best: dict[tuple[str, str, str], tuple[str, str]] = {}
    for table, row_id, name, stamp, value in conn.execute("SELECT tbl, row_id, field, stamp, value FROM temp.sync_in"):
        key = (table, row_id, name)
        if key not in best or stamp > best[key][0]:
            best[key] = (stamp, value)
    counts.changes = len(best)
    seen_by_sender = payload.receipt_acked
    winners: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    conflicts = []
    for key, (stamp, value) in best.items():
        mine = local.get(key)
        if mine is not None:
            unseen = node_of(mine[0]) != node_of(stamp) and (node_of(mine[0]) != own_node or mine[0] > seen_by_sender)
            if stamp > mine[0]:
                if unseen and mine[1] != value:
                    conflicts.append((*key, mine[1], mine[0], stamp, now))
            else:
                if unseen and mine[1] != value:
                    conflicts.append((*key, value, stamp, mine[0], now))
                continue
        winners.setdefault(key[:2], {})[key[2]] = (stamp, value)
    conn.execute("INSERT INTO main.changes(stamp, tbl, row_id, field, value)"
                 " SELECT stamp, tbl, row_id, field, value FROM temp.sync_in")
    conn.execute("DELETE FROM temp.sync_in")
    before = conn.total_changes
    conn.executemany("INSERT OR IGNORE INTO sync_conflicts(tbl, row_id, field, lost_value, lost_stamp, kept_stamp, detected)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", conflicts)
    counts.conflicts = conn.total_changes - before
    _write_rows(conn, winners, counts, plain)
    touched.update(winners)

    # 4. tombstones win: enforce on every touched row, cascade erasures of families
    _enforce(conn, touched, counts)
    return counts


def _write_rows(conn, winners: dict[tuple[str, str], dict[str, tuple[str, str]]], counts: MergeCounts,
                plain: dict[tuple[str, str, str, str], Any]) -> None:
    by_table: dict[str, list[tuple[str, dict[str, tuple[str, str]]]]] = {}
    for (table, row_id), values in winners.items():
        by_table.setdefault(table, []).append((row_id, values))
    for table, rows in by_table.items():
        ids = [r for r, _ in rows]
        existing: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            existing.update(r[0] for r in conn.execute(
                f"SELECT id FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
        groups: dict[tuple[bool, tuple[str, ...]], list[list[Any]]] = {}
        for row_id, values in rows:
            names = tuple(sorted(values))
            stamps = [values[n][0] for n in names]
            decoded = [plain[(table, row_id, n, values[n][0])] for n in names]
            if row_id in existing:
                groups.setdefault((True, names), []).append([*decoded, max(stamps), min(stamps), row_id])
                counts.updated += 1
            else:
                groups.setdefault((False, names), []).append([row_id, min(stamps), max(stamps), *decoded])
                counts.new += 1
        partial = []
        for (update, names), params in groups.items():
            if update:
                sets = ", ".join(f"{n} = ?" for n in names)
                conn.executemany(f"UPDATE {table} SET {sets}, updated = max(updated, ?), created = min(created, ?)"
                                 " WHERE id = ?", params)
            elif set(names) >= set(SYNCED_FIELDS[table]):
                columns = ["id", "created", "updated", *names]
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                 params)
            else:
                partial.extend(p[0] for p in params)
        for row_id in partial:
            counts.new -= 1
            if _materialise(conn, table, row_id):
                counts.new += 1


def _materialise(conn, table: str, row_id: str) -> bool:
    """Create a record the payload knows only some fields of, from the winners in the change log.

    A record becomes visible once every column it needs is known; until then its
    changes wait in the change log (nothing is lost, and the order of files does not matter).
    """
    values, stamps = {}, []
    for name, stamp, value in conn.execute(
            "SELECT field, max(stamp), value FROM changes WHERE tbl = ? AND row_id = ? GROUP BY field", (table, row_id)):
        if name in SYNCED_FIELDS[table]:
            values[name] = json.loads(value) if value is not None else None
            stamps.append(stamp)
    columns = ["id", "created", "updated", *values]
    conn.execute("SAVEPOINT sync_row")
    try:
        conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                     [row_id, min(stamps), max(stamps), *values.values()])
    except conn.IntegrityError:  # a required column is still unknown
        conn.execute("ROLLBACK TO sync_row")
        conn.execute("RELEASE sync_row")
        return False
    conn.execute("RELEASE sync_row")
    return True


def _enforce(conn, touched: Iterable[tuple[str, str]], counts: MergeCounts) -> None:
    touched = set(touched)
    by_table: dict[str, list[str]] = {}
    for table, row_id in touched:
        by_table.setdefault(table, []).append(row_id)
    # families of touched rows (for the search index and for cascades)
    families: set[str] = set()
    for table, ids in by_table.items():
        sql = bindings_sql(conn, table)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            families.update(r[1] for r in conn.execute(
                f"{sql} WHERE t.id IN ({', '.join('?' * len(chunk))})", chunk) if r[1])
    counts.families.update(families)
    erased_families = {}
    for _start, fids in _chunks(sorted(families)):
        for row_id, stamp in conn.execute(
                f"SELECT row_id, stamp FROM tombstones WHERE tbl = 'families' AND kind = 'erase'"
                f" AND row_id IN ({', '.join('?' * len(fids))})", fids):
            erased_families[row_id] = stamp
    if erased_families:
        for table in SYNCED_FIELDS:
            source, family, person = binding_parts(conn, table)
            for _, fids in _chunks(sorted(erased_families)):
                marks = ", ".join("?" * len(fids))
                for row_id, family_id in conn.execute(
                        f"SELECT t.id, {family} FROM {source} WHERE {family} IN ({marks})", fids).fetchall():
                    stamp = erased_families[family_id]
                    old = conn.execute("SELECT stamp, kind FROM tombstones WHERE tbl = ? AND row_id = ?",
                                       (table, row_id)).fetchone()
                    if old is None or _rank(old[1], old[0]) < _rank("erase", stamp):
                        conn.execute("INSERT OR REPLACE INTO tombstones(tbl, row_id, stamp, kind) VALUES (?, ?, ?, 'erase')",
                                     (table, row_id, stamp))
                    touched.add((table, row_id))
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_touched (tbl TEXT, row_id TEXT, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.sync_touched")
    conn.executemany("INSERT OR IGNORE INTO temp.sync_touched VALUES (?, ?)", sorted(touched))
    tombs = conn.execute("SELECT t.tbl, t.row_id, t.stamp, t.kind FROM temp.sync_touched x"
                         " JOIN main.tombstones t ON t.tbl = x.tbl AND t.row_id = x.row_id").fetchall()
    conn.execute("DELETE FROM temp.sync_touched")
    for table, row_id, stamp, kind in tombs:
        conn.execute(f"UPDATE {table} SET deleted = ? WHERE id = ? AND deleted IS NOT ?", (stamp, row_id, stamp))
        if kind == "erase":
            personal = PERSONAL_FIELDS.get(table, ())
            if personal:
                conn.execute(f"UPDATE {table} SET {', '.join(f'{f} = ?' for f in personal)} WHERE id = ?",
                             [blank(table, f) for f in personal] + [row_id])
                conn.execute(f"DELETE FROM changes WHERE tbl = ? AND row_id = ? AND field IN ({', '.join('?' * len(personal))})",
                             [table, row_id, *personal])
            if table == "families":
                conn.execute("UPDATE families SET erased = ? WHERE id = ? AND erased IS NOT ?", (stamp, row_id, stamp))
            # values kept for review are personal data too
            conn.execute("DELETE FROM sync_conflicts WHERE tbl = ? AND row_id = ?", (table, row_id))


def _chunks(items: list[str], size: int = 500):
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


def forget_conflicts_of_erased_family(writer, family_id: str, person_ids: list[str]) -> None:
    """Eraser (``app.erasers()``): drop review values of an erased family's records.

    Works whichever erasure hooks ran before: rows already erased are found by their
    tombstone, the others by their link to the family or its persons.
    """
    conn = writer.conn
    if not conn.execute("SELECT 1 FROM sync_conflicts LIMIT 1").fetchone():
        return
    conn.execute("DELETE FROM sync_conflicts WHERE EXISTS (SELECT 1 FROM tombstones t WHERE t.kind = 'erase'"
                 " AND t.tbl = sync_conflicts.tbl AND t.row_id = sync_conflicts.row_id)")
    persons = set(person_ids)
    for table, row_id in conn.execute("SELECT DISTINCT tbl, row_id FROM sync_conflicts").fetchall():
        if table not in SYNCED_FIELDS:
            continue
        source, family, person = binding_parts(conn, table)
        row = conn.execute(f"SELECT {family}, {person} FROM {source} WHERE t.id = ?", (row_id,)).fetchone()
        if row and (row[0] == family_id or row[1] in persons):
            conn.execute("DELETE FROM sync_conflicts WHERE tbl = ? AND row_id = ?", (table, row_id))
