"""Reports page, roll-up part: an office exports its roll-up, a Land office imports a batch and reports one level up.

Real stores, real signed roll-up files made by the service, the page driven by its mnemonics.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractButton, QFileDialog

from elternlotse.app import create_store, open_store
from elternlotse.domain.contact_log import Contact, Tally
from elternlotse.domain.errors import ValidationError
from elternlotse.sync.fileformat import read_header
from elternlotse.ui.models.list_model import RowRole
from elternlotse.ui.models.rollup_models import RESULT
from elternlotse.ui.pages.reports_page import ReportsPage
from elternlotse.ui.tasks import TaskRunner, error_text
from tests.conftest import PASSPHRASE, TEST_KDF, family_document
from tests.sync_helpers import link, shared_document

TODAY = date(2026, 12, 2)
ALT = Qt.KeyboardModifier.AltModifier


def plain(text: str) -> str:
    """Without the bidi isolates and marks the page puts around values."""
    return "".join(c for c in text if c not in "\u2066\u2067\u2068\u2069\u200e\u200f")


def _store(folder: Path, name: str, organisation: str, office: bool = True):
    services = create_store(folder, PASSPHRASE, name, organisation, office=office, key_derivation=TEST_KDF)
    services.contacts.today = lambda: TODAY
    services.reports.today = lambda: TODAY
    return services


def _record(services, families: int, language: str, tag: str) -> None:
    for i in range(families):
        fid = services.families.add(shared_document(name=f"{tag} Familie {i}", phone=f"0176 3000 {i:04d}")).id
        services.contacts.add(Contact(family_id=fid, on=f"2026-10-{1 + i % 9:02d}", format="phone_call",
                                      language=language, topics=["pa"]))
    services.contacts.tally(Tally(on="2026-11-20", format="parent_teacher_day", count=7, language=language))


@pytest.fixture
def world(tmp_path):
    """A Land office and two offices with records of their own, each office trusted by the Land office."""
    land = _store(tmp_path / "land", "KAUSA-Landesstelle", "Landesstelle NRW")
    office_a = _store(tmp_path / "a", "KoKo Hagen", "Stadt Hagen")
    office_b = _store(tmp_path / "b", "KoKo Unna", "Kreis Unna")
    _record(office_a, 12, "tr", "A")
    _record(office_b, 8, "fa", "B")
    _record(land, 6, "uk", "L")         # the Land office's own records: the source switch has two sources
    for office in (office_a, office_b):
        link(office, land)
    yield land, office_a, office_b, tmp_path
    for services in (land, office_a, office_b):
        services.store.close()


def _page(qtbot, services, data_dir: Path) -> ReportsPage:
    page = ReportsPage(services)
    page.tasks = TaskRunner(lambda: open_store(data_dir, PASSPHRASE), page)
    qtbot.addWidget(page)
    page.first.setDate(QDate(2026, 1, 1))
    page.last.setDate(QDate(2026, 12, 2))
    page.show()
    page.activateWindow()
    qtbot.waitExposed(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None, timeout=30000)
    return page


def _settle(qtbot, page) -> None:
    """Every task done and the window active again (a progress dialog may have taken the activation)."""
    qtbot.waitUntil(lambda: not page.tasks.busy, timeout=30000)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5000)


def test_an_office_exports_its_roll_up_by_keyboard(qtbot, world, monkeypatch):
    land, office_a, _office_b, folder = world
    page = _page(qtbot, office_a, folder / "a")
    try:
        asked = []
        target = folder / "out" / "hagen.elrollup"
        target.parent.mkdir()
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *a, **k: (asked.append(a[2]), (str(target), ""))[1])
        _settle(qtbot, page)
        qtbot.keyClick(page, Qt.Key.Key_X, ALT)                     # "E&xport roll-up..."
        qtbot.waitUntil(lambda: "hagen.elrollup" in page.status.text(), timeout=30000)
        assert asked == ["rollup-2026-01-01-2026-12-02.elrollup"]   # the default name says the period
        assert str(target) in plain(page.status.text())
        assert "01/01/2026" in page.status.text()   # the period, on screen
        header, _ = read_header(target.read_bytes(), str(target))
        assert header.sender == office_a.store.info.node_id and header.recipient == land.store.info.node_id
        [stored] = land.rollups.import_files([target])
        assert (stored.name, stored.first, stored.last) == ("Stadt Hagen", "2026-01-01", "2026-12-02")
    finally:
        page.tasks.shutdown()


def test_an_export_without_a_trusted_land_office_is_refused_before_any_file(qtbot, tmp_path, monkeypatch):
    lone = _store(tmp_path / "lone", "KoKo Hamm", "Stadt Hamm")
    page = _page(qtbot, lone, tmp_path / "lone")
    try:
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("no file dialog"))
        _settle(qtbot, page)
        qtbot.keyClick(page, Qt.Key.Key_X, ALT)
        with pytest.raises(ValidationError) as refusal:
            lone.rollups.land_office()
        qtbot.waitUntil(lambda: plain(page.status.text()) == error_text(refusal.value), timeout=5000)
        assert not list(tmp_path.glob("**/*.elrollup"))
    finally:
        page.tasks.shutdown()
        lone.store.close()


def test_a_land_office_imports_a_batch_and_previews_the_report_one_level_up(qtbot, world, monkeypatch):
    land, office_a, office_b, folder = world
    good_a, good_b = folder / "hagen.elrollup", folder / "unna.elrollup"
    office_a.rollups.export(good_a, "2026-01-01", "2026-12-02")
    office_b.rollups.export(good_b, "2026-01-01", "2026-12-02")
    data = bytearray(good_b.read_bytes())
    data[-80] ^= 1
    tampered = folder / "tampered.elrollup"
    tampered.write_bytes(bytes(data))
    with pytest.raises(ValidationError) as refusal:
        land.rollups.check(tampered)
    batch = [good_a, tampered, good_b, good_a]

    page = _page(qtbot, land, folder / "land")
    try:
        _settle(qtbot, page)
        panel = page.rollup
        assert not panel.source.isVisibleTo(page)                  # no roll-ups yet: one source, no switch
        assert page.report is not None and not any(t.key == "by-office" for t in page.report.tables)
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in batch], ""))
        page.report = None
        qtbot.keyClick(page, Qt.Key.Key_I, ALT)                     # "&Import roll-ups..."
        qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=30000)
        outcomes = [panel.model.index(r, 0).data(RowRole).outcome for r in range(4)]
        assert outcomes == ["stored", "refused", "stored", "known"]   # the bad file stopped nothing
        texts = [panel.model.index(r, RESULT).data() for r in range(4)]
        assert plain(texts[1]) == error_text(refusal.value) and "signature" in texts[1]
        assert "Stadt Hagen" in texts[0] and "Kreis Unna" in texts[2] and "already stored" in texts[3]
        assert panel.results.isVisibleTo(page) and panel.source.isVisibleTo(page)
        assert panel.source.currentData() == "rollups"

        qtbot.waitUntil(lambda: page.report is not None, timeout=30000)   # counted again, one level up
        by_office = next(i for i, t in enumerate(page.report.tables) if t.key == "by-office")
        page.table_choice.setCurrentIndex(by_office)
        shown = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
        assert shown[:2] == ["Kreis Unna", "Stadt Hagen"]
        expected = land.reports.build("2026-01-01", "2026-12-02", source="rollups").protected("suppress")
        assert page.report.key_published == expected.key_published
        for label, value in expected.key_published:
            assert f"{page.translate(label)}: {value}" in page.key_figures.text()
        out = folder / "land.xlsx"
        page.save(str(out), "xlsx")                                  # the export buttons work for it
        assert out.read_bytes()[:2] == b"PK"

        _settle(qtbot, page)
        page.report = None
        panel.source.setFocus()
        qtbot.keyClick(panel.source, Qt.Key.Key_Down)               # "This office's own records"
        qtbot.waitUntil(lambda: page.report is not None, timeout=30000)
        assert panel.source.currentData() == "own"
        assert not any(t.key == "by-office" for t in page.report.tables)
        own = land.reports.build("2026-01-01", "2026-12-02", source="own").protected("suppress")
        assert page.report.key_published == own.key_published != expected.key_published
    finally:
        page.tasks.shutdown()


def test_a_navigator_has_no_roll_up_buttons(qtbot, services, data_dir):
    services.families.add(family_document())
    page = _page(qtbot, services, data_dir)
    try:
        assert page.rollup is None
        assert not [b for b in page.findChildren(QAbstractButton) if "roll-up" in b.text().lower()]
    finally:
        page.tasks.shutdown()


def test_the_result_model_passes_the_model_tester(qtmodeltester, world):
    from elternlotse.ui.models.rollup_models import RollupResultModel

    land, office_a, _office_b, folder = world
    office_a.rollups.export(folder / "a.elrollup", "2026-01-01", "2026-06-30")
    model = RollupResultModel()
    model.set_rows(land.rollups.import_each([folder / "a.elrollup", folder / "missing.elrollup"]))
    qtmodeltester.check(model)
    assert [model.index(r, 0).data(RowRole).outcome for r in range(2)] == ["stored", "refused"]
