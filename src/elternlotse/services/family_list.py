"""The family list for large stores: ordered ids first, rows page by page.

The desktop list (100,000 persons and more) never loads every row: it asks for
the *order* (ids with their sort text, computed in SQL) and then for the rows
of the ids it is about to show, with a consent summary per family.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from elternlotse.domain.consent import Channel, Purpose, derive
from elternlotse.store import Store
from elternlotse.store import families as repo

#: Sortable columns and the SQL that gives their sort text per family ``f``.
SORT_SQL = {
    "guardians": "(SELECT name FROM persons WHERE family_id = f.id AND role = 'guardian' AND deleted IS NULL"
                 " ORDER BY position LIMIT 1)",
    "children": "(SELECT group_concat(name, ' ') FROM (SELECT name FROM persons WHERE family_id = f.id"
                " AND role = 'child' AND deleted IS NULL ORDER BY position))",
    "grades": "(SELECT min(grade) FROM persons WHERE family_id = f.id AND role = 'child' AND deleted IS NULL)",
    "languages": "(SELECT languages FROM persons WHERE family_id = f.id AND role = 'guardian' AND deleted IS NULL"
                 " ORDER BY position LIMIT 1)",
    "phone": "(SELECT c.value FROM channels c JOIN persons p ON p.id = c.person_id WHERE p.family_id = f.id"
             " AND c.kind = 'phone' AND c.deleted IS NULL AND p.deleted IS NULL ORDER BY p.position, c.position LIMIT 1)",
    "updated": "f.updated",
    "created": "f.created",
}
SEARCH_LIMIT = 1000


@dataclass(frozen=True)
class FamilyListRow:
    row: repo.FamilyRow
    stores: bool                      # some guardian consents to storing the data
    contact_channels: tuple[Channel, ...] = field(default_factory=tuple)  # channels some guardian consents to

    @property
    def id(self) -> str:
        return self.row.id


class FamilyListService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def order(self, search: str = "", column: str = "created", descending: bool = False) -> list[tuple[str, str]]:
        """``(family id, sort text)`` for every family (or every match of ``search``), in SQL order.

        Without a search the order is by ``column``; with a search, by relevance
        unless a column other than ``created`` is asked for.
        """
        if column not in SORT_SQL:
            column = "created"
        conn = self.store.conn
        expression = SORT_SQL[column]
        direction = "DESC" if descending else "ASC"
        if search.strip():
            ids = repo.search_family_ids(conn, search, limit=SEARCH_LIMIT)
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            rows = conn.execute(f"SELECT f.id, {expression} FROM families f WHERE f.id IN ({marks}) AND f.deleted IS NULL",
                                ids).fetchall()
            if column == "created":
                rank = {fid: i for i, fid in enumerate(ids)}
                rows.sort(key=lambda r: rank[r[0]], reverse=descending)
            else:
                rows.sort(key=lambda r: ("" if r[1] is None else str(r[1])).casefold(), reverse=descending)
            return [(r[0], "" if r[1] is None else str(r[1])) for r in rows]
        rows = conn.execute(
            f"SELECT f.id, {expression} AS k FROM families f WHERE f.deleted IS NULL ORDER BY k COLLATE NOCASE {direction}, f.id"
        ).fetchall()
        return [(r[0], "" if r[1] is None else str(r[1])) for r in rows]

    def rows(self, ids: list[str]) -> list[FamilyListRow]:
        """The list rows of ``ids`` (in that order; unknown or erased ids are left out)."""
        if not ids:
            return []
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
