"""Erasure reaches every byte (issue 12): FTS5 ``secure-delete`` on the search index.

Without it a deleted row's tokens (names, phone digits, school) stay in the index's
shadow tables until segments happen to merge.  ``rebuild`` rewrites the index from
its content table, so tokens of families erased before this migration go too, and
``VACUUM_AFTER`` makes the migration runner rewrite the file, so free pages written
before ``PRAGMA secure_delete`` was switched on keep nothing either.
"""

VACUUM_AFTER = True


def apply(conn) -> None:
    conn.execute("INSERT INTO person_search(person_search, rank) VALUES ('secure-delete', 1)")
    conn.execute("INSERT INTO person_search(person_search) VALUES ('rebuild')")
