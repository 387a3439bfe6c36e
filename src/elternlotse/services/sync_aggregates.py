"""The "aggregates" section of a navigator's sync file (``sync/aggregates.py``): built here, stored at the office.

``build`` runs on the navigator at every export: the contacts of the last ``MONTHS_BACK`` months
with families outside the office-sharing scope (``sync/scope.py``, the one consent rule), as
anonymous cells.  It is a snapshot, not a delta: ``store`` at the office replaces the sender's
previous snapshot when the file is newer (its sequence number), so files read twice or out of
order never count twice.
"""

from __future__ import annotations

from datetime import date

from elternlotse.services import sync_collect as collect
from elternlotse.store import report_facts as facts
from elternlotse.sync.aggregates import MONTHS_BACK
from elternlotse.sync.scope import office_share_scope


def build(conn, today: date | None = None) -> list[list]:
    today = today or date.today()
    months = today.year * 12 + today.month - 1 - MONTHS_BACK
    since = f"{months // 12:04d}-{months % 12 + 1:02d}-01"
    scope = office_share_scope(collect.person_refs(conn), collect.office_consents(conn))
    facts.prepare(conn)
    import json

    return [[m, f, lang, json.loads(topics), grade, n]
            for m, f, lang, topics, grade, n in facts.unshared_contact_cells(conn, scope.families, since)]


def store(conn, sender: str, seq: int, cells: list[tuple]) -> bool:
    """Keep the sender's newest snapshot; False when a newer one is already kept."""
    if seq <= facts.anonymous_seq(conn, sender) and facts.anonymous_seq(conn, sender):
        return False
    facts.replace_anonymous(conn, sender, seq, cells)
    return True
