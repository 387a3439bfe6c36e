"""The family list for large stores: ordered ids first, rows page by page.

The desktop list (100,000 persons and more) never loads every row: it asks for
the *order* (ids with their sort text, computed in SQL) and then for the rows
of the ids it is about to show, with a consent summary per family.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field

from elternlotse.domain.consent import Channel, Purpose, derive
from elternlotse.store import Store
from elternlotse.store import families as repo

#: Sortable columns.  "created"/"updated" are ordered in SQL; for the others one
#: set-based query per column gives every family's sort text (no per-family
#: subquery: those are quadratic at 40,000 families), ordered here case-blind;
#: the UI orders names again with QCollator for its language.
SORT_COLUMNS = ("created", "updated", "guardians", "children", "languages", "phone")
SEARCH_LIMIT = 1000

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FamilyListRow:
    row: repo.FamilyRow
    stores: bool                      # some guardian consents to storing the data
    contact_channels: tuple[Channel, ...] = field(default_factory=tuple)  # channels some guardian consents to

    @property
    def id(self) -> str:
        return self.row.id


class FamilyListService:
    """The list's queries.  The last ``order()`` and ``rows()`` answers are kept until the
    store changes (this connection's ``total_changes``, other connections' commits by
    ``PRAGMA data_version``), so the start-up's warm-up off the GUI thread
    (``warm_up``) answers the GUI's first identical request."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._last_order: tuple[tuple, list[tuple[str, str]]] | None = None
        self._last_rows: tuple[tuple, list[FamilyListRow]] | None = None

    def _version(self) -> tuple[int, int]:
        conn = self.store.conn
        return conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0]

    def order(self, search: str = "", column: str = "created", descending: bool = False) -> list[tuple[str, str]]:
        """``(family id, sort text)`` for every family (or every match of ``search``), in order.

        Without a search the order is by ``column``; with a search, by relevance
        when ``column`` is ``created`` (the default), else by ``column``.
        """
        key = (search, column, descending, self._version())
        if self._last_order is not None and self._last_order[0] == key:
            return list(self._last_order[1])
        pairs = self._order(search, column, descending)
        self._last_order = (key, pairs)
        return list(pairs)

    def _order(self, search: str, column: str, descending: bool) -> list[tuple[str, str]]:
        if column not in SORT_COLUMNS:
            column = "created"
        conn = self.store.conn
        ids: list[str] | None = None
        if search.strip():
            started = time.monotonic()
            ids = repo.search_family_ids(conn, search, limit=SEARCH_LIMIT)
            # The search text is personal (a name, a number): only its length is logged.
            log.info("family search: %d characters, %d matches in %d ms", len(search.strip()), len(ids),
                     (time.monotonic() - started) * 1000)
            if not ids:
                return []
        if column in ("created", "updated"):
            if ids is None:
                direction = "DESC" if descending else "ASC"
                return [(r[0], r[1]) for r in conn.execute(
                    f"SELECT id, {column} FROM families WHERE deleted IS NULL AND merged_into = '' ORDER BY {column} {direction}, id")]
            marks = ",".join("?" * len(ids))
            values = dict(conn.execute(f"SELECT id, {column} FROM families WHERE id IN ({marks}) AND deleted IS NULL"
                                 " AND merged_into = ''", ids))
            pairs = [(fid, values[fid]) for fid in ids if fid in values]
            if column == "created":  # relevance
                return pairs[::-1] if descending else pairs
            return sorted(pairs, key=lambda pair: pair[1], reverse=descending)
        if ids is None:
            ids = [r[0] for r in conn.execute("SELECT id FROM families WHERE deleted IS NULL AND merged_into = ''")]
            texts = self._sort_texts(column, None)
        else:
            texts = self._sort_texts(column, ids)
        pairs = [(fid, texts.get(fid, "")) for fid in ids]
        pairs.sort(key=lambda pair: pair[1].casefold(), reverse=descending)
        return pairs

    def _sort_texts(self, column: str, ids: list[str] | None) -> dict[str, str]:
        conn = self.store.conn
        where, params = "", []
        if ids is not None:
            where = f" AND p.family_id IN ({','.join('?' * len(ids))})"
            params = list(ids)
        if column == "phone":
            rows = conn.execute(
                "SELECT p.family_id, p.position, c.position, c.value FROM persons p CROSS JOIN channels c"
                " ON c.person_id = p.id WHERE c.kind = 'phone' AND c.deleted IS NULL AND p.deleted IS NULL" + where,
                params)
            best: dict[str, tuple] = {}
            for family_id, p_pos, c_pos, value in rows:
                key = (p_pos, c_pos)
                if family_id not in best or key < best[family_id][0]:
                    best[family_id] = (key, value)
            return {fid: value for fid, (_key, value) in best.items()}
        role = "child" if column == "children" else "guardian"
        field = "languages" if column == "languages" else "name"
        rows = conn.execute(
            f"SELECT p.family_id, p.position, p.{field} FROM persons p WHERE p.role = ? AND p.deleted IS NULL" + where,
            [role, *params])
        if column == "children":  # all first names, in order
            parts: dict[str, list[tuple[int, str]]] = {}
            for family_id, position, name in rows:
                parts.setdefault(family_id, []).append((position, name))
            return {fid: " ".join(name for _pos, name in sorted(items) if name) for fid, items in parts.items()}
        first: dict[str, tuple[int, str]] = {}
        for family_id, position, value in rows:
            if family_id not in first or position < first[family_id][0]:
                first[family_id] = (position, value)
        if column == "languages":
            return {fid: ", ".join(json.loads(value or "[]")) for fid, (_pos, value) in first.items()}
        return {fid: value for fid, (_pos, value) in first.items()}

    def warm_up(self, count: int = 200) -> None:
        """Read what the list's first page reads (the order and ``count`` rows), results dropped.

        Run right after opening, off the GUI thread: the answers are kept (see the class)
        and the store's pages are in this connection's cache when the GUI asks (start-up).
        """
        self.rows([fid for fid, _text in self.order()[:count]])

    def rows(self, ids: list[str]) -> list[FamilyListRow]:
        """The list rows of ``ids`` (in that order; unknown or erased ids are left out)."""
        if not ids:
            return []
        key = (tuple(ids), self._version())
        if self._last_rows is not None and self._last_rows[0] == key:
            return list(self._last_rows[1])
        result = self._rows(ids)
        self._last_rows = (key, result)
        return list(result)

    def _rows(self, ids: list[str]) -> list[FamilyListRow]:
        conn = self.store.conn
        marks = ",".join("?" * len(ids))
        found = {r[0]: repo._row(r) for r in conn.execute(
            repo._LIST_SQL + f" WHERE f.id IN ({marks}) AND f.deleted IS NULL", ids).fetchall()}
        guardians: dict[str, list[str]] = {}
        for person_id, family_id in conn.execute(
                f"SELECT id, family_id FROM persons WHERE family_id IN ({marks}) AND role = 'guardian'"
                " AND deleted IS NULL", ids):
            guardians.setdefault(family_id, []).append(person_id)
        history = repo.consent_history(conn, [p for people in guardians.values() for p in people])
        by_person: dict[str, list] = {}
        for entry in history:
            by_person.setdefault(entry.person_id, []).append(entry)
        result = []
        for fid in ids:
            if fid not in found:
                continue
            stores, channels = False, []
            for person_id in guardians.get(fid, []):
                state = derive(person_id, by_person.get(person_id, []))
                stores = stores or state.allows(Purpose.STORE)
                for channel in state.contact_channels():
                    if channel not in channels:
                        channels.append(channel)
            ordered = tuple(c for c in Channel if c in channels)
            result.append(FamilyListRow(found[fid], stores, ordered))
        return result
