"""Reads for the spreadsheet import (who is already here) and export (rows for the office's lists)."""

from __future__ import annotations

import json


def contact_index(conn) -> dict[str, str]:
    """Every stored phone number and e-mail address (lower case) -> the family holding it."""
    index: dict[str, str] = {}
    for kind, value, family_id in conn.execute(
            "SELECT c.kind, c.value, p.family_id FROM channels c JOIN persons p ON p.id = c.person_id"
            " JOIN families f ON f.id = p.family_id"
            " WHERE c.kind IN ('phone', 'email') AND c.deleted IS NULL AND p.deleted IS NULL AND f.deleted IS NULL"):
        index.setdefault(value.lower() if kind == "email" else value, family_id)
    return index


def live_family_ids(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM families WHERE deleted IS NULL")}


def family_ids(conn, limit: int) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT id FROM families WHERE deleted IS NULL ORDER BY created LIMIT ?", (limit,))]


def contact_rows(conn, limit: int) -> list[dict]:
    rows = conn.execute(
        "SELECT id, family_id, person_id, day, format, language, interpreter, topics, referral, follow_up, outcome,"
        " note, recorded_by FROM contacts WHERE deleted IS NULL ORDER BY day, created LIMIT ?", (limit,)).fetchall()
    keys = ("id", "family_id", "person_id", "day", "format", "language", "interpreter", "topics", "referral",
            "follow_up", "outcome", "note", "recorded_by")
    out = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        item["topics"] = _list(item["topics"])
        out.append(item)
    return out


def event_rows(conn, limit: int) -> list[dict]:
    rows = conn.execute(
        "SELECT e.id, e.type, e.title, e.starts, e.ends, e.place, e.topics, e.languages, e.interpreter, e.headcount,"
        " (SELECT count(*) FROM attendance a WHERE a.event_id = e.id AND a.present = 1 AND a.deleted IS NULL)"
        " FROM events e WHERE e.deleted IS NULL ORDER BY e.starts LIMIT ?", (limit,)).fetchall()
    keys = ("id", "type", "title", "starts", "ends", "place", "topics", "languages", "interpreter", "headcount",
            "present")
    out = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        item["topics"], item["languages"] = _list(item["topics"]), _list(item["languages"])
        out.append(item)
    return out


def _list(text: str) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []
