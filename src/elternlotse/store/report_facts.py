"""The SQL of the office's report: counts grouped in the database, never rows of people in Python.

Every function takes a period (``first``..``last``, local dates ``YYYY-MM-DD``, both included)
and returns grouped counts.  The dimension of a contact:

* ``navigator``: the node that recorded it (the last 16 characters of its ``created`` stamp);
* ``school`` and ``grade``: of the family's child in grade 8-10 with the lowest grade, else of its
  lowest grade (a family counts once, whatever the number of children); "" once erased;
* ``language``, ``format``, ``interpreter`` ("yes"/"no"), ``month`` (``YYYY-MM``);
* ``referral``: the referral key, ``other`` for free text (it may name a person), "" for none;
* ``topic``: each KAoA stage talked about (a contact with two topics counts in both rows).

Tallies have a format, language, topics, month and navigator; their other dimensions are "".
"""

from __future__ import annotations

from elternlotse.domain.contact_log import REFERRALS

DIMENSIONS = ("navigator", "school", "language", "format", "topic", "grade", "referral", "month", "interpreter")

_NODE = "substr({t}.created, length({t}.created) - 15)"
_REFERRAL = ("CASE WHEN c.referral = '' THEN '' WHEN c.referral IN ({keys}) THEN c.referral ELSE 'other' END"
             .format(keys=", ".join(f"'{k}'" for k in REFERRALS)))
_CONTACT_DIMENSIONS = {
    "navigator": _NODE.format(t="c"),
    "school": "coalesce(f.school, '')",
    "language": "c.language",
    "format": "c.format",
    "topic": "coalesce(t.value, '')",
    "grade": "coalesce(f.band, '')",
    "referral": _REFERRAL,
    "month": "substr(c.day, 1, 7)",
    "interpreter": "CASE WHEN c.interpreter THEN 'yes' ELSE 'no' END",
}
_TALLY_DIMENSIONS = {
    "navigator": _NODE.format(t="y"),
    "school": "''",
    "language": "y.language",
    "format": "y.format",
    "topic": "coalesce(t.value, '')",
    "grade": "''",
    "referral": "''",
    "month": "substr(y.day, 1, 7)",
    "interpreter": "''",
}


def prepare(conn) -> None:
    """Once per report: a temporary table of each family's school and grade band (one child stands for the family)."""
    conn.execute("DROP TABLE IF EXISTS temp.report_family")
    conn.execute(
        "CREATE TEMP TABLE report_family AS"
        " SELECT family_id, school, CASE WHEN grade BETWEEN 8 AND 10 THEN CAST(grade AS TEXT) ELSE 'other' END AS band"
        " FROM (SELECT family_id, school, grade, row_number() OVER"
        "   (PARTITION BY family_id ORDER BY (grade IS NULL OR grade NOT BETWEEN 8 AND 10), grade) AS n"
        "   FROM persons WHERE role = 'child' AND deleted IS NULL)"
        " WHERE n = 1")
    conn.execute("CREATE INDEX temp.report_family_id ON report_family(family_id)")


def contact_counts(conn, first: str, last: str, dimensions: tuple[str, ...], families: bool = False) -> list[tuple]:
    """(dimension values..., contacts[, distinct families]) grouped by ``dimensions`` (``prepare`` first)."""
    _check(dimensions)
    columns = [_CONTACT_DIMENSIONS[d] for d in dimensions]
    bands = ("LEFT JOIN temp.report_family f ON f.family_id = c.family_id"
             if {"school", "grade"} & set(dimensions) else "")
    topics = "LEFT JOIN json_each(c.topics) t" if "topic" in dimensions else ""
    select = ", ".join([*columns, "count(*)", *(["count(DISTINCT NULLIF(c.family_id, ''))"] if families else [])])
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(columns)))}" if columns else ""
    return conn.execute(f"SELECT {select} FROM contacts c {bands} {topics}"
                        f" WHERE c.deleted IS NULL AND c.day BETWEEN ? AND ?{group}", (first, last)).fetchall()


def tally_counts(conn, first: str, last: str, dimensions: tuple[str, ...]) -> list[tuple]:
    """(dimension values..., people counted) grouped by ``dimensions``."""
    _check(dimensions)
    columns = [_TALLY_DIMENSIONS[d] for d in dimensions]
    topics = "LEFT JOIN json_each(y.topics) t" if "topic" in dimensions else ""
    select = ", ".join([*columns, "coalesce(sum(y.count), 0)"])
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(columns)))}" if columns else ""
    return conn.execute(f"SELECT {select} FROM tallies y {topics} WHERE y.deleted IS NULL AND y.day BETWEEN ? AND ?"
                        f"{group}", (first, last)).fetchall()


def first_contacts(conn, first: str, last: str) -> int:
    """Contacts in the period that were their family's first contact ever."""
    return conn.execute(
        "SELECT count(*) FROM (SELECT family_id, min(day) AS day FROM contacts"
        " WHERE deleted IS NULL AND family_id != '' GROUP BY family_id) WHERE day BETWEEN ? AND ?",
        (first, last)).fetchone()[0]


