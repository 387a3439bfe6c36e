"""Import page: a real CSV read off the GUI thread, mapping edited by keys, dry run, import, export."""

from __future__ import annotations

import json
import os

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from elternlotse.app import open_store
from elternlotse.ui.pages.import_page import ImportPage
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE


@pytest.fixture
def host(qtbot, data_dir, services):
    widget = QWidget()
    widget.tasks = TaskRunner(lambda: open_store(data_dir, PASSPHRASE), widget)
    qtbot.addWidget(widget)
    yield widget
    widget.tasks.shutdown()


def test_open_map_by_keys_dry_run_import_and_export(qtbot, host, services, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes("Wer;Telefon;Einwilligung\r\nAyşe Yılmaz;0176 1234 5678;ja\r\nOhne;0176 5555 5555;nein\r\n"
                     .encode("utf-8-sig"))
    page = ImportPage(services, host)
    page.show()
    page.open_file(str(path))
    qtbot.waitUntil(lambda: page.mapping_model.rowCount() == 3, timeout=15000)
    assert page.mapping_model.columns() == {1: "phone", 2: "consent_store"}  # "Wer" is not a known header
    # the dry run without a name column is refused with one sentence, nothing written
    page.dry_run_button.click()
    qtbot.waitUntil(lambda: page.dry_run_button.isEnabled(), timeout=15000)
    assert "name" in page.summary.text() and page.result_model.rowCount() == 0
    # pick the first column and give it the guardian's name by typing in the field chooser
    page.mapping_view.setFocus()
    page.mapping_view.selectRow(0)
    page.field_choice.setFocus()
    qtbot.keyClicks(page.field_choice, "Guardian's name")
    qtbot.keyClick(page.field_choice, Qt.Key.Key_Return)
    assert page.mapping_model.columns()[0] == "guardian_name"
    page.dry_run_button.click()
    qtbot.waitUntil(lambda: page.result_model.rowCount() == 2, timeout=15000)
    rows = page.result_model.rows()
    assert [(r.row, r.outcome) for r in rows] == [(2, "new"), (3, "refused")]
    reason = page.result_model.index(1, page.result_model.REASON).data()
    assert "consent" in reason and services.families.count() == 0
    page.import_button.click()
    qtbot.waitUntil(lambda: page.plan is not None and page.plan.imported, timeout=15000)
    assert services.families.count() == 1 and "Imported 1 row" in page.summary.text()
    # the mapping is saved owner-only and loads again
    saved = tmp_path / "map.json"
    page.mapping_model.show(page.headers, {})
    saved.write_text(json.dumps({"columns": {"Wer": "guardian_name", "Einwilligung": "consent_store"}}))
    page.load_mapping(str(saved))
    assert page.mapping_model.columns() == {0: "guardian_name", 2: "consent_store"}
    saved.write_text('{"columns": {"Wer": "religion"}}')
    page.load_mapping(str(saved))
    assert "religion" in page.summary.text() and page.mapping_model.columns() == {0: "guardian_name", 2: "consent_store"}
    out = tmp_path / "families.xlsx"
    page.export("families", str(out))
    qtbot.waitUntil(lambda: "families.xlsx" in page.summary.text(), timeout=15000)
    assert os.stat(out).st_mode & 0o777 == 0o600
    book = load_workbook(out, read_only=True)
    assert [r[1] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["Ayşe Yılmaz"]
    book.close()
    page.close()
