"""SQL of the navigator roster (office-local tables of migration 0012) and of the partners directory.

Roster rows are not synced: they are written on the writer's connection inside ``Store.write``
(one transaction, one audit entry), without the change log.  Partners are synced records and
go through ``Writer.insert/update`` like every synced table.
"""

from __future__ import annotations

import json
from decimal import Decimal

from elternlotse.domain.partners import Partner
from elternlotse.domain.roster import HoursEntry, Navigator
from elternlotse.store.writer import new_id

_NAV_COLUMNS = "id, name, languages, node_id, police_check, notes"


def _navigator(row) -> Navigator:
    return Navigator(id=row[0], name=row[1], languages=json.loads(row[2] or "[]"), node_id=row[3],
                     police_check=row[4], notes=row[5])


def navigators(conn) -> list[Navigator]:
    found = [_navigator(r) for r in conn.execute(f"SELECT {_NAV_COLUMNS} FROM navigators")]
    by_id = {n.id: n for n in found}
    for nav_id, key, completed in conn.execute("SELECT navigator_id, module_key, completed FROM navigator_modules"):
        if nav_id in by_id:
            by_id[nav_id].modules[key] = completed
    return found


def navigator(conn, nav_id: str) -> Navigator | None:
    row = conn.execute(f"SELECT {_NAV_COLUMNS} FROM navigators WHERE id = ?", (nav_id,)).fetchone()
    if row is None:
        return None
    nav = _navigator(row)
    nav.modules = dict(conn.execute(
        "SELECT module_key, completed FROM navigator_modules WHERE navigator_id = ?", (nav_id,)).fetchall())
    return nav


def insert_navigator(writer, nav: Navigator) -> str:
    nav_id = new_id()
    writer.conn.execute(
        f"INSERT INTO navigators({_NAV_COLUMNS}, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (nav_id, nav.name, json.dumps(nav.languages), nav.node_id, nav.police_check, nav.notes,
         writer.stamp, writer.stamp))
    return nav_id


def update_navigator(writer, nav: Navigator) -> None:
    writer.conn.execute(
        "UPDATE navigators SET name = ?, languages = ?, node_id = ?, police_check = ?, notes = ?, updated = ?"
        " WHERE id = ?", (nav.name, json.dumps(nav.languages), nav.node_id, nav.police_check, nav.notes,
                          writer.stamp, nav.id))


def set_module(writer, nav_id: str, key: str, completed: str) -> None:
    if completed:
        writer.conn.execute("INSERT OR REPLACE INTO navigator_modules(navigator_id, module_key, completed)"
                            " VALUES (?, ?, ?)", (nav_id, key, completed))
    else:
        writer.conn.execute("DELETE FROM navigator_modules WHERE navigator_id = ? AND module_key = ?", (nav_id, key))


def delete_navigator(writer, nav_id: str) -> None:
    """Every roster row of one navigator (local tables: no tombstone needed, nothing was ever sent)."""
    for table, column in (("navigator_hours", "navigator_id"), ("navigator_modules", "navigator_id"), ("navigators", "id")):
        writer.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (nav_id,))
    writer.mark_erased()   # Store.write then rewrites the file so no old page keeps the rows


def hours(conn, nav_id: str) -> list[HoursEntry]:
    return [HoursEntry(id=r[0], navigator_id=r[1], on=r[2], hours=Decimal(r[3]), kind=r[4], activity=r[5],
                       event_id=r[6], allowance=r[7], amount_cents=r[8])
            for r in conn.execute("SELECT id, navigator_id, day, hours, kind, activity, event_id, allowance,"
                                  " amount_cents FROM navigator_hours WHERE navigator_id = ? ORDER BY day, created",
                                  (nav_id,))]


def insert_hours(writer, entry: HoursEntry) -> str:
    entry_id = new_id()
    writer.conn.execute(
        "INSERT INTO navigator_hours(id, navigator_id, day, hours, kind, activity, event_id, allowance, amount_cents,"
        " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entry_id, entry.navigator_id, entry.on, str(entry.hours), entry.kind, entry.activity, entry.event_id,
         entry.allowance, entry.amount_cents, writer.stamp))
    return entry_id


def update_hours(writer, entry: HoursEntry) -> None:
    writer.conn.execute(
        "UPDATE navigator_hours SET day = ?, hours = ?, kind = ?, activity = ?, event_id = ?, allowance = ?,"
        " amount_cents = ? WHERE id = ? AND navigator_id = ?",
        (entry.on, str(entry.hours), entry.kind, entry.activity, entry.event_id, entry.allowance,
         entry.amount_cents, entry.id, entry.navigator_id))


def delete_hours(writer, nav_id: str, entry_id: str) -> None:
    writer.conn.execute("DELETE FROM navigator_hours WHERE id = ? AND navigator_id = ?", (entry_id, nav_id))


def event_title(conn, event_id: str) -> str | None:
    row = conn.execute("SELECT title FROM events WHERE id = ? AND deleted IS NULL", (event_id,)).fetchone()
    return None if row is None else row[0]


_RULE_KEYS = {"police_check_years": "roster.police_check_years", "ehrenamt": "roster.limit.ehrenamt",
              "uebungsleiter": "roster.limit.uebungsleiter"}


def rules(conn) -> dict[str, int]:
    """The office's stored rule values (only those set), as whole numbers."""
    found = {}
    for name, key in _RULE_KEYS.items():
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is not None and str(row[0]).isdigit():
            found[name] = int(row[0])
    return found


def set_rules(writer, values: dict[str, int]) -> None:
    for name, value in values.items():
        writer.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (_RULE_KEYS[name], str(value)))


# ---------------------------------------------------------------- partners (synced)

_PARTNER_COLUMNS = "id, kind, name, contact_person, phone, email, languages, notes"


def _partner(row) -> Partner:
    return Partner(id=row[0], kind=row[1], name=row[2], contact_person=row[3], phone=row[4], email=row[5],
                   languages=json.loads(row[6] or "[]"), notes=row[7])


def partners(conn, kind: str = "") -> list[Partner]:
    sql = f"SELECT {_PARTNER_COLUMNS} FROM partners WHERE deleted IS NULL"
    rows = conn.execute(sql + " AND kind = ?", (kind,)) if kind else conn.execute(sql)
    return [_partner(r) for r in rows]


def partner(conn, partner_id: str) -> Partner | None:
    row = conn.execute(f"SELECT {_PARTNER_COLUMNS} FROM partners WHERE id = ? AND deleted IS NULL",
                       (partner_id,)).fetchone()
    return None if row is None else _partner(row)


def _values(p: Partner) -> dict:
    return {"kind": p.kind, "name": p.name, "contact_person": p.contact_person, "phone": p.phone, "email": p.email,
            "languages": json.dumps(p.languages), "notes": p.notes}


def insert_partner(writer, p: Partner) -> str:
    return writer.insert("partners", _values(p))


def update_partner(writer, p: Partner) -> list[str]:
    return writer.update("partners", p.id, _values(p))
