"""What goes into a sync file: the navigator's delta as far as consent allows, the office's package.

``for_office`` applies the one consent rule (``sync/scope.py``); ``for_navigator``
selects the office's changes to one navigator's families.  See docs/sync-format.md.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from elternlotse.domain.consent import ConsentEntry, Evidence, Purpose
from elternlotse.store import Store
from elternlotse.store import duplicates as dup_repo
from elternlotse.store import replication as repl
from elternlotse.store.replication import bindings, node_of
from elternlotse.store.tables import CONSENT_COLUMNS, SYNCED_FIELDS
from elternlotse.sync.scope import PersonRef, office_share_scope

#: Sections an office adds to its packages: functions ``(store) -> list[catalog item]``.
#: An item is ``{"kind", "key", "version", "content"}`` (docs/sync-format.md, "catalogs").
CATALOG_EXPORTERS: list[Callable[[Store], list[dict[str, Any]]]] = []


def _installed_kaoa_catalogs(store: Store) -> list[dict[str, Any]]:
    return [{"kind": "kaoa-catalog", "key": r[0], "version": r[1], "content": json.loads(r[2])}
            for r in repl.installed_catalog_documents(store.conn)]


CATALOG_EXPORTERS.append(_installed_kaoa_catalogs)


def _installed_consent_texts(store: Store) -> list[dict[str, Any]]:
    """Consent-text versions the office installed (the bundled ones ship with every app)."""
    from elternlotse.services.consent_texts import ConsentTextLibrary

    return [{"kind": "consent-text", "key": language, "version": version, "content": document}
            for version, language, document in ConsentTextLibrary(store=store).installed_documents()]


CATALOG_EXPORTERS.append(_installed_consent_texts)



def person_refs(conn) -> list[PersonRef]:
    return [PersonRef(*r) for r in repl.person_rows(conn)]

def office_consents(conn) -> list[ConsentEntry]:
    return [ConsentEntry(person_id=r[0], purpose=Purpose.PASS_TO_OFFICE, channel=None, granted=bool(r[1]), at=r[2],
                         recorded_by="", evidence=Evidence.VERBAL, stamp=r[3])
            for r in repl.consent_entries_of_purpose(conn, Purpose.PASS_TO_OFFICE.value)]

def for_office(conn, own: str, peer):
    """Navigator -> office: everything not yet acknowledged, as far as consent allows (sync/scope.py).

    Only this installation's own changes, tombstones and consent entries travel (their stamps
    carry its node id): what came from the office is the office's already, and the office
    refuses a navigator's file that carries anyone else's stamp (services/sync_trust.py).
    """
    acked = peer.acked_by_peer
    persons = person_refs(conn)
    scope = office_share_scope(persons, office_consents(conn), acked)
    bound = {table: bindings(conn, table) for table in SYNCED_FIELDS}
    erased = repl.erased_records(conn)

    def wanted(table: str, row_id: str, stamp: str) -> bool:
        if stamp > acked:
            return True
        family = bound[table].get(row_id, (None, None))[0]
        return family in scope.full

    # The delta after the receipt (index on stamp), plus every change of families whose consent is
    # newer than the receipt (through the primary key), so a new family never costs a full scan.
    full = [(t, r) for t in bound for r, (f, _) in bound[t].items() if f in scope.full] if scope.full else []


    def changes():
        for table, row_id, name, stamp, value in repl.changes_after(conn, acked, full):
            if table not in bound or node_of(stamp) != own or (table, row_id) in erased:
                continue
            if row_id not in bound[table] or not wanted(table, row_id, stamp):
                continue
            if not scope.allows(*bound[table][row_id]):
                continue
            yield table, row_id, name, stamp, value

    def tombstones():
        for table, row_id, stamp, kind in repl.tombstone_rows(conn):
            if table not in bound or node_of(stamp) != own or not wanted(table, row_id, stamp):
                continue
            family = bound[table].get(row_id, (None, None))[0]
            if family is None or family in scope.ever:
                yield table, row_id, stamp, kind

    family_of = {p.id: p.family_id for p in persons}
    del persons

    def consents():
        for row in repl.consent_rows(conn, CONSENT_COLUMNS):
            family = family_of.get(row[1])
            if family in scope.ever and (row[10] > acked or family in scope.full) and node_of(row[10]) == own:
                yield tuple(row)

    withheld = withheld_counts(conn, bound, scope)
    return records(changes()), tombstones(), consents(), withheld


def records(changes):
    """Change-log rows ordered by record -> ``(table, row id, [(field, stamp, value), ...])`` one record at a time."""
    key, group = None, []
    for table, row_id, name, stamp, value in changes:
        if (table, row_id) != key:
            if group:
                yield (*key, group)
            key, group = (table, row_id), []
        group.append((name, stamp, json.loads(value) if value is not None else None))
    if group:
        yield (*key, group)

def withheld_counts(conn, bound, scope) -> dict[str, int]:
    """Anonymous counts of what consent kept back (current records only)."""
    counts = {}
    for table in SYNCED_FIELDS:
        live = repl.live_ids(conn, table)
        counts[table] = sum(1 for row_id in live if not scope.allows(*bound[table].get(row_id, (None, None))))
    return counts

def for_navigator(conn, own: str, peer):
    """Office -> navigator: the changes to the families it owns, its and the office's events, erasures.

    A family handed over to this navigator after its last receipt travels in full (every change
    this office holds, its consent entries and tombstones); a family handed away from it travels
    as the handover alone, so the former owner learns that it no longer owns it.  Nothing stamped
    by the navigator itself travels back (it has it, and it refuses its own stamps from an office).

    Merges across navigators (docs/sync-format.md, "Merges across navigators"): a family
    absorbed into this navigator's survivor is handed to it, so the records the merge moved under
    the survivor travel in full with it (``moved_in``); a family absorbed into another navigator's
    survivor travels as its handover and its pointer (``merged_into``); after an undo hands the
    absorbed family back, the survivor's owner gets the moves of those records out of its family
    (``moved_out``), and removes them with the family handed away.
    """
    acked = peer.acked_by_peer
    navigator = peer.node_id
    owned = repl.families_owned_by(conn, navigator)
    handovers = repl.owner_changes_since(conn, acked)
    full = {fid for fid, owner, _stamp in handovers if owner == navigator and fid in owned}
    handed_away = {fid for fid, owner, _stamp in handovers if owner != navigator and fid not in owned}
    handed_away = {fid for fid, nodes in repl.former_owners(conn, handed_away, acked).items() if navigator in nodes}
    bound = {table: bindings(conn, table) for table in SYNCED_FIELDS}
    moved_in = _with_their_rows(bound, dup_repo.moved_by_merges(conn, full, undone=False))
    moved_out = set(dup_repo.moved_by_merges(conn, handed_away, undone=True))
    moved_persons = {r for t, r in moved_in if t == "persons"}

    erased = repl.erased_records(conn)
    # Records bound to no family (events): those the office or this navigator created.  An erased
    # record has lost its family link, so it travels only as its tombstone.
    created_by = repl.created_nodes_of_all(conn, SYNCED_FIELDS)

    def in_scope(table: str, row_id: str) -> bool:
        family = bound[table].get(row_id, (None, None))[0]
        if family is None:
            return created_by.get((table, row_id)) in (own, navigator)
        return family in owned

    def family_of(table: str, row_id: str) -> str | None:
        return bound[table].get(row_id, (None, None))[0]

    def own_ok(table: str, row_id: str, stamp: str) -> bool:
        """The navigator's own stamps travel back only with a family handed (back) to it: its copy
        was removed when the family was handed away (services/sync.py), so it needs them again."""
        return node_of(stamp) != navigator or family_of(table, row_id) in full

    def taken(table, row_id, stamp) -> bool:
        return table in bound and own_ok(table, row_id, stamp) and (table, row_id) not in erased

    full_records = [(t, r) for t in SYNCED_FIELDS for r, (f, _p) in bound[t].items() if f in full] if full else []
    full_records += sorted(moved_in)

    def changes():
        # ordered by record (changes_after), so ``records`` groups them as they come
        for table, row_id, name, stamp, value in repl.changes_after(conn, acked, full_records):
            if table not in bound or not taken(table, row_id, stamp):
                continue
            if family_of(table, row_id) in full or (table, row_id) in moved_in:   # handed over: every change
                yield table, row_id, name, stamp, value
                continue
            ordinary = in_scope(table, row_id)
            handover = table == "families" and name in ("owner", "merged_into") and row_id in handed_away
            moved_away = name == "family_id" and (table, row_id) in moved_out and stamp > acked
            if ordinary or handover or moved_away:
                yield table, row_id, name, stamp, value

    tombstones = (tuple(r) for r in repl.tombstone_rows(conn)
                  if r[0] in bound and own_ok(r[0], r[1], r[2])
                  and (r[2] > acked or family_of(r[0], r[1]) in full or (r[0], r[1]) in moved_in)
                  and (in_scope(r[0], r[1]) or (r[3] == "erase" and family_of(r[0], r[1]) is None)))
    family_of_person = {p.id: p.family_id for p in person_refs(conn)}
    consents = (tuple(r) for r in repl.consent_rows(conn, CONSENT_COLUMNS)
                if family_of_person.get(r[1]) in owned
                and (node_of(r[10]) != navigator or family_of_person.get(r[1]) in full)
                and (r[10] > acked or family_of_person.get(r[1]) in full or r[1] in moved_persons))
    return records(changes()), tombstones, consents, {}


def _with_their_rows(bound, moved: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The records a merge moved plus those bound to their persons (a moved guardian's channels)."""
    found = set(moved)
    persons = {r for t, r in moved if t == "persons"}
    if persons:
        for table, rows in bound.items():
            found.update((table, r) for r, (_f, p) in rows.items() if p in persons)
    return found
