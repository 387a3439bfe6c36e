"""KAoA records in the store: installed catalogues, children's grades, corrections,
checklist items, events and attendance.  Synced rows are written through a ``Writer``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from elternlotse.domain.errors import NotFoundError
from elternlotse.domain.text import N_
from elternlotse.store.writer import Writer

_NAMESPACE = uuid.UUID("5b0c2a1e-9a57-4f0e-a5c1-6b7a0e4b1d3c")


def stable_id(*parts: str) -> str:
    """The same id on every device for the same (child, stage, item) or (event, family, person)."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


# ---------------------------------------------------------------- catalogues (local table)

@dataclass(frozen=True)
class InstalledCatalog:
    catalog_id: str
    version: str
    valid_from: str
    document: str
    origin: str
    installed: str


def installed_catalogs(conn) -> list[InstalledCatalog]:
    rows = conn.execute(
        "SELECT catalog_id, version, valid_from, document, origin, installed FROM catalogs ORDER BY catalog_id, installed"
    ).fetchall()
    return [InstalledCatalog(*r) for r in rows]


def save_catalog(writer: Writer, catalog_id: str, version: str, valid_from: str, document: str, origin: str) -> None:
    writer.conn.execute(
        "INSERT OR REPLACE INTO catalogs(catalog_id, version, valid_from, document, origin, installed)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (catalog_id, version, valid_from, document, origin, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")),
    )


# ---------------------------------------------------------------- children

@dataclass(frozen=True)
class ChildRow:
    id: str
    family_id: str
    first_name: str
    grade: int | None
    school: str
    school_year: str
    created: str


def children(conn, family_id: str | None = None, child_id: str | None = None) -> list[ChildRow]:
    sql = ("SELECT p.id, p.family_id, p.name, p.grade, p.school, p.school_year, p.created FROM persons p"
           " JOIN families f ON f.id = p.family_id"
           " WHERE p.role = 'child' AND p.deleted IS NULL AND f.deleted IS NULL")
    params: list = []
    if family_id:
        sql += " AND p.family_id = ?"
        params.append(family_id)
    if child_id:
        sql += " AND p.id = ?"
        params.append(child_id)
    return [ChildRow(*r) for r in conn.execute(sql + " ORDER BY f.created, p.position", params).fetchall()]


def child(conn, child_id: str) -> ChildRow:
    found = children(conn, child_id=child_id)
    if not found:
        raise NotFoundError(N_("No child with the id {id}."), id=child_id)
    return found[0]


# ---------------------------------------------------------------- corrections

@dataclass(frozen=True)
class CorrectionRow:
    id: str
    child_id: str
    kind: str
    school_year: str
    grade: int | None
    target_group: str
    school: str
    note: str
    created: str


def corrections(conn, child_ids: list[str] | None = None) -> dict[str, list[CorrectionRow]]:
    sql = ("SELECT id, child_id, kind, school_year, grade, target_group, school, note, created FROM child_corrections"
           " WHERE deleted IS NULL")
    params: list = []
    if child_ids is not None:
        if not child_ids:
            return {}
        sql += f" AND child_id IN ({','.join('?' * len(child_ids))})"
        params = list(child_ids)
    found: dict[str, list[CorrectionRow]] = {}
    for row in conn.execute(sql + " ORDER BY created", params).fetchall():
        found.setdefault(row[1], []).append(CorrectionRow(*row))
    return found


def insert_correction(writer: Writer, child: ChildRow, kind: str, school_year: str, grade: int | None,
                      target_group: str, school: str, note: str) -> str:
    return writer.insert("child_corrections", {
        "child_id": child.id, "family_id": child.family_id, "kind": kind, "school_year": school_year,
        "grade": grade, "target_group": target_group, "school": school, "note": note,
    })


# ---------------------------------------------------------------- checklist items

@dataclass(frozen=True)
class ChecklistRow:
    id: str
    child_id: str
    family_id: str
    stage_key: str
    item_key: str
    status: str
    date: str
    done_by: str
    note: str
    updated: str


