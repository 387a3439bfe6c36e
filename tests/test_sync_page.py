"""The Sync page: trust with the fingerprint shown, export and inbox off the GUI thread, conflicts."""

from __future__ import annotations

from conftest import PASSPHRASE, TEST_KDF
from elternlotse.app import open_store
from elternlotse.ui.pages.sync_page import ConflictModel, FamilyChangeModel, PeerModel, RowRole, SyncPage
from elternlotse.ui.tasks import TaskRunner
from sync_helpers import later_than, send, shared_document


def _page(qtbot, services):
    page = SyncPage(services)
    folder = services.store.path.parent
    page.tasks = TaskRunner(lambda: open_store(folder, PASSPHRASE), page)
    qtbot.addWidget(page)
    return page


def _wait(qtbot, task):
    qtbot.waitUntil(lambda: task.is_done, timeout=20000)
    assert task.error is None, task.error


def test_trust_shows_the_fingerprint_and_asks(qtbot, services, office_services, tmp_path, qtmodeltester):
    page = _page(qtbot, services)
    card_path = tmp_path / "office.card"
    office_services.sync.write_card(card_path)
    shown = []
    assert not page.trust_card_file(str(card_path), lambda card: shown.append(card.fingerprint) or False)
    assert shown == [office_services.sync.own_card().fingerprint] and services.sync.peers() == []
    assert page.trust_card_file(str(card_path), lambda card: True)
    assert page.peer_model.rowCount() == 1
    index = page.peer_model.index(0, PeerModel.FINGERPRINT)
    assert page.peer_model.data(index) == shown[0]
    assert page.peer_model.data(index, RowRole).node_id == office_services.store.info.node_id
    assert "Last receipt from the office" in page.status.text()
    qtmodeltester.check(page.peer_model)
    page.tasks.shutdown()


def test_navigator_exports_and_office_inbox_imports(qtbot, services, office_services, tmp_path, qtmodeltester):
    services.sync.trust(office_services.sync.own_card())
    office_services.sync.trust(services.sync.own_card())
    services.families.add(shared_document())
    nav_page = _page(qtbot, services)
    usb = tmp_path / "usb"
    usb.mkdir()
    _wait(qtbot, nav_page.export_to_folder(str(usb)))
    [exported] = list(usb.glob("*.elsync"))
    assert "file 1" in nav_page.report.toPlainText()
    assert "never" not in nav_page.status.text()
    nav_page.tasks.shutdown()

    office_page = _page(qtbot, office_services)
    garbage = tmp_path / "note.txt"
    garbage.write_text("not a sync file")
    _wait(qtbot, office_page.import_paths([str(exported), str(garbage), str(exported)]))
    text = office_page.report.toPlainText()
    assert "New: 6" in text and "Refused: 1" in text and "not an Elternlotse sync file" in text
    assert office_services.families.count() == 1
    assert office_page.peer_model.data(office_page.peer_model.index(0, PeerModel.LAST_SEQ_IN)) == "1"
    qtmodeltester.check(office_page.peer_model)
    # the change report per family, in a table: which family, from whom, what
    model = office_page.change_model
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.data(model.index(0, FamilyChangeModel.FAMILY)) == "Ayşe Yılmaz"
    assert model.data(model.index(0, FamilyChangeModel.SENDER)).startswith("Ayla Navigator")
    assert "new:" in model.data(model.index(0, FamilyChangeModel.WHAT))
    office_page.tasks.shutdown()


def test_conflicts_are_listed_and_resolved(qtbot, services, office_services, tmp_path, qtmodeltester):
    nav, office = services, office_services
    nav.sync.trust(office.sync.own_card())
    office.sync.trust(nav.sync.own_card())
    family = nav.families.add(shared_document())
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    nav.sync.import_files([send(office, nav, tmp_path, "r.elsync")])
    for side, notes in ((office, "Büro"), (nav, "Lotsin")):
        later_than(side, office)
        doc = side.families.document(family.id)
        doc["notes"] = notes
        side.families.update(family.id, doc)
    office.sync.import_files([send(nav, office, tmp_path, "2.elsync")])
    page = _page(qtbot, office)
    assert page.conflict_model.rowCount() == 1
    qtmodeltester.check(page.conflict_model)
    assert page.conflict_model.data(page.conflict_model.index(0, ConflictModel.OTHER)) == "Büro"
    assert not page.other_button.isEnabled()
    page.conflict_view.selectRow(0)
    assert page.other_button.isEnabled()
    page.other_button.click()
    assert page.conflict_model.rowCount() == 0
    assert office.families.document(family.id)["notes"] == "Büro"
    page.grab().save(str(tmp_path / "sync-page.png"))
    page.tasks.shutdown()


def test_office_exports_for_the_selected_navigator_and_navigator_imports(qtbot, services, office_services, tmp_path):
    nav, office = services, office_services
    nav.sync.trust(office.sync.own_card())
    office.sync.trust(nav.sync.own_card())
    family = nav.families.add(shared_document())
    office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
    office.families.erase(family.id)
    page = _page(qtbot, office)
    page.peer_view.selectRow(0)
    assert page.selected_peer().node_id == nav.store.info.node_id
    out = tmp_path / "for-navigator"
    out.mkdir()
    _wait(qtbot, page.export_to_folder(str(out)))
    [package] = list(out.glob("*.elsync"))
    page.tasks.shutdown()
    nav_page = _page(qtbot, nav)
    _wait(qtbot, nav_page.import_paths([str(package)]))
    assert "Erasures: 6" in nav_page.report.toPlainText()
    assert not nav.families.exists(family.id)
    assert "none yet" not in nav_page.status.text()   # the receipt arrived
    nav_page.tasks.shutdown()


def test_a_refused_change_is_listed_under_its_family(qtbot, services, office_services, tmp_path, qtmodeltester):
    """Another navigator's file renaming Ayla's guardian: the office's table says whose family and why."""
    from elternlotse.app import create_store
    from sync_helpers import hostile_file, link, stamp_of

    nav, office = services, office_services
    link(nav, office)
    other = create_store(tmp_path / "other", PASSPHRASE, "Lotse B", key_derivation=TEST_KDF)
    try:
        link(other, office)
        family = nav.families.add(shared_document())
        office.sync.import_files([send(nav, office, tmp_path, "1.elsync")])
        stamp = stamp_of(other.store.info.node_id)
        path = hostile_file(other, office, tmp_path, "b.elsync",
                            rows=[("persons", family.guardians[0].id, [("name", stamp, "Mallory")])])
        page = _page(qtbot, office)
        _wait(qtbot, page.import_paths([str(path)]))
        model = page.change_model
        qtmodeltester.check(model)
        assert model.rowCount() == 1
        assert model.data(model.index(0, FamilyChangeModel.FAMILY)) == "Ayşe Yılmaz"
        assert model.data(model.index(0, FamilyChangeModel.SENDER)).startswith("Lotse B")
        what = model.data(model.index(0, FamilyChangeModel.WHAT))
        assert "refused" in what and "Ayla Navigator" in what
        assert "1 record was refused" in page.report.toPlainText()
        assert office.families.get(family.id).guardians[0].name == "Ayşe Yılmaz"
        page.tasks.shutdown()
    finally:
        other.store.close()
