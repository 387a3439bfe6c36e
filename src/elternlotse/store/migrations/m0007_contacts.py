"""Contacts with families and anonymous tallies (synced records, store/tables.py).

``contacts`` rows are bound to a family (and optionally a guardian), so they travel
only under that family's consent; ``tallies`` hold a count and nothing about anyone.
"""

SQL = """
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL DEFAULT '',
    person_id TEXT NOT NULL DEFAULT '',
    day TEXT NOT NULL,
    format TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    interpreter INTEGER NOT NULL DEFAULT 0,
    topics TEXT NOT NULL DEFAULT '[]',
    referral TEXT NOT NULL DEFAULT '',
    follow_up TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX contacts_by_family ON contacts(family_id, day);
CREATE INDEX contacts_by_day ON contacts(day);

CREATE TABLE tallies (
    id TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    format TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 1),
    language TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '[]',
    recorded_by TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX tallies_by_day ON tallies(day);
"""


def apply(conn) -> None:
    for statement in SQL.split(";\n"):
        if statement.strip():
            conn.execute(statement)
