"""Who may change what: the origin and ownership checks of every verified payload.

docs/sync-format.md, "Trust model".  Two checks run before anything of a file is written:

* **origin** (per file): a navigator's file carries only changes, tombstones and consent
  entries stamped with the sender's own node id and no catalogues; an office's package never
  carries a stamp of the recipient itself.  A file that breaks this is refused as a whole.
* **ownership** (per record): a navigator may change only records of families it owns (and
  events it created); the office may change what it holds, but a navigator accepts from the
  office only records of families it owns (or is handed over in the same package) and of events
  the office or it created.  Only an office changes ``families.owner`` (a handover).  A record
  whose sender may not change it is left out *with all its changes and its tombstone* and is
  listed as refused in the change report; the rest of the file applies.  Office-owned tables
  (``domain/records.py`` ``OFFICE_OWNED``: the partners directory) are refused from any navigator.  Tombstones and consent
  entries of records this store does not know are left out silently (there is nothing to change).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from elternlotse.domain.errors import ValidationError
from elternlotse.domain.records import OFFICE_OWNED
from elternlotse.domain.text import N_
from elternlotse.store import replication as repl
from elternlotse.sync.payload import Payload

#: Link columns: which column of a table names the record's family or person.
_FAMILY_LINK = {"checklist_items": "family_id", "child_corrections": "family_id", "attendance": "family_id"}
_PERSON_LINK = {"channels": "person_id", "checklist_items": "child_id", "child_corrections": "child_id",
                "attendance": "person_id"}

REASON_NOT_OWNER = N_("belongs to {owner}, not to the sender")
REASON_HANDOVER = N_("only the office hands a family over to another navigator")
REASON_UNKNOWN_FAMILY = N_("names a family this installation does not hold")
REASON_MERGE = N_("only the office merges families")
REASON_OFFICE_ONLY = N_("only the office keeps this directory")


@dataclass(frozen=True)
class Refusal:
    table: str
    row_id: str
    family: str | None
    reason: str          # an English msgid (translated by the presenter)
    owner: str = ""      # the node the record belongs to, where known

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "row": self.row_id, "family": self.family, "reason": self.reason,
                "owner": self.owner}


@dataclass
class Verdict:
    payload: Payload
    refused: list[Refusal] = field(default_factory=list)
    skipped: int = 0                                   # tombstones / consents of unknown records


def check_origin(payload: Payload, own_node: str, where: str) -> None:
    """Refuse a file whose stamps claim another installation's changes (raises ValidationError)."""
    # distinct stamps only (one action stamps all its fields with one stamp)
    stamps = {s for _t, _r, changes in payload.rows for _f, s, _v in changes}
    stamps.update([t[2] for t in payload.tombstones] + [c[-1] for c in payload.consents])
    stamps = sorted(stamps)
    if payload.role == "navigator":
        foreign = next((s for s in stamps if repl.node_of(s) != payload.sender), None)
        if foreign is not None:
            raise ValidationError(
                N_("{path} carries changes stamped by another installation ({node}); a navigator's file may carry"
                   " only its own changes. Nothing was imported."), path=where, node=repl.node_of(foreign))
        if payload.catalogs:
            raise ValidationError(
                N_("{path} is a navigator's file but carries catalogues or consent texts, which only an office"
                   " sends. Nothing was imported."), path=where)
    elif any(repl.node_of(s) == own_node for s in _stamps_outside_handovers(payload, own_node)):
        raise ValidationError(
            N_("{path} carries changes stamped with this installation's own id, which it never made."
               " Nothing was imported."), path=where)


