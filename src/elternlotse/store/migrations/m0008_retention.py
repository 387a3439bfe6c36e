"""Retention decisions: a family kept on purpose ("keep, because ...") until a date (local, not synced)."""


def apply(conn) -> None:
    conn.execute(
        "CREATE TABLE retention_decisions ("
        " family_id TEXT PRIMARY KEY, kept_until TEXT NOT NULL, reason TEXT NOT NULL,"
        " decided TEXT NOT NULL, decided_by TEXT NOT NULL)"
    )
