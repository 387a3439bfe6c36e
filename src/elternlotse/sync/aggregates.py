"""The "aggregates" section of a navigator's sync file: anonymous counts of families without office consent.

A family none of whose guardians consents to passing data to the office (``sync/scope.py``)
never travels; its contacts travel only as counts in coarse cells::

    [month "YYYY-MM", format, language, [topics...], grade band "8"|"9"|"10"|"other"|"", contacts]

No id, no name, no day, no school, no referral, no note: a cell says "n contacts in this month,
in this format and language, about these KAoA topics, with a family whose child is in this grade
band".  The office cannot tell which family a cell is about (it has no list of such families at
all), and it shows the counts only through the protected report.  ``parse`` is strict and bounded.
"""

from __future__ import annotations

import re
from typing import Any

from elternlotse.domain.contact_log import CONTACT_FORMAT_LABELS
from elternlotse.domain.fields import clean_text

KEY = "aggregates"
MAX_CELLS = 50_000
MAX_TOPICS = 20
MAX_CONTACTS = 10**7
MONTHS_BACK = 36
GRADES = ("8", "9", "10", "other", "")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TAG = re.compile(r"^[A-Za-z0-9_.-]{0,40}$")


def cell_ok(cell: Any) -> bool:
    if type(cell) is not list or len(cell) != 6:
        return False
    month, fmt, language, topics, grade, contacts = cell
    return (type(month) is str and bool(_MONTH.match(month)) and fmt in CONTACT_FORMAT_LABELS
            and type(language) is str and bool(_TAG.match(language))
            and type(topics) is list and len(topics) <= MAX_TOPICS
            and all(type(t) is str and _TAG.match(t) and t and clean_text(t) for t in topics)
            and topics == sorted(set(topics))
            and grade in GRADES and type(contacts) is int and 0 < contacts <= MAX_CONTACTS)


def parse(value: Any) -> list[tuple]:
    """The cells of a section, or ValueError naming what is wrong (the caller words the refusal)."""
    if type(value) is not list or len(value) > MAX_CELLS:
        raise ValueError("aggregates list")
    seen = set()
    cells = []
    for cell in value:
        if not cell_ok(cell):
            raise ValueError("aggregate cell")
        key = (cell[0], cell[1], cell[2], tuple(cell[3]), cell[4])
        if key in seen:
            raise ValueError("aggregate cell listed twice")
        seen.add(key)
        cells.append((*key, cell[5]))
    return cells
