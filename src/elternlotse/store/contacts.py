"""Contacts and tallies in the store (synced rows, written through a ``Writer``)."""

from __future__ import annotations

import json

from elternlotse.domain.contact_log import Contact, Tally
from elternlotse.store.writer import Writer

_CONTACT_COLUMNS = ("id", "family_id", "person_id", "day", "format", "language", "interpreter", "topics", "referral",
                    "follow_up", "outcome", "note", "recorded_by", "created")
_TALLY_COLUMNS = ("id", "day", "format", "count", "language", "topics", "recorded_by", "created")


def insert_contact(writer: Writer, contact: Contact) -> str:
    return writer.insert("contacts", {
        "family_id": contact.family_id, "person_id": contact.person_id, "day": contact.on, "format": contact.format,
        "language": contact.language, "interpreter": int(contact.interpreter), "topics": json.dumps(contact.topics),
        "referral": contact.referral, "follow_up": contact.follow_up, "outcome": contact.outcome,
        "note": contact.note, "recorded_by": contact.recorded_by,
    })


def insert_tally(writer: Writer, tally: Tally) -> str:
    return writer.insert("tallies", {
        "day": tally.on, "format": tally.format, "count": tally.count, "language": tally.language,
        "topics": json.dumps(tally.topics), "recorded_by": tally.recorded_by,
    })


def _contact(row) -> Contact:
    data = dict(zip(_CONTACT_COLUMNS, row, strict=True))
    return Contact(
        id=data["id"], family_id=data["family_id"], person_id=data["person_id"], on=data["day"],
        format=data["format"], language=data["language"], interpreter=bool(data["interpreter"]),
        topics=json.loads(data["topics"] or "[]"), referral=data["referral"], follow_up=data["follow_up"],
        outcome=data["outcome"], note=data["note"], recorded_by=data["recorded_by"], created=data["created"],
    )


def contacts(conn, family_id: str | None = None, first_day: str = "", last_day: str = "",
             limit: int = 10_000) -> list[Contact]:
    """Contacts, newest first; bounded by ``limit`` (a list on screen, a file on disk)."""
    sql = f"SELECT {', '.join(_CONTACT_COLUMNS)} FROM contacts WHERE deleted IS NULL"
    params: list = []
    if family_id is not None:
        sql += " AND family_id = ?"
        params.append(family_id)
    sql, params = _newest_in_period(sql, params, first_day, last_day, limit)
    return [_contact(r) for r in conn.execute(sql, params)]


def _newest_in_period(sql: str, params: list, first_day: str, last_day: str, limit: int) -> tuple[str, list]:
    """``sql`` limited to days ``first_day``..``last_day`` (either may be empty), newest first, bounded."""
    if first_day:
        sql += " AND day >= ?"
        params.append(first_day)
    if last_day:
        sql += " AND day <= ?"
        params.append(last_day)
    return sql + " ORDER BY day DESC, created DESC LIMIT ?", [*params, limit]


def last_contact_days(conn, family_ids: list[str]) -> dict[str, str]:
    """family id -> the day of its latest contact (for call lists)."""
    if not family_ids:
        return {}
    marks = ",".join("?" * len(family_ids))
    return dict(conn.execute(f"SELECT family_id, max(day) FROM contacts WHERE deleted IS NULL AND family_id IN ({marks})"
                             " GROUP BY family_id", family_ids).fetchall())


def tallies(conn, first_day: str = "", last_day: str = "", limit: int = 10_000) -> list[Tally]:
    sql, params = _newest_in_period(f"SELECT {', '.join(_TALLY_COLUMNS)} FROM tallies WHERE deleted IS NULL", [],
                                    first_day, last_day, limit)
    result = []
    for row in conn.execute(sql, params):
        data = dict(zip(_TALLY_COLUMNS, row, strict=True))
        result.append(Tally(id=data["id"], on=data["day"], format=data["format"], count=data["count"],
                            language=data["language"], topics=json.loads(data["topics"] or "[]"),
                            recorded_by=data["recorded_by"], created=data["created"]))
    return result
