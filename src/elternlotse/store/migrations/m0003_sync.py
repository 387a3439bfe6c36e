"""Sync by file: trusted peers, the ledger of sync files, conflicts to review, family origin.

All four tables are local bookkeeping (not synced).  The installation's own
keys live in ``meta`` (``sync.signing_key``, ``sync.age_identity``), inside the
encrypted store.  See docs/sync-format.md.
"""

SQL = """
CREATE TABLE sync_peers (
    node_id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('navigator', 'office')),
    signing_key TEXT NOT NULL,
    encryption_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    trusted_at TEXT NOT NULL,
    seq_out INTEGER NOT NULL DEFAULT 0,
    acked_by_peer TEXT NOT NULL DEFAULT '',
    acked_from_peer TEXT NOT NULL DEFAULT '',
    last_seq_in INTEGER NOT NULL DEFAULT 0,
    last_export_at TEXT NOT NULL DEFAULT '',
    last_export_file TEXT NOT NULL DEFAULT '',
    last_import_at TEXT NOT NULL DEFAULT '',
    last_import_file TEXT NOT NULL DEFAULT '',
    last_receipt_at TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sync_files (
    sha256 TEXT PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    peer TEXT NOT NULL,
    seq INTEGER NOT NULL,
    clock_from TEXT NOT NULL,
    clock_to TEXT NOT NULL,
    at TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    report TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_files_by_peer ON sync_files(peer, direction, seq);

CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    lost_value TEXT,
    lost_stamp TEXT NOT NULL,
    kept_stamp TEXT NOT NULL,
    detected TEXT NOT NULL,
    resolved TEXT NOT NULL DEFAULT '',
    resolution TEXT NOT NULL DEFAULT '',
    UNIQUE (tbl, row_id, field, lost_stamp)
);

CREATE TABLE sync_origin (
    family_id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL
)
"""


def apply(conn) -> None:
    for statement in SQL.split(";\n"):
        if statement.strip():
            conn.execute(statement)
