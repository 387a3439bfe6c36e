"""Duplicates across navigators (issue 16): merges, their undo, and "not the same family".

``families.merged_into`` is a synced field: the survivor's id when the office merged this
family into another one, "" otherwise (and again "" after an undo).  It is the synced merge
record: it reaches every laptop that holds the absorbed family, where the family becomes a
pointer to the survivor.  ``family_merges`` (local, office) keeps what each merge moved, so
``duplicates undo`` can put every record back; ``duplicate_dismissals`` (local) remembers
pairs someone marked as not the same family (the smaller id first).
"""


def apply(conn) -> None:
    conn.execute("ALTER TABLE families ADD COLUMN merged_into TEXT NOT NULL DEFAULT ''")
    conn.execute(
        "CREATE TABLE family_merges ("
        " id INTEGER PRIMARY KEY, keep TEXT NOT NULL, other TEXT NOT NULL, at TEXT NOT NULL,"
        " actor TEXT NOT NULL, moved TEXT NOT NULL, keep_notes TEXT NOT NULL DEFAULT '', undone TEXT)"
    )
    conn.execute("CREATE INDEX family_merges_by_other ON family_merges(other)")
    conn.execute(
        "CREATE TABLE duplicate_dismissals ("
        " first TEXT NOT NULL, second TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,"
        " PRIMARY KEY (first, second)) WITHOUT ROWID"
    )
