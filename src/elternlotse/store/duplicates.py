"""The store side of duplicates across navigators: what the blocking reads, merges and their undo, dismissals.

Reads are whole-table scans by design (one pass over guardians, one over phone and e-mail
channels, one over the search index's skeletons): the candidate search needs every family
once, and three plain SELECTs are the cheapest way there (bench/bench_duplicates.py).
Writes go through the caller's ``Writer`` (one transaction per merge, undo or dismissal).
"""

from __future__ import annotations

import json

from elternlotse.store.replication import OWNER_SQL, chunks, marks
from elternlotse.store.tables import SYNCED_FIELDS

_LIVE = "f.deleted IS NULL AND f.merged_into = ''"

#: Synced tables whose rows name their family directly: what a merge re-points.
FAMILY_LINKED = tuple(t for t, fields in SYNCED_FIELDS.items() if "family_id" in fields)


def candidate_source(conn) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]], dict[str, str]]:
    """What the blocking reads, in sequential scans only (no per-row index lookups).

    Returns ``guardians`` (person id -> (family id, name)) of live guardians of live, unmerged
    families; ``contacts`` (person id, kind, value) of their live phone numbers and e-mail
    addresses; ``skeletons`` (person id -> the skeleton column of the search index).  Joined
    in Python: at 60,000 families, the same joins in SQL cost several times more (random
    page reads through the primary keys of a SQLCipher file).
    """
    live = {r[0] for r in conn.execute("SELECT id FROM families WHERE deleted IS NULL AND merged_into = ''")}
    guardians = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT id, family_id, name FROM persons WHERE role = 'guardian' AND deleted IS NULL") if r[1] in live}
    contacts = [r for r in conn.execute(
        # NOT INDEXED: through the (kind, value) index every row costs a random page read of the table
        "SELECT person_id, kind, value FROM channels NOT INDEXED WHERE kind IN ('phone', 'email') AND deleted IS NULL"
        " AND value != ''") if r[0] in guardians]
    docs = {r[0]: r[1] for r in conn.execute("SELECT rowid, person_id FROM search_docs")}
    skeletons = {}
    for rowid, skeleton in conn.execute("SELECT rowid, skeleton FROM person_search"):
        person = docs.get(rowid)
        if person in guardians:
            skeletons[person] = skeleton or ""
    return guardians, contacts, skeletons


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

def record_merge(conn, keep: str, other: str, at: str, actor: str, moved: list[tuple[str, str]],
                 keep_notes: str, other_owner: str = "") -> int:
    """``other_owner``: the absorbed family's owner if it differed from the survivor's ("" otherwise)."""
    cur = conn.execute("INSERT INTO family_merges(keep, other, at, actor, moved, keep_notes, other_owner)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)", (keep, other, at, actor, json.dumps(moved), keep_notes,
                                                         other_owner))
    return int(cur.lastrowid)


def other_owner(conn, merge_id: int) -> str:
    """Whose the absorbed family was before a merge across owners ("" for a merge within one owner)."""
    row = conn.execute("SELECT other_owner FROM family_merges WHERE id = ?", (merge_id,)).fetchone()
    return row[0] if row else ""


def moved_by_merges(conn, others, undone: bool) -> list[tuple[str, str]]:
    """(table, id) every merge across owners moved out of the absorbed families ``others``.

    ``undone`` False: the merges in force (what their survivor's owner must receive in full);
    True: the merges undone (what the survivor's owner must give back).  Bounded: through the
    index on ``other``, in chunks.
    """
    found: list[tuple[str, str]] = []
    state = "IS NOT NULL" if undone else "IS NULL"
    for chunk in chunks(sorted(set(others))):
        for (moved,) in conn.execute(f"SELECT moved FROM family_merges WHERE other IN ({marks(chunk)})"
                                     f" AND other_owner != '' AND undone {state}", chunk):
            found.extend(tuple(m) for m in json.loads(moved))
    return found


def merge_notes(conn, merge_id: int) -> str:
    """The survivor's notes before the merge (the merge appends the absorbed family's notes)."""
    return conn.execute("SELECT keep_notes FROM family_merges WHERE id = ?", (merge_id,)).fetchone()[0]


def notes_of(conn, family_id: str) -> str:
    row = conn.execute("SELECT notes FROM families WHERE id = ?", (family_id,)).fetchone()
    return row[0] if row else ""


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


# ---------------------------------------------------------------- erasure (app.erasers)

def erase_merge_records(writer, family_id: str, person_ids: list[str]) -> None:
    """An erased family leaves no notes in the merge bookkeeping (the merges stay, ids only)."""
    writer.conn.execute("UPDATE family_merges SET keep_notes = '' WHERE keep = ? OR other = ?", (family_id, family_id))
