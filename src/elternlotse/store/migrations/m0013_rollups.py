"""Roll-ups at a Land office: one protected aggregate document per office and period (local, not synced)."""


def apply(conn) -> None:
    conn.execute(
        "CREATE TABLE rollups ("
        " office TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL, created TEXT NOT NULL,"
        " document TEXT NOT NULL, sha256 TEXT NOT NULL, imported TEXT NOT NULL,"
        " PRIMARY KEY (office, first, last))"
    )
    # At an office: the anonymous counts of each navigator's families without office consent
    # (the "aggregates" section of its sync files; the newest file's snapshot replaces the older).
    conn.execute(
        "CREATE TABLE anonymous_counts ("
        " sender TEXT NOT NULL, seq INTEGER NOT NULL, month TEXT NOT NULL, format TEXT NOT NULL,"
        " language TEXT NOT NULL, topics TEXT NOT NULL, grade TEXT NOT NULL, contacts INTEGER NOT NULL)"
    )
    conn.execute("CREATE INDEX anonymous_counts_sender ON anonymous_counts(sender)")
