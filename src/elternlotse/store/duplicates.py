"""The store side of duplicates across navigators: what the blocking reads, merges and their undo, dismissals.

Reads are whole-table scans by design (one pass over guardians, one over phone and e-mail
channels, one over the search index's skeletons): the candidate search needs every family
once, and three plain SELECTs are the cheapest way there (bench/bench_duplicates.py).
Writes go through the caller's ``Writer`` (one transaction per merge, undo or dismissal).
"""

from __future__ import annotations

import json
from typing import Iterator

from elternlotse.store.replication import OWNER_SQL, chunks, marks
from elternlotse.store.tables import SYNCED_FIELDS

_LIVE = "f.deleted IS NULL AND f.merged_into = ''"

#: Synced tables whose rows name their family directly: what a merge re-points.
FAMILY_LINKED = tuple(t for t, fields in SYNCED_FIELDS.items() if "family_id" in fields)


def guardian_skeletons(conn) -> Iterator[tuple[str, str, str]]:
    """(family id, person id, skeleton of the name and its variants) of every live guardian, from the search index."""
    yield from conn.execute(
        "SELECT d.family_id, d.person_id, s.skeleton FROM search_docs d"
        " JOIN person_search s ON s.rowid = d.rowid"
        " JOIN persons p ON p.id = d.person_id AND p.role = 'guardian' AND p.deleted IS NULL"
        f" JOIN families f ON f.id = d.family_id AND {_LIVE}")


def guardian_names(conn) -> Iterator[tuple[str, str, str]]:
    """(family id, person id, name) of every live guardian."""
    yield from conn.execute(
        "SELECT p.family_id, p.id, p.name FROM persons p JOIN families f ON f.id = p.family_id AND " + _LIVE +
        " WHERE p.role = 'guardian' AND p.deleted IS NULL")


def contact_values(conn) -> Iterator[tuple[str, str, str]]:
    """(family id, kind, value) of every live phone number and e-mail address of a live guardian."""
    yield from conn.execute(
        "SELECT p.family_id, c.kind, c.value FROM channels c"
        " JOIN persons p ON p.id = c.person_id AND p.deleted IS NULL"
        f" JOIN families f ON f.id = p.family_id AND {_LIVE}"
        " WHERE c.kind IN ('phone', 'email') AND c.deleted IS NULL AND c.value != ''")


def live_unmerged(conn, family_ids) -> dict[str, str]:
    """Family id -> owner node of the given families that are live and not merged into another."""
    found: dict[str, str] = {}
    for chunk in chunks(sorted(set(family_ids))):
        found.update(conn.execute(f"SELECT f.id, {OWNER_SQL.format(t='f')} FROM families f"
                                  f" WHERE f.id IN ({marks(chunk)}) AND {_LIVE}", chunk))
    return found


def merged_into(conn, family_id: str) -> str | None:
    """The survivor a family was merged into ("" if none), None if there is no such family."""
    row = conn.execute("SELECT merged_into FROM families WHERE id = ?", (family_id,)).fetchone()
    return None if row is None else row[0]


def family_rows(conn, family_id: str) -> list[tuple[str, str]]:
    """(table, id) of the live rows that name ``family_id`` directly (persons, KAoA rows, contacts, ...)."""
    rows = []
    for table in FAMILY_LINKED:
        rows.extend((table, r[0]) for r in conn.execute(
            f"SELECT id FROM {table} WHERE family_id = ? AND deleted IS NULL ORDER BY id", (family_id,)))
    return rows


def still_linked(conn, table: str, row_id: str, family_id: str) -> bool:
    return conn.execute(f"SELECT 1 FROM {table} WHERE id = ? AND family_id = ? AND deleted IS NULL",
                        (row_id, family_id)).fetchone() is not None


# ---------------------------------------------------------------- merges (local bookkeeping of the office)

def record_merge(conn, keep: str, other: str, at: str, actor: str, moved: list[tuple[str, str]]) -> int:
    cur = conn.execute("INSERT INTO family_merges(keep, other, at, actor, moved) VALUES (?, ?, ?, ?, ?)",
                       (keep, other, at, actor, json.dumps(moved)))
    return int(cur.lastrowid)


def merge_row(conn, merge_id: int):
    """(keep, other, at, actor, moved list, undone) or None."""
    row = conn.execute("SELECT keep, other, at, actor, moved, undone FROM family_merges WHERE id = ?",
                       (merge_id,)).fetchone()
    if row is None:
        return None
    return row[0], row[1], row[2], row[3], [tuple(m) for m in json.loads(row[4])], row[5]


def mark_undone(conn, merge_id: int, at: str) -> None:
    conn.execute("UPDATE family_merges SET undone = ? WHERE id = ?", (at, merge_id))


def recent_merges(conn, limit: int = 50) -> list[tuple]:
    """(id, keep, other, at, actor, number of records moved, undone), newest first."""
    return [(r[0], r[1], r[2], r[3], r[4], len(json.loads(r[5])), r[6]) for r in conn.execute(
        "SELECT id, keep, other, at, actor, moved, undone FROM family_merges ORDER BY id DESC LIMIT ?", (limit,))]


# ---------------------------------------------------------------- "not the same family"

def dismiss(conn, first: str, second: str, at: str, actor: str) -> bool:
    """Remember a pair (in either order); False if it was remembered already."""
    a, b = sorted((first, second))
    before = conn.total_changes
    conn.execute("INSERT OR IGNORE INTO duplicate_dismissals(first, second, at, actor) VALUES (?, ?, ?, ?)",
                 (a, b, at, actor))
    return conn.total_changes > before


def dismissed_pairs(conn) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in conn.execute("SELECT first, second FROM duplicate_dismissals")}
