"""Ownership: every family has an owner node (docs/sync-format.md, "Trust model").

``families.owner`` is a synced field.  Empty means "the node that recorded the family"
(the node of its ``created`` stamp); only an office writes it, when it hands a family
over to a navigator (``elternlotse handover``).  Everything under a family (persons,
channels, KAoA rows, consent entries, attendance) belongs to the family's owner.
The index lets the conflict list read open conflicts without a scan.
"""


def apply(conn) -> None:
    conn.execute("ALTER TABLE families ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
    conn.execute("CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved, id)")
