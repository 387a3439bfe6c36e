"""The SQL of roll-ups at a Land office: one document per (office, first day, last day)."""

from __future__ import annotations

import json
from typing import Any


def created_of(conn, office: str, first: str, last: str) -> str | None:
    row = conn.execute("SELECT created FROM rollups WHERE office = ? AND first = ? AND last = ?",
                       (office, first, last)).fetchone()
    return row[0] if row else None


def put(conn, office: str, first: str, last: str, created: str, document: dict[str, Any], sha256: str,
        imported: str) -> None:
    conn.execute("INSERT OR REPLACE INTO rollups(office, first, last, created, document, sha256, imported)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (office, first, last, created, json.dumps(document, ensure_ascii=False), sha256, imported))


def any_stored(conn) -> bool:
    return conn.execute("SELECT 1 FROM rollups LIMIT 1").fetchone() is not None


def within(conn, first: str, last: str) -> list[dict[str, Any]]:
    """The documents whose period lies inside first..last (both included), by office and period."""
    return [json.loads(r[0]) for r in conn.execute(
        "SELECT document FROM rollups WHERE first >= ? AND last <= ? ORDER BY office, first", (first, last))]
