"""Merges across navigators (issue 16): whose the absorbed family was before the merge.

``family_merges.other_owner`` (local, office) is the node that owned the absorbed family when
the office merged it into a survivor of another owner ("" for a merge of two families of one
owner).  The merge hands the absorbed family to the survivor's owner (``families.owner``, synced);
``duplicates undo`` hands it back to ``other_owner``.  docs/sync-format.md, "Merges across navigators".
"""


def apply(conn) -> None:
    conn.execute("ALTER TABLE family_merges ADD COLUMN other_owner TEXT NOT NULL DEFAULT ''")
