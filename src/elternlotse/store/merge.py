"""Applying a verified, authorised sync payload to the store, inside the caller's one transaction.

The store side of the merge (``services/sync.py`` orchestrates: verify, check origin and
ownership in ``services/sync_trust.py``, then this).  The payload is duck-typed (``MergeInput``):
the store does not import the ``sync`` package.

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
from typing import Any, Callable, Iterable, Protocol

from elternlotse.store.replication import binding_parts, bindings_sql, node_of
from elternlotse.store.tables import CONSENT_COLUMNS, PERSONAL_FIELDS, SYNCED_FIELDS, required_fields
from elternlotse.store.writer import erase_personal_data

__all__ = ["MergeCounts", "MergeInput", "apply_payload", "encode", "node_of"]


class MergeInput(Protocol):
    """What the merge reads of a payload (``sync.payload.Payload`` has it)."""

    sender: str
    rows: list[tuple[str, str, list[tuple[str, str, Any]]]]
    tombstones: list[tuple[str, str, str, str]]
    consents: list[tuple]
    receipt_acked: str


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


_TEXT = json.encoder.encode_basestring     # what _ENCODER does with a str (ensure_ascii=False), without the detour


def encode(value: Any) -> str:
    """The change log's JSON text of a value (as ``Writer`` writes it)."""
    kind = type(value)
    if kind is str:
        return _TEXT(value)
    if kind is int:
        return int.__repr__(value)
    return _ENCODER.encode(value)


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
    # what happened to which record, for the change report per family (services/sync_report.py)
    new_rows: list[tuple[str, str]] = field(default_factory=list)
    updated_rows: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    conflict_rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # table, row, field, kept, other
    erased_rows: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "conflicts": self.conflicts, "erasures": self.erasures,
                "deletions": self.deletions, "consents": self.consents, "withdrawals": self.withdrawals,
                "changes": self.changes}


def _rank(kind: str, stamp: str) -> tuple[bool, str]:
    return (kind == "erase", stamp)


def _unseen(local_stamp: str, sender: str, own_node: str, seen_by_sender: str) -> bool:
    """The sender had not seen our change: it is another node's and not covered by the sender's receipt."""
    node = node_of(local_stamp)
    return node != sender and (node != own_node or local_stamp > seen_by_sender)


