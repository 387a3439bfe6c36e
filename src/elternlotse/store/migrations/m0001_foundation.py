"""Families, persons, channels, consent history, change log, tombstones, audit, search."""

SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE families (
    id TEXT PRIMARY KEY,
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT,
    erased TEXT
);
CREATE INDEX families_by_created ON families(created);

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('guardian', 'child')),
    name TEXT NOT NULL DEFAULT '',
    grade INTEGER,
    school TEXT NOT NULL DEFAULT '',
    school_year TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',
    address TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX persons_by_family ON persons(family_id);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'messenger')),
    value TEXT NOT NULL DEFAULT '',
    app TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX channels_by_person ON channels(person_id);
CREATE INDEX channels_by_value ON channels(kind, value);

-- Append-only: rows are never updated; the current state is derived.
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
    at TEXT NOT NULL,
    recorded_by TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL,
    text_version TEXT NOT NULL DEFAULT '',
    text_language TEXT NOT NULL DEFAULT '',
    stamp TEXT NOT NULL
);
CREATE INDEX consents_by_person ON consents(person_id);
CREATE TRIGGER consents_append_only BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;

-- Per-field change log, written in the same transaction as the change.
CREATE TABLE changes (
    stamp TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (tbl, row_id, field, stamp)
);
CREATE INDEX changes_by_stamp ON changes(stamp);

CREATE TABLE tombstones (
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    stamp TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('delete', 'erase')),
    PRIMARY KEY (tbl, row_id)
);

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    stamp TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- Search: FTS5 rows keyed by search_docs.rowid, so one family's rows can be
-- replaced through an index instead of a scan of the FTS table.
CREATE TABLE search_docs (
    rowid INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL,
    family_id TEXT NOT NULL
);
CREATE INDEX search_docs_by_family ON search_docs(family_id);
CREATE VIRTUAL TABLE person_search USING fts5(
    folded, skeleton, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
"""


def apply(conn) -> None:
    for statement in SQL.split(";\n"):
        if statement.strip():
            conn.execute(statement)
