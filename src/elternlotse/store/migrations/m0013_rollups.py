"""Roll-ups at a Land office: one protected aggregate document per office and period (local, not synced)."""


def apply(conn) -> None:
    conn.execute(
        "CREATE TABLE rollups ("
        " office TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL, created TEXT NOT NULL,"
        " document TEXT NOT NULL, sha256 TEXT NOT NULL, imported TEXT NOT NULL,"
        " PRIMARY KEY (office, first, last))"
    )