def event_counts(conn, first: str, last: str) -> list[tuple[str, int, int, int]]:
    """(event type, events held, families named present, anonymous headcount) of events in the period."""
    return conn.execute(
        "SELECT e.type, count(*), coalesce(sum(a.families), 0), coalesce(sum(e.headcount), 0) FROM events e"
        " LEFT JOIN (SELECT event_id, count(DISTINCT family_id) AS families FROM attendance"
        "            WHERE present = 1 AND deleted IS NULL AND family_id != '' GROUP BY event_id) a ON a.event_id = e.id"
        " WHERE e.deleted IS NULL AND substr(e.starts, 1, 10) BETWEEN ? AND ? GROUP BY e.type", (first, last)).fetchall()


def handouts_given(conn, first: str, last: str) -> list[tuple[str, str, int]]:
    """(topic, language, count) of handouts given at events in the period."""
    return conn.execute(
        "SELECT json_extract(h.value, '$.topic'), json_extract(h.value, '$.language'),"
        " coalesce(sum(json_extract(h.value, '$.count')), 0) FROM events e, json_each(e.handouts) h"
        " WHERE e.deleted IS NULL AND substr(e.starts, 1, 10) BETWEEN ? AND ? GROUP BY 1, 2", (first, last)).fetchall()


def consent_counts(conn, first: str, last: str) -> list[tuple[str, int, int]]:
    """(purpose, given, withdrawn) of consent entries recorded in the period."""
    return conn.execute(
        "SELECT purpose, sum(granted = 1), sum(granted = 0) FROM consents WHERE substr(at, 1, 10) BETWEEN ? AND ?"
        " GROUP BY purpose", (first, last)).fetchall()


def erasures(conn, first_ms: int, last_ms: int) -> int:
    """Families erased in the period (tombstone stamps: milliseconds since 1970 before the first '-')."""
    return conn.execute(
        "SELECT count(*) FROM tombstones WHERE tbl = 'families' AND kind = 'erase'"
        " AND CAST(substr(stamp, 1, instr(stamp, '-') - 1) AS INTEGER) BETWEEN ? AND ?", (first_ms, last_ms)).fetchone()[0]


def peer_names(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT node_id, name FROM sync_peers").fetchall())


def _check(dimensions: tuple[str, ...]) -> None:
    unknown = set(dimensions) - set(DIMENSIONS)
    if unknown:
        raise KeyError(sorted(unknown))


# ---------------------------------------------------------------- anonymous counts (families without office consent)
def unshared_contact_cells(conn, shared_families: set[str], since_day: str) -> list[tuple]:
    """(month, format, language, topics JSON, grade band, contacts) of contacts with families not shared.

    ``prepare`` first.  Topics stay a sorted list per cell, so a contact counts once in every
    table but the topic table (as in the report).
    """
    conn.execute("DROP TABLE IF EXISTS temp.report_shared")
    conn.execute("CREATE TEMP TABLE report_shared (family_id TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.report_shared VALUES (?)", [(f,) for f in shared_families])
    return conn.execute(
        "SELECT substr(c.day, 1, 7), c.format, c.language,"
        " (SELECT coalesce(json_group_array(value), '[]') FROM (SELECT DISTINCT value FROM json_each(c.topics)"
        "   WHERE typeof(value) = 'text' ORDER BY value)),"
        " coalesce(f.band, ''), count(*)"
        " FROM contacts c LEFT JOIN temp.report_family f ON f.family_id = c.family_id"
        " WHERE c.deleted IS NULL AND c.family_id != '' AND c.day >= ?"
        " AND c.family_id NOT IN (SELECT family_id FROM temp.report_shared)"
        " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5", (since_day,)).fetchall()


def anonymous_seq(conn, sender: str) -> int:
    row = conn.execute("SELECT max(seq) FROM anonymous_counts WHERE sender = ?", (sender,)).fetchone()
    return row[0] or 0


def replace_anonymous(conn, sender: str, seq: int, cells: list[tuple]) -> None:
    """The sender's newest snapshot replaces its older one (a snapshot, so a file read twice never counts twice)."""
    import json

    conn.execute("DELETE FROM anonymous_counts WHERE sender = ?", (sender,))
    conn.executemany(
        "INSERT INTO anonymous_counts(sender, seq, month, format, language, topics, grade, contacts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(sender, seq, m, f, lang, json.dumps(list(t)), g, n) for m, f, lang, t, g, n in cells])


_ANONYMOUS_DIMENSIONS = {
    "navigator": "a.sender", "school": "''", "language": "a.language", "format": "a.format",
    "topic": "coalesce(t.value, '')", "grade": "a.grade", "referral": "''", "month": "a.month", "interpreter": "''",
}


def anonymous_contact_counts(conn, first: str, last: str, dimensions: tuple[str, ...]) -> list[tuple]:
    """(dimension values..., contacts) of the anonymous counts in the months of first..last."""
    _check(dimensions)
    columns = [_ANONYMOUS_DIMENSIONS[d] for d in dimensions]
    topics = "LEFT JOIN json_each(a.topics) t" if "topic" in dimensions else ""
    select = ", ".join([*columns, "coalesce(sum(a.contacts), 0)"])
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(columns)))}" if columns else ""
    return conn.execute(f"SELECT {select} FROM anonymous_counts a {topics} WHERE a.month BETWEEN ? AND ?{group}",
                        (first[:7], last[:7])).fetchall()
