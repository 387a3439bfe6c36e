"""Lost laptop: an office can revoke a navigator's key (local bookkeeping, not synced).

``revoked_at`` (UTC, ISO 8601; empty while the key is trusted) and ``revoked_reason`` (as the
office typed it, optional).  A revoked peer stays in ``sync_peers``: its ledger, its sequence
numbers and the families it recorded still refer to it.
"""


def apply(conn) -> None:
    conn.execute("ALTER TABLE sync_peers ADD COLUMN revoked_at TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE sync_peers ADD COLUMN revoked_reason TEXT NOT NULL DEFAULT ''")
