"""Families without office consent leave the navigator's laptop only as anonymous counts; the office counts them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from elternlotse.domain.contact_log import Contact
from elternlotse.domain.errors import ValidationError
from elternlotse.services.sync import SyncService
from elternlotse.sync import aggregates
from elternlotse.sync.fileformat import open_sealed
from tests.conftest import family_document
from tests.sync_helpers import link, send, shared_document

TODAY = date.today()


def test_an_unshared_family_travels_only_as_counts(services, office_services, tmp_path):
    link(services, office_services)
    shared = services.families.add(shared_document(name="Geteilt Familie")).id
    private = family_document(name="Zeynep Privat", phone="0176 9999 1234", notes="Wohnt bei der Tante")
    private["guardians"][0]["address"] = "Lindenweg 7, 58095 Hagen"
    private["guardians"][0]["emails"] = ["zeynep.privat@example.org"]
    private["children"][0]["school"] = "Realschule Privatweg"
    private["children"][0]["first_name"] = "Defne"
    hidden = services.families.add(private)
    day = TODAY.replace(day=1).isoformat()
    for fid in (shared, hidden.id, hidden.id):
        services.contacts.add(Contact(family_id=fid, on=day, format="home_visit", language="tr", topics=["pa", "bfe"]))
    path = send(services, office_services, tmp_path, "n.elsync")

    office = SyncService(office_services.store)
    _, plain = open_sealed(path.read_bytes(), str(path), office.node_id, office._sender_key, office.secrets())
    text = plain.decode("utf-8")
    person_ids = [r[0] for r in services.store.conn.execute("SELECT id FROM persons WHERE family_id = ?", (hidden.id,))]
    contact_ids = [r[0] for r in services.store.conn.execute("SELECT id FROM contacts WHERE family_id = ?",
                                                             (hidden.id,))]
    for value in ("Zeynep", "Privat", "9999", "zeynep.privat", "Lindenweg", "Tante", "Realschule", "Defne",
                  hidden.id, *person_ids, *contact_ids):
        assert value not in text, value
    cells = json.loads(text)[aggregates.KEY]
    assert cells == [[day[:7], "home_visit", "tr", ["bfe", "pa"], "8", 2]]

    office_services.sync.import_files([path])
    report = office_services.reports.build(TODAY.replace(month=1, day=1).isoformat(), TODAY.isoformat(),
                                           ("format", "topic"))
    figures = dict(report.key_figures)
    assert figures["Contacts with families"] == 3 and figures["Families reached"] == 1
    assert figures["of these, with families counted anonymously (no consent to share)"] == 2
    by_topic = next(t for t in report.tables if t.key == "by-topic")
    assert sorted(row[0] for row in by_topic.cells) == [3, 3]     # each topic: one shared + two anonymous contacts

    again = send(services, office_services, tmp_path, "n2.elsync")   # a newer snapshot replaces, never adds
    office_services.sync.import_files([again])
    assert dict(office_services.reports.build(TODAY.replace(month=1, day=1).isoformat(), TODAY.isoformat())
                .key_figures)["Contacts with families"] == 3


@pytest.mark.parametrize("cell", [
    ["2026-13", "home_visit", "tr", [], "8", 1], ["2026-01", "dinner", "tr", [], "8", 1],
    ["2026-01", "home_visit", "tr", ["pa", "pa"], "8", 1], ["2026-01", "home_visit", "tr", [], "7", 1],
    ["2026-01", "home_visit", "tr", [], "8", 0], ["2026-01", "home_visit", "tr", [], "8", True],
    ["2026-01", "home_visit", "Ayşe Yılmaz", [], "8", 1], ["2026-01", "home_visit", "tr", [], "8", 1, "id"],
])
def test_hostile_cells_are_refused(cell):
    assert not aggregates.cell_ok(cell)
    with pytest.raises(ValueError):
        aggregates.parse([cell])
    assert aggregates.parse([["2026-01", "home_visit", "tr", ["pa"], "8", 1]])


def test_an_office_file_with_aggregates_is_refused(services, office_services):
    from elternlotse.store.tables import SYNCED_FIELDS
    from elternlotse.sync import payload
    from elternlotse.sync.fileformat import Header

    header = Header(1, 1, "a" * 16, "b" * 16, 1, "", "", "2026-12-02T00:00:00Z", 0)
    doc = payload.build(header, "office", [], [], [], "", [], [], {})
    doc[aggregates.KEY] = []
    with pytest.raises(ValidationError, match="aggregates from an office"):
        payload.parse(json.dumps(doc).encode(), header, SYNCED_FIELDS, "f")
