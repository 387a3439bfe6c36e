"""Start-up: what the unlock dialog and the first page import, lazy services, the list's kept answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from elternlotse import app
from elternlotse.app import Services, open_store
from tests.conftest import PASSPHRASE, family_document

ROOT = Path(__file__).resolve().parent.parent

#: Nothing of these belongs on the way to the unlock dialog or to the Families page's first rows.
HEAVY = ("reportlab", "fontTools", "sqlite_utils", "pyrage", "qrcode", "email_validator", "PySide6.QtPdf",
         "elternlotse.handouts", "elternlotse.sync", "elternlotse.services.sync", "elternlotse.services.handouts",
         "elternlotse.ui.pages.handouts_page", "elternlotse.ui.pages.sync_page", "elternlotse.ui.pages.settings_page",
         "elternlotse.ui.pages.family_detail")

PROBE = r"""
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from elternlotse.ui.start import Session, make_application, open_for_window
from elternlotse.ui.dialogs.unlock_dialog import UnlockDialog

def loaded(prefixes):
    return sorted({m for m in sys.modules for p in prefixes if m == p or m.startswith(p + ".")})

heavy = json.loads(sys.argv[3])
qapp = make_application()
session = Session(qapp, Path(sys.argv[1]))
dialog = UnlockDialog(session.data_dir)
dialog.show()
qapp.processEvents()
before_unlock = loaded(heavy + ["sqlcipher3", "elternlotse.services", "elternlotse.store", "elternlotse.ui.main_window"])
window = session.open_window(open_for_window(session.data_dir, sys.argv[2]), sys.argv[2])
qapp.processEvents()
first_page = {"rows": window.current_page().model.rowCount(), "modules": loaded(heavy)}
busy = window.tasks.busy
session.close()
print(json.dumps({"before_unlock": before_unlock, "first_page": first_page, "busy": busy}))
"""


@pytest.mark.slow
def test_unlock_dialog_and_first_page_import_only_what_they_show(services, data_dir):
    for number in range(3):
        services.families.add(family_document(f"Familie {number}", phone=f"0176 1234 56{number}0"))
    services.store.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT / "src")}
    env.pop(app.PASSPHRASE_ENV, None)
    done = subprocess.run([sys.executable, "-c", PROBE, str(data_dir), PASSPHRASE, json.dumps(list(HEAVY))],
                          capture_output=True, text=True, env=env, timeout=120, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["before_unlock"] == []  # not even SQLCipher: the dialog shows before any of it
    assert report["first_page"] == {"rows": 3, "modules": []}
    assert report["busy"] is False  # no background task (a second key derivation) at start


def test_services_are_built_on_first_use_and_share_their_siblings(services):
    fresh = Services(services.store)
    assert not {"families", "sync", "handouts", "checklists"} & set(vars(fresh))
    assert fresh.handouts.families is fresh.families
    assert fresh.agenda.checklists is fresh.checklists is fresh.events.checklists
    assert fresh.checklists.catalogs is fresh.catalogs


def test_every_erasure_is_wired_by_the_composition_root(services):
    from elternlotse.store.duplicates import erase_merge_records
    from elternlotse.store.kaoa import erase_family_rows

    assert services.families.erasers == (erase_family_rows, erase_merge_records)


def test_the_lists_kept_answers_follow_changes_of_this_and_other_connections(services, data_dir):
    first = services.families.add(family_document("Ayşe Yılmaz"))
    family_list = services.family_list
    assert [fid for fid, _ in family_list.order()] == [first.id]
    assert [r.row.guardians for r in family_list.rows([first.id])] == ["Ayşe Yılmaz"]

    second = services.families.add(family_document("Olena Kovalenko", phone="0176 7654 3210"))  # this connection
    assert [fid for fid, _ in family_list.order()] == [first.id, second.id]

    other = open_store(data_dir, PASSPHRASE)  # another connection: the desktop's background worker, the CLI
    try:
        other.families.update(first.id, {**other.families.document(first.id),
                                         "guardians": [{**other.families.document(first.id)["guardians"][0],
                                                        "name": "Ayşe Demir"}]})
        third = other.families.add(family_document("Mohammed Haddad", phone="0176 1111 2222"))
    finally:
        other.store.close()
    assert [fid for fid, _ in family_list.order()] == [first.id, second.id, third.id]
    assert [r.row.guardians for r in family_list.rows([first.id])] == ["Ayşe Demir"]


def test_a_kept_order_is_a_copy(services):
    services.families.add(family_document("Ayşe Yılmaz"))
    services.family_list.order().clear()
    assert len(services.family_list.order()) == 1