def apply_payload(conn, payload: MergeInput, own_node: str, now: str, fresh_stamp: Callable[[], str]) -> MergeCounts:
    """Apply an authorised payload (services/sync_trust.py) inside the caller's transaction.

    ``fresh_stamp`` gives a new local stamp, for the one change the merge itself makes: when a
    record was replaced on both sides (e.g. the same phone number changed here and there), the
    older replacement is deleted and its value kept as a conflict for review.
    """
    counts = MergeCounts()
    touched: set[tuple[str, str]] = set()
    both_deleted: list[tuple[str, str]] = []

    # 1. tombstones: erase beats delete, then the higher stamp
    for table, row_id, stamp, kind in payload.tombstones:
        old = conn.execute("SELECT stamp, kind FROM tombstones WHERE tbl = ? AND row_id = ?", (table, row_id)).fetchone()
        if (old is not None and table == "channels" and old[1] == kind == "delete" and node_of(old[0]) != node_of(stamp)
                and _unseen(old[0], payload.sender, own_node, payload.receipt_acked)):
            both_deleted.append((table, row_id))
        if old is not None and _rank(old[1], old[0]) >= _rank(kind, stamp):
            continue
        conn.execute("INSERT OR REPLACE INTO tombstones(tbl, row_id, stamp, kind) VALUES (?, ?, ?, ?)",
                     (table, row_id, stamp, kind))
        if kind == "erase" and (old is None or old[1] != "erase"):
            counts.erasures += 1
            counts.erased_rows.append((table, row_id))
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
    # (table, row id, field, stamp, decoded value), generated twice from the payload's own objects
    # instead of held in a list: the change-log JSON exists only while its row goes into the temp
    # table (import memory, docs/performance.md)

    def incoming() -> Iterable[tuple[str, str, str, str, Any]]:
        for table, row_id, changes in payload.rows:
            personal = PERSONAL_FIELDS.get(table, ()) if (table, row_id) in erased else ()
            for name, stamp, value in changes:
                if name not in personal:
                    yield table, row_id, name, stamp, value

    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_in (tbl TEXT, row_id TEXT, field TEXT, stamp TEXT, value TEXT,"
                 " PRIMARY KEY (tbl, row_id, field, stamp)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.sync_in")
    conn.executemany("INSERT OR IGNORE INTO temp.sync_in VALUES (?, ?, ?, ?, ?)",
                     ((t, r, n, s, encode(v)) for t, r, n, s, v in incoming()))
    # changes the log holds already (a file sent again before its receipt came back): not new
    known = {tuple(r) for r in conn.execute(
        "SELECT tbl, row_id, field, stamp FROM temp.sync_in s WHERE EXISTS (SELECT 1 FROM main.changes c"
        " WHERE c.tbl = s.tbl AND c.row_id = s.row_id AND c.field = s.field AND c.stamp = s.stamp)")}
    if known:
        conn.execute("DELETE FROM temp.sync_in WHERE EXISTS (SELECT 1 FROM main.changes c WHERE c.tbl = sync_in.tbl"
                     " AND c.row_id = sync_in.row_id AND c.field = sync_in.field AND c.stamp = sync_in.stamp)")
    local = {(r[0], r[1], r[2]): (r[3], r[4]) for r in conn.execute(
        "SELECT c.tbl, c.row_id, c.field, max(c.stamp), c.value FROM main.changes c"
        " WHERE (c.tbl, c.row_id, c.field) IN (SELECT tbl, row_id, field FROM temp.sync_in) GROUP BY 1, 2, 3")}
    best: dict[tuple[str, str, str], tuple[str, str, str, str, Any]] = {}
    for change in incoming():
        if known and change[:4] in known:
            continue
        key = change[:3]
        if key not in best or change[3] > best[key][3]:
            best[key] = change
    counts.changes = len(best)
    seen_by_sender = payload.receipt_acked
    winners: dict[tuple[str, str], dict[str, tuple[str, str, str, str, Any]]] = {}
    conflicts = []
    for key, change in best.items():
        stamp = change[3]
        mine = local.get(key)
        if mine is not None:
            value = encode(change[4])
            unseen = node_of(mine[0]) != node_of(stamp) and (node_of(mine[0]) != own_node or mine[0] > seen_by_sender)
            if stamp > mine[0]:
                if unseen and mine[1] != value:
                    conflicts.append((*key, mine[1], mine[0], stamp, now))
                    counts.conflict_rows.append((*key, value, mine[1]))
            else:
                if unseen and mine[1] != value:
                    conflicts.append((*key, value, stamp, mine[0], now))
                    counts.conflict_rows.append((*key, mine[1], value))
                continue
        winners.setdefault((change[0], change[1]), {})[change[2]] = change
    del best, local
    conn.execute("INSERT INTO main.changes(stamp, tbl, row_id, field, value)"
                 " SELECT stamp, tbl, row_id, field, value FROM temp.sync_in")
    conn.execute("DELETE FROM temp.sync_in")
    before = conn.total_changes
    conn.executemany("INSERT OR IGNORE INTO sync_conflicts(tbl, row_id, field, lost_value, lost_stamp, kept_stamp, detected)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", conflicts)
    counts.conflicts = conn.total_changes - before
    _write_rows(conn, winners, counts)
    touched.update(winners)
    if both_deleted:
        touched.update(_replaced_on_both_sides(conn, payload, own_node, both_deleted, counts, now, fresh_stamp))

    # 4. tombstones win: enforce on every touched row, cascade erasures of families
    _enforce(conn, touched, counts)
    return counts


