"""KAoA: installed catalogues, per-child checklists and corrections, events and attendance.

``catalogs`` is local (each device installs catalogues; the office distributes
them through sync files).  The other tables are synced records (store/tables.py).
Checklist and attendance rows have deterministic ids (child/stage/item,
event/family/person) so that two devices ticking the same item meet in one row.
"""

SQL = """
CREATE TABLE catalogs (
    catalog_id TEXT NOT NULL,
    version TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    document TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    installed TEXT NOT NULL,
    PRIMARY KEY (catalog_id, version)
);

CREATE TABLE checklist_items (
    id TEXT PRIMARY KEY,
    child_id TEXT NOT NULL DEFAULT '',
    family_id TEXT NOT NULL DEFAULT '',
    stage_key TEXT NOT NULL,
    item_key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'discussed', 'done', 'not_applicable')),
    date TEXT NOT NULL DEFAULT '',
    done_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX checklist_by_child ON checklist_items(child_id);
CREATE INDEX checklist_by_family ON checklist_items(family_id);

CREATE TABLE child_corrections (
    id TEXT PRIMARY KEY,
    child_id TEXT NOT NULL DEFAULT '',
    family_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    school_year TEXT NOT NULL,
    grade INTEGER,
    target_group TEXT NOT NULL DEFAULT '',
    school TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX corrections_by_child ON child_corrections(child_id);
CREATE INDEX corrections_by_family ON child_corrections(family_id);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    starts TEXT NOT NULL,
    ends TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '[]',
    speakers TEXT NOT NULL DEFAULT '[]',
    languages TEXT NOT NULL DEFAULT '[]',
    interpreter INTEGER NOT NULL DEFAULT 0,
    headcount INTEGER NOT NULL DEFAULT 0,
    handouts TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX events_by_start ON events(starts);

CREATE TABLE attendance (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    family_id TEXT NOT NULL DEFAULT '',
    person_id TEXT NOT NULL DEFAULT '',
    present INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted TEXT
);
CREATE INDEX attendance_by_event ON attendance(event_id);
CREATE INDEX attendance_by_family ON attendance(family_id)
"""


def apply(conn) -> None:
    for statement in SQL.split(";\n"):
        if statement.strip():
            conn.execute(statement)