def _stamps_outside_handovers(payload: Payload, own_node: str) -> list[str]:
    """Stamps of an office package, leaving out those of families it hands over to this node.

    A family handed back to a navigator that held it before travels with that navigator's own
    changes (its copy was removed when the family was handed away); only then may an office
    package carry the recipient's own stamps.
    """
    handed = {r for t, r, changes in payload.rows if t == "families" and _latest(changes, "owner") == (True, own_node)}
    persons = {r for t, r, changes in payload.rows
               if t == "persons" and handed and _latest(changes, "family_id")[1] in handed}

    def inside(table: str, row_id: str, changes) -> bool:
        if table == "families":
            return row_id in handed
        if table == "persons":
            return row_id in persons
        if table in _FAMILY_LINK and _latest(changes, "family_id")[1] in handed:
            return True
        return table in _PERSON_LINK and _latest(changes, _PERSON_LINK[table])[1] in persons

    stamps = []
    records = set()
    for table, row_id, changes in payload.rows:
        if handed and inside(table, row_id, changes):
            records.add((table, row_id))
        else:
            stamps.extend(s for _f, s, _v in changes)
    stamps += [t[2] for t in payload.tombstones if (t[0], t[1]) not in records]
    stamps += [c[-1] for c in payload.consents if c[1] not in persons]
    return stamps


def _latest(changes, name: str) -> tuple[bool, Any]:
    """(whether the record's changes set ``name``, the newest value) for link fields and ``owner``."""
    best = None
    for f, stamp, value in changes:
        if f == name and (best is None or stamp > best[0]):
            best = (stamp, value)
    if best is None:
        return False, None
    if best[1] is not None and not isinstance(best[1], str):
        return True, "?invalid"      # a link that is no id: it can name no family, so the record is refused
    return True, best[1]


