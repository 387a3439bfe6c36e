"""The store's side of the retention review: activity dates and keep decisions (SQL only)."""

from __future__ import annotations

from datetime import date, datetime, timezone


def _day_of_stamp(stamp: str) -> str:
    ms = int(stamp.split("-", 1)[0]) if stamp and stamp.split("-", 1)[0].isdigit() else 0
    return datetime.fromtimestamp(ms / 1000, timezone.utc).date().isoformat()


def last_activity(conn) -> dict[str, str]:
    """family id -> the day of its newest change, consent entry or contact (YYYY-MM-DD)."""
    days: dict[str, str] = {}

    def newer(family_id: str, day: str) -> None:
        if day and day > days.get(family_id, ""):
            days[family_id] = day

    for family_id, stamp in conn.execute(
            "SELECT f.id, max(max(f.updated), coalesce(max(p.updated), '')) FROM families f"
            " LEFT JOIN persons p ON p.family_id = f.id WHERE f.deleted IS NULL AND f.merged_into = '' GROUP BY f.id"):
        newer(family_id, _day_of_stamp(stamp))
    for family_id, at in conn.execute(
            "SELECT p.family_id, max(c.at) FROM consents c JOIN persons p ON p.id = c.person_id GROUP BY p.family_id"):
        newer(family_id, (at or "")[:10])
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'contacts'").fetchone()
    if exists:
        for family_id, day in conn.execute(
                "SELECT family_id, max(day) FROM contacts WHERE deleted IS NULL AND family_id != '' GROUP BY family_id"):
            newer(family_id, day or "")
    return days


def kept(conn) -> dict[str, tuple[str, str]]:
    """family id -> (kept until, reason)."""
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT family_id, kept_until, reason FROM retention_decisions")}


def keep(conn, family_id: str, until: date, reason: str, by: str) -> None:
    conn.execute("INSERT OR REPLACE INTO retention_decisions(family_id, kept_until, reason, decided, decided_by)"
                 " VALUES (?, ?, ?, ?, ?)", (family_id, until.isoformat(), reason,
                                             datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), by))
