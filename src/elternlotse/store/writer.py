"""The one write path: every change, its per-field change log and the audit log.

A ``Writer`` exists only inside ``Store.write(...)``, i.e. inside one
transaction.  Services never execute INSERT/UPDATE on synced tables themselves.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

from elternlotse.domain.consent import ConsentEntry
from elternlotse.domain.errors import NotFoundError
from elternlotse.domain.text import N_
from elternlotse.store.tables import PERSONAL_FIELDS, SYNCED_FIELDS


log = logging.getLogger(__name__)


def new_id() -> str:
    return str(uuid.uuid4())


def blank_value(name: str) -> str:
    """The value an erased personal field gets."""
    return "[]" if name == "languages" else ""


def erase_personal_data(conn, table: str, row_ids: list[str]) -> None:
    """The one erase rule, used by the write path (``Writer.erase``) and the sync merge.

    Personal fields (``PERSONAL_FIELDS``) are blanked in the record, their old values are
    removed from the change log (it would otherwise keep old names and numbers), and
    values kept for review in ``sync_conflicts`` are dropped (they are personal data too).
    The tombstone is the caller's: a local erasure stamps a new one, the merge keeps the remote one.
    """
    personal = PERSONAL_FIELDS.get(table, ())
    for start in range(0, len(row_ids), 500):
        chunk = row_ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        if personal:
            blanks = ", ".join(f"{f} = ?" for f in personal)
            conn.execute(f"UPDATE {table} SET {blanks} WHERE id IN ({marks})", [blank_value(f) for f in personal] + chunk)
            conn.execute(f"DELETE FROM changes WHERE tbl = ? AND row_id IN ({marks})"
                         f" AND field IN ({', '.join('?' * len(personal))})", [table, *chunk, *personal])
        conn.execute(f"DELETE FROM sync_conflicts WHERE tbl = ? AND row_id IN ({marks})", [table, *chunk])


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Writer:
    def __init__(self, store, actor: str) -> None:
        self.store = store
        self.conn = store.conn
        self.actor = actor
        self.stamp = store.clock.now()  # one stamp per action; fields of one action share it
        self._started = time.monotonic()
        self._pending: dict[str, list[list]] | None = None  # bulk mode: inserts batched per statement
        self._search_rowid: int | None = None
        self.erased = False  # personal data erased: Store.write scrubs the file after the commit

    @contextmanager
    def bulk(self) -> Iterator["Writer"]:
        """Batch inserts into executemany calls (demo data, imports).

        Inside the block, rows inserted by this writer are not visible to
        queries until the block ends; use it only for insert-only work.
        """
        self._pending = {}
        try:
            yield self
            self.flush()
        finally:
            self._pending = None

    def flush(self) -> None:
        if self._pending:
            for sql, rows in self._pending.items():
                self.conn.executemany(sql, rows)
            self._pending.clear()

    def _execute(self, sql: str, params) -> None:
        if self._pending is not None:
            self._pending.setdefault(sql, []).append(params)
        else:
            self.conn.execute(sql, params)

    def _log(self, table: str, row_id: str, values: dict[str, Any], stamp: str) -> None:
        sql = "INSERT OR REPLACE INTO changes(stamp, tbl, row_id, field, value) VALUES (?, ?, ?, ?, ?)"
        rows = [(stamp, table, row_id, field, _encode(value)) for field, value in values.items()]
        if self._pending is not None:
            self._pending.setdefault(sql, []).extend(rows)
        else:
            self.conn.executemany(sql, rows)

    def insert(self, table: str, values: dict[str, Any]) -> str:
        fields = SYNCED_FIELDS[table]
        unknown = set(values) - set(fields) - {"id"}
        if unknown:
            raise KeyError(f"{table} has no synced field {sorted(unknown)}")
        row_id = values.get("id") or new_id()
        row = {f: values[f] for f in fields if f in values}
        columns = ["id", "created", "updated", *row]
        self._execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row_id, self.stamp, self.stamp, *row.values()],
        )
        self._log(table, row_id, row, self.stamp)
        return row_id

    def update(self, table: str, row_id: str, values: dict[str, Any]) -> list[str]:
        """Write only the fields that really change; return their names."""
        self.flush()
        fields = SYNCED_FIELDS[table]
        current = self.conn.execute(
            f"SELECT {', '.join(fields)} FROM {table} WHERE id = ? AND deleted IS NULL", (row_id,)
        ).fetchone()
        if current is None:
            raise NotFoundError(N_("No record with the id {id}."), id=row_id)
        before = dict(zip(fields, current, strict=True))
        changed = {f: v for f, v in values.items() if f in fields and before[f] != v}
        if not changed:
            return []
        sets = ", ".join(f"{f} = ?" for f in changed)
        self.conn.execute(f"UPDATE {table} SET {sets}, updated = ? WHERE id = ?", [*changed.values(), self.stamp, row_id])
        self._log(table, row_id, changed, self.stamp)
        return list(changed)

    def delete(self, table: str, row_id: str, kind: str = "delete") -> None:
        self.flush()
        self.conn.execute(f"UPDATE {table} SET deleted = ?, updated = ? WHERE id = ?", (self.stamp, self.stamp, row_id))
        self.conn.execute(
            "INSERT OR REPLACE INTO tombstones(tbl, row_id, stamp, kind) VALUES (?, ?, ?, ?)",
            (table, row_id, self.stamp, kind),
        )

    def erase(self, table: str, row_id: str) -> None:
        """Remove personal data of a row everywhere in this store; keep a tombstone (``erase_personal_data``)."""
        erase_personal_data(self.conn, table, [row_id])
        self.delete(table, row_id, kind="erase")
        self.mark_erased()

    def mark_erased(self) -> None:
        """This action erased personal data (also one merged from a peer).

        A flag in ``meta`` commits with the erasure; ``Store.write`` then makes the erasure
        reach every byte and clears it, or the next open finishes the job.
        """
        if not self.erased:
            self.erased = True
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('scrub_pending', '1')")

    def append_consent(self, entry: ConsentEntry) -> str:
        entry_id = entry.id or new_id()
        self._execute(
            "INSERT INTO consents(id, person_id, purpose, channel, granted, at, recorded_by, evidence,"
            " text_version, text_language, stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry_id, entry.person_id, entry.purpose.value, entry.channel.value if entry.channel else "",
             int(entry.granted), entry.at, entry.recorded_by, entry.evidence.value, entry.text_version,
             entry.text_language, entry.stamp or self.stamp),
        )
        return entry_id

    def audit(self, action: str, target: str = "", details: str = "") -> None:
        # The log gets the action and its target (ids, counts, catalogue versions), never the actor's
        # name or the details; the last entry of a ``Store.write`` is its action, written just before COMMIT.
        log.info("write %s%s (%d ms into the transaction)", action, f"={target}" if target else "",
                 (time.monotonic() - self._started) * 1000)
        self.conn.execute(
            "INSERT INTO audit(at, stamp, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)",
            (datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), self.stamp, self.actor, action, target, details),
        )

    def replace_search_rows(self, family_id: str, rows: Iterable[tuple[str, str, str]]) -> None:
        """Re-index one family: rows of (person_id, folded text, skeleton text)."""
        if self._pending is None:
            old = [r[0] for r in self.conn.execute("SELECT rowid FROM search_docs WHERE family_id = ?", (family_id,))]
            if old:
                self.conn.executemany("DELETE FROM person_search WHERE rowid = ?", [(r,) for r in old])
                self.conn.execute("DELETE FROM search_docs WHERE family_id = ?", (family_id,))
        for person_id, folded, skel in rows:
            rowid = self._next_search_rowid()
            self._execute("INSERT INTO search_docs(rowid, person_id, family_id) VALUES (?, ?, ?)", (rowid, person_id, family_id))
            self._execute("INSERT INTO person_search(rowid, folded, skeleton) VALUES (?, ?, ?)", (rowid, folded, skel))

    def replace_search_rows_of(self, rows_by_family: dict[str, list[tuple[str, str, str]]]) -> None:
        """Re-index many families at once: ``replace_search_rows`` for each, in a few statements."""
        self.flush()
        family_ids = sorted(rows_by_family)
        for start in range(0, len(family_ids), 500):
            chunk = family_ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            old = self.conn.execute(f"SELECT rowid FROM search_docs WHERE family_id IN ({marks})", chunk).fetchall()
            if old:
                self.conn.executemany("DELETE FROM person_search WHERE rowid = ?", old)
                self.conn.execute(f"DELETE FROM search_docs WHERE family_id IN ({marks})", chunk)
        docs, texts = [], []
        for family_id in family_ids:
            for person_id, folded, skel in rows_by_family[family_id]:
                rowid = self._next_search_rowid()
                docs.append((rowid, person_id, family_id))
                texts.append((rowid, folded, skel))
        self.conn.executemany("INSERT INTO search_docs(rowid, person_id, family_id) VALUES (?, ?, ?)", docs)
        self.conn.executemany("INSERT INTO person_search(rowid, folded, skeleton) VALUES (?, ?, ?)", texts)

    def _next_search_rowid(self) -> int:
        if self._search_rowid is None:
            self._search_rowid = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM search_docs").fetchone()[0]
        self._search_rowid += 1
        return self._search_rowid