def checklist_rows(conn, child_ids: list[str] | None = None) -> dict[str, dict[tuple[str, str], ChecklistRow]]:
    """child id -> (stage key, item key) -> row."""
    sql = ("SELECT id, child_id, family_id, stage_key, item_key, status, date, done_by, note, updated"
           " FROM checklist_items WHERE deleted IS NULL")
    params: list = []
    if child_ids is not None:
        if not child_ids:
            return {}
        sql += f" AND child_id IN ({','.join('?' * len(child_ids))})"
        params = list(child_ids)
    found: dict[str, dict[tuple[str, str], ChecklistRow]] = {}
    for row in conn.execute(sql, params).fetchall():
        item = ChecklistRow(*row)
        found.setdefault(item.child_id, {})[(item.stage_key, item.item_key)] = item
    return found


def write_checklist_item(writer: Writer, child: ChildRow, stage_key: str, item_key: str, status: str,
                         day: str, done_by: str, note: str | None) -> str:
    row_id = stable_id("checklist", child.id, stage_key, item_key)
    exists = writer.conn.execute("SELECT note FROM checklist_items WHERE id = ? AND deleted IS NULL", (row_id,)).fetchone()
    values = {"status": status, "date": day, "done_by": done_by}
    if note is not None:
        values["note"] = note
    if exists is None:
        writer.insert("checklist_items", {"id": row_id, "child_id": child.id, "family_id": child.family_id,
                                          "stage_key": stage_key, "item_key": item_key, "note": "", **values})
    else:
        writer.update("checklist_items", row_id, values)
    return row_id


# ---------------------------------------------------------------- events

EVENT_FIELDS = ("id", "type", "title", "starts", "ends", "place", "topics", "speakers", "languages", "interpreter",
                "headcount", "handouts", "notes", "created", "updated")


def event_row(conn, event_id: str) -> dict:
    row = conn.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE id = ? AND deleted IS NULL",
                       (event_id,)).fetchone()
    if row is None:
        raise NotFoundError(N_("No event with the id {id}."), id=event_id)
    return _event_dict(row)


def event_rows(conn) -> list[dict]:
    rows = conn.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM events WHERE deleted IS NULL ORDER BY starts DESC").fetchall()
    return [_event_dict(r) for r in rows]


def _event_dict(row) -> dict:
    data = dict(zip(EVENT_FIELDS, row, strict=True))
    for key in ("topics", "speakers", "languages", "handouts"):
        data[key] = json.loads(data[key] or "[]")
    data["interpreter"] = bool(data["interpreter"])
    return data


def attendance(conn, event_id: str) -> list[tuple[str, str, str]]:
    """(attendance id, family id, person id) of everyone marked present."""
    return [tuple(r) for r in conn.execute(
        "SELECT id, family_id, person_id FROM attendance WHERE event_id = ? AND present = 1 AND deleted IS NULL"
        " AND family_id != '' ORDER BY created", (event_id,)).fetchall()]


def attendance_counts(conn) -> dict[str, int]:
    return dict(conn.execute(
        "SELECT event_id, count(DISTINCT family_id) FROM attendance WHERE present = 1 AND deleted IS NULL"
        " AND family_id != '' GROUP BY event_id").fetchall())


def set_attendance(writer: Writer, event_id: str, family_id: str, person_id: str, present: bool) -> str:
    row_id = stable_id("attendance", event_id, family_id, person_id)
    exists = writer.conn.execute("SELECT 1 FROM attendance WHERE id = ? AND deleted IS NULL", (row_id,)).fetchone()
    if exists is None:
        writer.insert("attendance", {"id": row_id, "event_id": event_id, "family_id": family_id,
                                     "person_id": person_id, "present": int(present)})
    else:
        writer.update("attendance", row_id, {"present": int(present)})
    return row_id


# ---------------------------------------------------------------- erasure

