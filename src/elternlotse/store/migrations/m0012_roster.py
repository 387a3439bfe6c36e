"""The office's navigator roster (local) and the partners directory (synced, office-owned).

``navigators``, ``navigator_modules`` and ``navigator_hours`` are office-local bookkeeping:
not in ``store/tables.py``, so no change log, no sync; written inside ``Store.write`` (audit).
``partners`` is a synced table (``store/tables.py``) that only an office writes
(``domain/records.py`` ``OFFICE_OWNED``, ``services/sync_trust.py``).
"""

SQL = """
CREATE TABLE navigators (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT '[]',
    node_id TEXT NOT NULL DEFAULT '',
    police_check TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE navigator_modules (
    navigator_id TEXT NOT NULL REFERENCES navigators(id),
    module_key TEXT NOT NULL,
    completed TEXT NOT NULL,
    PRIMARY KEY (navigator_id, module_key)
);
CREATE TABLE navigator_hours (
    id TEXT PRIMARY KEY,
    navigator_id TEXT NOT NULL REFERENCES navigators(id),
    day TEXT NOT NULL,
    hours TEXT NOT NULL,
    kind TEXT NOT NULL,
    activity TEXT NOT NULL DEFAULT '',
    event_id TEXT NOT NULL DEFAULT '',
    allowance TEXT NOT NULL DEFAULT '',
    amount_cents INTEGER NOT NULL DEFAULT 0 CHECK (amount_cents >= 0),
    created TEXT NOT NULL
);
CREATE INDEX navigator_hours_by_navigator ON navigator_hours(navigator_id, day);

CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    contact_person TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
"""


def apply(conn) -> None:
    for statement in SQL.split(";\n"):
        if statement.strip():
            conn.execute(statement)
