"""Saving a family with a removed person overwrites the erased data off the GUI thread."""

from __future__ import annotations

import threading

from elternlotse.app import open_store
from elternlotse.ui.main_window import MainWindow
from elternlotse.ui.pages.families_page import FamiliesPage
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE, family_document


def test_removing_a_child_leaves_the_overwrite_to_the_worker(qtbot, services, data_dir):
    doc = family_document(name="Olena Shevchenko")
    doc["children"] = [{"first_name": "Taras", "grade": 8}, {"first_name": "Mykola", "grade": 9}]
    family = services.families.add(doc)
    window = MainWindow(services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
    qtbot.addWidget(window)
    window.show()
    page = window.current_page()
    assert isinstance(page, FamiliesPage)
    page.open_family(family.id)
    detail = page.detail
    [mykola] = [e for e in detail.child_editors if e.first_name.text() == "Mykola"]
    detail.remove_person(mykola)
    window.tasks.submit(lambda services_, _progress: services_.store.info.name)  # the worker opens its own store
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20000)
    gate = threading.Event()
    window.tasks.submit(lambda _services, _progress: gate.wait(20))   # the worker is busy with something else
    assert detail.save()
    # The save returned before anything was overwritten: the store says an overwrite is due ...
    assert services.store.meta("scrub_pending") == "1"
    assert [c.first_name for c in services.families.get(family.id).children] == ["Taras"]
    # ... and the worker's connection does it (VACUUM, WAL truncated) once it is free, then clears the flag.
    gate.set()
    qtbot.waitUntil(lambda: services.store.meta("scrub_pending") is None, timeout=30000)
    wal = data_dir / "elternlotse.db-wal"
    assert not wal.exists() or wal.stat().st_size < 200_000
    window.shutdown()
    assert services.store.scrub_later is None   # a closed window hands the overwrite back to the store


def test_without_a_window_the_store_overwrites_at_once(services):
    doc = family_document(name="Olena Shevchenko")
    doc["children"] = [{"first_name": "Taras", "grade": 8}, {"first_name": "Mykola", "grade": 9}]
    family = services.families.add(doc)
    changed = services.families.document(family.id)
    changed["children"] = [c for c in changed["children"] if c["first_name"] == "Taras"]
    services.families.update(family.id, changed)
    assert services.store.meta("scrub_pending") is None   # the CLI's way: overwritten before the command ends
