"""The Duplicates page (issue 16, item 2): candidates off the GUI thread, side by side, merge, not the same, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from conftest import PASSPHRASE, family_document
from elternlotse.app import open_store
from elternlotse.ui.pages.duplicates_page import DuplicatesPage
from elternlotse.ui.tasks import TaskRunner


def _doc(name, phone, email, child="Elif"):
    doc = family_document(name=name, phone=phone)
    doc["guardians"][0]["emails"] = [email]
    doc["guardians"][0]["messenger"] = []
    doc["children"][0]["first_name"] = child
    return doc


def _page(qtbot, services):
    page = DuplicatesPage(services)
    page.tasks = TaskRunner(lambda: open_store(services.store.path.parent, PASSPHRASE), page)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    return page


def _find(qtbot, page):
    qtbot.keyClick(page.find_button, Qt.Key.Key_Space)          # as a person would: focus is on the button
    qtbot.waitUntil(lambda: page.task is not None and page.task.is_done, timeout=20000)
    assert page.task.error is None, page.task.error


def test_office_finds_compares_merges_and_undoes(qtbot, office_services, qtmodeltester):
    f = office_services.families
    keep = f.add(_doc("Ayşe Yılmaz", "0176 1234 5678", "a@example.org"))
    other = f.add(_doc("Ayse Yilmaz", "+49 176 12345678", "b@example.org", child="Can"))
    lena = f.add(_doc("Olena Shevchenko", "0172 9999 8888", "o@example.org"))
    lena2 = f.add(_doc("Олена Шевченко", "0160 1111 0000", "o2@example.org"))
    page = _page(qtbot, office_services)
    assert page.focusWidget() is page.find_button          # focus placed on the page's first action
    _find(qtbot, page)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 2 and "2 candidate pairs" in page.status.text()
    pairs = {frozenset((c.first, c.second)) for c in page.model.rows()}
    assert pairs == {frozenset((keep.id, other.id)), frozenset((lena.id, lena2.id))}
    # the selected pair side by side
    pair = page.selected()
    assert pair is not None and page.comparison.rowCount() >= 7
    qtmodeltester.check(page.comparison)
    # "Not the same family" for the Olena pair: gone from the list, and from the next search too
    row = next(i for i, c in enumerate(page.model.rows()) if lena.id in (c.first, c.second))
    page.view.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    assert page.dismiss_selected()
    _find(qtbot, page)
    assert [frozenset((c.first, c.second)) for c in page.model.rows()] == [frozenset((keep.id, other.id))]
    # merge (keep the first of the pair), confirmed; a refusal to confirm changes nothing
    page.view.selectRow(0)
    assert not page.merge_selected(keep_first=True, confirm=lambda question: False)
    assert f.count() == 4
    first = page.selected().first
    asked = []
    assert page.merge_selected(keep_first=True, confirm=lambda question: asked.append(question) or True)
    assert "Ayşe Yılmaz" in asked[0] and "undone" in asked[0]
    assert f.count() == 3 and page.model.rowCount() == 0
    assert page.merge_model.rowCount() == 1
    qtmodeltester.check(page.merge_model)
    assert {c.first_name for c in f.get(first).children} == {"Elif", "Can"}
    # undo from the keyboard: Tab to the button, Space
    page.merge_view.selectRow(0)
    page.undo_button.setFocus()
    qtbot.keyClick(page.undo_button, Qt.Key.Key_Space)
    assert f.count() == 4 and "two families again" in page.status.text()
    assert page.merge_model.rows()[0].undone


def test_navigator_sees_its_duplicates_but_does_not_merge(qtbot, services):
    services.families.add(_doc("Ayşe Yılmaz", "0176 1234 5678", "a@example.org"))
    services.families.add(_doc("Ayse Yilmaz", "0176 1234 5678", "b@example.org"))
    page = _page(qtbot, services)
    _find(qtbot, page)
    assert page.model.rowCount() == 1
    assert not page.keep_first.isVisible() and not page.undo_button.isVisible()
    assert page.dismiss_button.isEnabled()
    assert page.dismiss_selected() and page.model.rowCount() == 0


def test_office_merges_a_duplicate_of_two_navigators_from_the_keyboard(qtbot, tmp_path, monkeypatch):
    """The same family recorded by A and by B: no refusal, and the confirmation names whose list it moves to."""
    from PySide6.QtWidgets import QMessageBox
    from sync_helpers import link, send

    from conftest import TEST_KDF
    from elternlotse.app import create_store

    office = create_store(tmp_path / "office", PASSPHRASE, "KoKo Hagen", office=True, key_derivation=TEST_KDF)
    navs = [create_store(tmp_path / n, PASSPHRASE, name, key_derivation=TEST_KDF)
            for n, name in (("a", "Lotsin Anna"), ("b", "Lotse Bekir"))]
    try:
        ids = {}
        for nav, (name, phone) in zip(navs, (("Ayşe Yılmaz", "0176 1234 5678"), ("Ayse Yilmaz", "+49 176 12345678")),
                                      strict=True):
            link(nav, office)
            doc = _doc(name, phone, f"{nav.store.info.name[-4:].lower()}@example.org")
            doc["consents"].append({"person": "g1", "purpose": "office", "granted": True, "at": "2026-11-01T10:00:00Z",
                                    "evidence": "signed_form", "text_version": "2026-1", "text_language": "de"})
            ids[nav.families.add(doc).id] = nav
            office.sync.import_files([send(nav, office, tmp_path, f"{nav.store.info.name}.elsync")])
        warnings, asked = [], []
        monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a))
        page = _page(qtbot, office)
        page._confirm = lambda question: asked.append(question) or True
        _find(qtbot, page)
        assert page.model.rowCount() == 1
        pair = page.selected()
        page.keep_first.setFocus()
        qtbot.keyClick(page.keep_first, Qt.Key.Key_Space)
        assert warnings == [] and len(asked) == 1
        keeper, absorbed = ids[pair.first], ids[pair.second]
        assert "different navigators" in asked[0]
        assert f"{keeper.store.info.name} ({keeper.store.info.node_id})" in asked[0]
        assert absorbed.store.info.name in asked[0]
        assert office.sync.owner_of(pair.second) == keeper.store.info.node_id
        assert page.merge_model.rowCount() == 1 and office.families.count() == 1
    finally:
        for s in (office, *navs):
            s.store.close()