def _write_rows(conn, winners: dict[tuple[str, str], dict[str, tuple]], counts: MergeCounts) -> None:
    """Write the winning values (``(table, row, field, stamp, value)`` per field) into the records."""
    by_table: dict[str, list[tuple[str, dict[str, tuple]]]] = {}
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
            stamps = [values[n][3] for n in names]
            decoded = [values[n][4] for n in names]
            if row_id in existing:
                groups.setdefault((True, names), []).append([*decoded, max(stamps), min(stamps), row_id])
                counts.updated += 1
                counts.updated_rows[(table, row_id)] = list(names)
            else:
                groups.setdefault((False, names), []).append([row_id, min(stamps), max(stamps), *decoded])
                counts.new += 1
                counts.new_rows.append((table, row_id))
        partial = []
        for (update, names), params in groups.items():
            if update:
                sets = ", ".join(f"{n} = ?" for n in names)
                conn.executemany(f"UPDATE {table} SET {sets}, updated = max(updated, ?), created = min(created, ?)"
                                 " WHERE id = ?", params)
            elif set(names) >= required_fields(table):
                columns = ["id", "created", "updated", *names]
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                 params)
            else:
                partial.extend(p[0] for p in params)
        for row_id in partial:
            counts.new -= 1
            counts.new_rows.remove((table, row_id))
            if _materialise(conn, table, row_id):
                counts.new += 1
                counts.new_rows.append((table, row_id))


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
            erase_personal_data(conn, table, [row_id])      # the one erase rule (store/writer.py)
            if table == "families":
                conn.execute("UPDATE families SET erased = ? WHERE id = ? AND erased IS NOT ?", (stamp, row_id, stamp))


def _chunks(items: list[str], size: int = 500):
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


def _replaced_on_both_sides(conn, payload: MergeInput, own_node: str, both_deleted: list[tuple[str, str]],
                            counts: MergeCounts, now: str, fresh_stamp: Callable[[], str]) -> set[tuple[str, str]]:
    """Both sides replaced the same channel (e.g. the phone number): keep the newer, note the other.

    A phone change deletes the old channel and inserts a new one, so two concurrent changes
    leave two live numbers and no field in common.  When both sides deleted the same channel
    without having seen the other's deletion, and each side added a channel of that kind for
    that person, the newer addition wins; the other is deleted with a local stamp (a change
    that syncs like any edit) and its value kept in ``sync_conflicts`` ("use the other value"
    writes it into the winner).  Both sides choose the same winner (the higher ``created``).
    """
    touched: set[tuple[str, str]] = set()
    incoming_new = {row_id for table, row_id in counts.new_rows if table == "channels"}
    for _table, old_id in both_deleted:
        row = conn.execute("SELECT person_id, kind FROM channels WHERE id = ?", (old_id,)).fetchone()
        if row is None:
            continue
        person, kind = row
        live = conn.execute("SELECT id, value, created FROM channels WHERE person_id = ? AND kind = ? AND deleted IS NULL"
                            " ORDER BY position, id", (person, kind)).fetchall()
        theirs = [r for r in live if r[0] in incoming_new]
        ours = [r for r in live if r[0] not in incoming_new
                and _unseen(r[2], payload.sender, own_node, payload.receipt_acked)]
        for mine, other in zip(ours, theirs):     # noqa: B905 (pairs as far as both sides have one)
            winner, loser = (mine, other) if mine[2] > other[2] else (other, mine)
            stamp = fresh_stamp()
            conn.execute("UPDATE channels SET deleted = ?, updated = ? WHERE id = ?", (stamp, stamp, loser[0]))
            conn.execute("INSERT OR REPLACE INTO tombstones(tbl, row_id, stamp, kind) VALUES ('channels', ?, ?, 'delete')",
                         (loser[0], stamp))
            touched.update({("channels", winner[0]), ("channels", loser[0])})
            if winner[1] == loser[1]:
                continue      # both sides typed the same new number: one channel, nothing to review
            conn.execute("INSERT OR IGNORE INTO sync_conflicts(tbl, row_id, field, lost_value, lost_stamp, kept_stamp,"
                         " detected) VALUES ('channels', ?, 'value', ?, ?, ?, ?)",
                         (winner[0], encode(loser[1]), loser[2], winner[2], now))
            counts.conflicts += 1
            counts.conflict_rows.append(("channels", winner[0], "value", encode(winner[1]), encode(loser[1])))
    return touched
