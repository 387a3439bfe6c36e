"""The store's schema through sqlite-utils: checks against the code's table lists, and schema changes.

sqlite-utils reads a schema better than hand-written ``sqlite_master``/``PRAGMA``
queries (columns, primary keys, indexes, triggers, virtual tables as objects) and
its ``Table.transform()`` does what SQLite's ``ALTER TABLE`` cannot (change a
column's type, drop or reorder columns, change the primary key or NOT NULL) by
rebuilding the table.  It is imported here on first use only: nothing on the way
to the first page needs it (docs/performance.md).

* ``problems(conn)``: what does not match ``store.tables`` (every synced table has
  ``id``/``created``/``updated``/``deleted`` and its synced fields; personal fields
  are synced fields, so erasure can clear them from the change log), the
  append-only triggers and the FTS5 search table.  Run by the tests after every
  migration and by ``elternlotse self-test``.
* ``transform(conn, table, ...)``: for a *migration* (the only place a schema
  changes; rule in docs/architecture.md, "Store").  It runs inside the migration's
  transaction (sqlite-utils uses a savepoint there), keeps indexes (sqlite-utils
  does) and the table's triggers (sqlite-utils drops them: they are created
  again here), and refuses virtual tables.
"""

from __future__ import annotations

from typing import Any

from elternlotse.store.tables import PERSONAL_FIELDS, SYNCED_FIELDS

RECORD_COLUMNS = ("id", "created", "updated", "deleted")
APPEND_ONLY_TRIGGERS = {"consents": "consents_append_only", "audit": "audit_append_only"}
SEARCH_TABLE = "person_search"


def database(conn):
    """A ``sqlite_utils.Database`` on the store's open connection (reads and migrations only)."""
    import sqlite_utils

    return sqlite_utils.Database(conn)


def problems(conn) -> list[str]:
    """Each mismatch between the live schema and ``store.tables`` as one line (empty: all good)."""
    db = database(conn)
    tables = set(db.table_names())
    found: list[str] = []
    for table, fields in SYNCED_FIELDS.items():
        if table not in tables:
            found.append(f"{table}: synced table missing")
            continue
        columns = db[table].columns_dict
        found += [f"{table}.{c}: column missing" for c in (*RECORD_COLUMNS, *fields) if c not in columns]
        if db[table].pks != ["id"]:
            found.append(f"{table}: primary key is {db[table].pks}, not ['id']")
    for table, fields in PERSONAL_FIELDS.items():
        synced = SYNCED_FIELDS.get(table, ())
        found += [f"{table}.{f}: personal field that is not synced (erasure would miss the change log)"
                  for f in fields if f not in synced]
    for table, trigger in APPEND_ONLY_TRIGGERS.items():
        if table not in tables or trigger not in {t.name for t in db[table].triggers}:
            found.append(f"{table}: trigger {trigger} missing (the table must stay append-only)")
    if SEARCH_TABLE not in tables or (db[SEARCH_TABLE].virtual_table_using or "").upper() != "FTS5":
        found.append(f"{SEARCH_TABLE}: not an FTS5 table")
    return found


def transform(conn, table: str, **changes: Any) -> None:
    """``Table.transform(**changes)`` inside the running migration, triggers kept.

    ``changes`` are sqlite-utils' (``types``, ``rename``, ``drop``, ``not_null``,
    ``defaults``, ``column_order``, ...).  Must run inside a transaction (the
    migration's), so that a failure leaves the old table as it was.
    """
    if not conn.in_transaction:
        raise RuntimeError("schema.transform runs inside a migration's transaction")
    db = database(conn)
    target = db[table]
    if not target.exists() or db[table].virtual_table_using:
        raise ValueError(f"{table}: not a table that transform() can rebuild")
    triggers = [t.sql for t in target.triggers]
    target.transform(**changes)
    for sql in triggers:
        conn.execute(sql)