def erase_family_rows(writer: Writer, family_id: str, person_ids: list[str]) -> None:
    """Erase a family's checklist items, corrections, contacts and attendance (one of ``app.erasers()``)."""
    conn = writer.conn
    marks = ",".join("?" * len(person_ids)) or "''"
    for table, column in (("checklist_items", "child_id"), ("child_corrections", "child_id"), ("contacts", "person_id")):
        ids = conn.execute(
            f"SELECT id FROM {table} WHERE family_id = ? OR {column} IN ({marks})", [family_id, *person_ids]
        ).fetchall()
        for (row_id,) in ids:
            writer.erase(table, row_id)
    for (row_id,) in conn.execute("SELECT id FROM attendance WHERE family_id = ?", (family_id,)).fetchall():
        writer.erase("attendance", row_id)
    conn.execute("DELETE FROM retention_decisions WHERE family_id = ?", (family_id,))  # local, may name a person


# ---------------------------------------------------------------- guardians and their channels

@dataclass(frozen=True)
class GuardianContact:
    person_id: str
    family_id: str
    name: str
    address: str
    languages: tuple[str, ...]
    channels: tuple[tuple[str, str, str], ...]  # (kind, value, app)


def guardian_contacts(conn, family_ids: list[str] | None = None) -> dict[str, list[GuardianContact]]:
    """family id -> guardians with their stored channels (erased and deleted rows left out)."""
    sql = ("SELECT p.id, p.family_id, p.name, p.address, p.languages FROM persons p JOIN families f ON f.id = p.family_id"
           " WHERE p.role = 'guardian' AND p.deleted IS NULL AND f.deleted IS NULL")
    params: list = []
    if family_ids is not None:
        if not family_ids:
            return {}
        sql += f" AND p.family_id IN ({','.join('?' * len(family_ids))})"
        params = list(family_ids)
    persons = conn.execute(sql + " ORDER BY p.position", params).fetchall()
    channels: dict[str, list[tuple[str, str, str]]] = {}
    if persons:
        ids = [p[0] for p in persons]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for person_id, kind, value, app in conn.execute(
                    f"SELECT person_id, kind, value, app FROM channels WHERE deleted IS NULL AND person_id IN"
                    f" ({','.join('?' * len(chunk))}) ORDER BY position", chunk).fetchall():
                channels.setdefault(person_id, []).append((kind, value, app))
    found: dict[str, list[GuardianContact]] = {}
    for pid, fid, name, address, languages in persons:
        found.setdefault(fid, []).append(GuardianContact(pid, fid, name, address, tuple(json.loads(languages or "[]")),
                                                         tuple(channels.get(pid, []))))
    return found


def consent_entries(conn, person_ids: list[str]):
    from elternlotse.store.families import consent_history

    entries = []
    for start in range(0, len(person_ids), 500):
        entries.extend(consent_history(conn, person_ids[start:start + 500]))
    return entries


def family_names(conn, family_ids: list[str] | None = None) -> dict[str, str]:
    sql = ("SELECT f.id, (SELECT group_concat(name, ' / ') FROM (SELECT name FROM persons WHERE family_id = f.id"
           " AND role = 'guardian' AND deleted IS NULL ORDER BY position)) FROM families f WHERE f.deleted IS NULL")
    params: list = []
    if family_ids is not None:
        if not family_ids:
            return {}
        sql += f" AND f.id IN ({','.join('?' * len(family_ids))})"
        params = list(family_ids)
    return {fid: name or "?" for fid, name in conn.execute(sql, params).fetchall()}


def family_rows(conn, family_ids: list[str]):
    """Family list rows (``store.families.FamilyRow``) for the given ids, in that order."""
    from elternlotse.store import families as fam

    if not family_ids:
        return []
    marks = ",".join("?" * len(family_ids))
    rows = {r.id: r for r in (fam._row(v) for v in conn.execute(
        fam._LIST_SQL + f" WHERE f.id IN ({marks}) AND f.deleted IS NULL", family_ids).fetchall())}
    return [rows[fid] for fid in family_ids if fid in rows]