def authorise(conn, payload: Payload, own_node: str) -> Verdict:
    """Leave out every record the sender may not change; returns the payload that may be applied."""
    sender, from_office = payload.sender, payload.role == "office"
    rows = {(t, r): changes for t, r, changes in payload.rows}
    wanted: dict[str, set[str]] = {}
    for table, row_id in rows:
        wanted.setdefault(table, set()).add(row_id)
    for table, row_id, _stamp, _kind in payload.tombstones:
        wanted.setdefault(table, set()).add(row_id)
    wanted.setdefault("persons", set()).update(c[1] for c in payload.consents)
    for (table, _row), changes in rows.items():
        link = _PERSON_LINK.get(table)
        if link:
            known, value = _latest(changes, link)
            if known and value:
                wanted["persons"].add(value)
    local = {table: repl.bindings_of(conn, table, ids) for table, ids in wanted.items()}
    families = set(local.get("families", {}))
    families.update(f for binds in local.values() for f, _p in binds.values() if f)
    families.update(r for t, r in rows if t == "families")
    for (table, _row), changes in rows.items():
        if table == "persons" or table in _FAMILY_LINK:
            known, value = _latest(changes, "family_id")
            if known and value:
                families.add(value)
    owners = repl.family_owners(conn, families)
    # Records bound to no family (events, an attendance row without a family) belong to their creator.
    creators = {t: repl.created_nodes(conn, t, ids) for t, ids in wanted.items() if t not in ("families", "persons")}

    # Owners after this payload: a new family belongs to its recorder (the node of its first
    # stamp) unless an office names an owner; only an office's package may change an owner.
    after = dict(owners)
    refused: list[Refusal] = []
    out_families: set[str] = set()
    for (table, row_id), changes in rows.items():
        if table != "families":
            continue
        known, value = _latest(changes, "owner")
        if not from_office and _latest(changes, "merged_into")[0]:
            refused.append(Refusal(table, row_id, row_id, REASON_MERGE, owners.get(row_id, "")))
            out_families.add(row_id)
            continue
        if row_id in owners:
            if from_office:
                if known and value:
                    after[row_id] = value
            elif known:
                refused.append(Refusal(table, row_id, row_id, REASON_HANDOVER, owners[row_id]))
                out_families.add(row_id)
        else:
            recorder = repl.node_of(min(stamp for _f, stamp, _v in changes))
            after[row_id] = value if known and value else recorder
            if not from_office and after[row_id] != sender:
                refused.append(Refusal(table, row_id, row_id, REASON_HANDOVER, after[row_id]))
                out_families.add(row_id)

    def person_family(person: str) -> str | None:
        changes = rows.get(("persons", person))
        if changes is not None:
            known, value = _latest(changes, "family_id")
            if known:
                return value
        return local.get("persons", {}).get(person, (None, None))[0]

    def families_of(table: str, row_id: str) -> set[str | None]:
        """Families the record belongs to before and after the payload ("?<person>": an unknown person)."""
        before = local.get(table, {}).get(row_id)
        involved: set[str | None] = set()
        if table == "families":
            involved.add(row_id)
        elif before is not None and before[0]:
            involved.add(before[0])
        changes = rows.get((table, row_id))
        if changes is not None and table != "families":
            fam_link = "family_id" if table == "persons" else _FAMILY_LINK.get(table)
            if fam_link:
                known, value = _latest(changes, fam_link)
                if known and value:
                    involved.add(value)
            link = _PERSON_LINK.get(table)
            if link:
                known, value = _latest(changes, link)
                if known and value:
                    involved.add(person_family(value) or "?" + value)
        return involved

    allowed_nodes = {own_node} if from_office else {sender}

    def decide(table: str, row_id: str) -> Refusal | None:
        if table in OFFICE_OWNED and not from_office:
            return Refusal(table, row_id, None, REASON_OFFICE_ONLY)
        involved = families_of(table, row_id)
        for family in sorted(involved, key=str):
            if family is None:
                continue
            if family.startswith("?") or (family not in after and family not in owners):
                # a family (or person) this store does not hold: the record cannot be placed under an owner
                return Refusal(table, row_id, None, REASON_UNKNOWN_FAMILY)
            if family in out_families:
                return Refusal(table, row_id, family, REASON_NOT_OWNER, after.get(family, ""))
            owner_now, owner_then = owners.get(family), after.get(family)
            ok = (owner_then in allowed_nodes or owner_now in allowed_nodes) if from_office else (
                owner_then in allowed_nodes and (owner_now is None or owner_now in allowed_nodes))
            if not ok:
                return Refusal(table, row_id, family, REASON_NOT_OWNER, owner_now or owner_then or "")
        if not any(f for f in involved) and table in creators:
            creator = creators[table].get(row_id)
            if creator is None:
                changes = rows.get((table, row_id))
                creator = repl.node_of(min(s for _f, s, _v in changes)) if changes else None
            permitted = {own_node, sender} if from_office else {sender}
            if creator is not None and creator not in permitted:
                return Refusal(table, row_id, None, REASON_NOT_OWNER, creator)
        return None

    verdicts: dict[tuple[str, str], Refusal | None] = {}
    for refusal in refused:
        verdicts[(refusal.table, refusal.row_id)] = refusal
    kept_rows = []
    for table, row_id, changes in payload.rows:
        key = (table, row_id)
        if key not in verdicts:
            verdicts[key] = decide(table, row_id)
            if verdicts[key] is not None:
                refused.append(verdicts[key])
        if verdicts[key] is None:
            kept_rows.append((table, row_id, changes))
    skipped = 0
    kept_tombstones = []
    for tomb in payload.tombstones:
        key = tomb[:2]
        if key not in verdicts:
            if key[1] not in local.get(key[0], {}):
                skipped += 1
                continue
            verdicts[key] = decide(*key)
            if verdicts[key] is not None:
                refused.append(verdicts[key])
        if verdicts[key] is None:
            kept_tombstones.append(tomb)
    kept_consents = []
    for entry in payload.consents:
        person = entry[1]
        key = ("persons", person)
        if key not in verdicts:
            if person not in local.get("persons", {}) and key not in rows:
                skipped += 1
                continue
            verdicts[key] = decide(*key)
        if verdicts[key] is None:
            kept_consents.append(entry)
        else:
            refused.append(replace(verdicts[key], table="consents", row_id=entry[0]))
    return Verdict(replace(payload, rows=kept_rows, tombstones=kept_tombstones, consents=kept_consents),
                   refused, skipped)
