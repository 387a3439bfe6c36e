"""The access copy in the parent's language beside German (issue 12, item 10), and saved files (item 2)."""

from __future__ import annotations

import os
import stat

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from elternlotse.services.access_copy import copy_languages, readable_text
from elternlotse.ui.dialogs.access_copy_dialog import AccessCopyDialog
from elternlotse.ui.start import Session
from tests.conftest import PASSPHRASE, family_document


def _with_languages(*languages: str) -> dict:
    doc = family_document()
    doc["guardians"][0]["languages"] = list(languages)
    return doc


def test_the_copy_speaks_the_parents_language_beside_german_whatever_the_ui_language(services):
    arabic = services.families.document(services.families.add(_with_languages("ar", "de")).id)
    assert copy_languages(arabic) == ["ar", "de"]
    text = readable_text(arabic, "KoKo Hagen")
    assert "الاسم / Name" in text and "Ayşe Yılmaz" in text
    assert "Nachweis" in text and "Signed paper form" not in text  # the UI here is English: not used
    # Tigrinya has no catalogue: German and English labels, which the parent's helpers read
    tigrinya = services.families.document(services.families.add(_with_languages("ti")).id)
    assert copy_languages(tigrinya) == ["de", "en"]
    text = readable_text(tigrinya, "KoKo Hagen")
    assert "Schule / School" in text and "Unterschriebenes Papierformular / Signed paper form" in text
    german = services.families.document(services.families.add(_with_languages("de")).id)
    assert "Schule / " not in readable_text(german, "") and "Schule" in readable_text(german, "")


def test_cli_prints_the_readable_copy_in_a_chosen_or_the_parents_language(services, cli):
    family = services.families.add(family_document())  # Turkish and German
    services.store.close()
    parent = cli("family", "show", family.id, "--language", "parent")
    assert parent.code == 0 and "Okul / Schule: Gesamtschule Haspe" in parent.out
    russian = cli("family", "show", family.id, "--language", "ru")
    assert russian.code == 0 and "Школа / Schule" in russian.out and "Okul" not in russian.out
    bad = cli("family", "show", family.id, "--language", "12!")
    assert bad.code == 1 and bad.err.count("\n") == 1 and "language tag" in bad.err
    unchanged = cli("family", "show", family.id)  # without --language the summary stays as it was
    assert unchanged.code == 0 and unchanged.out.startswith("Family ")


def test_saving_a_copy_writes_it_owner_only_and_says_once_that_it_left_the_store(qtbot, services, tmp_path, monkeypatch):
    document = services.families.document(services.families.add(family_document()).id)
    dialog = AccessCopyDialog(document, "KoKo Hagen", services=services)
    qtbot.addWidget(dialog)
    targets = iter([tmp_path / "copy.json", tmp_path / "copy.pdf"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(targets)), ""))
    old = os.umask(0o022)
    try:
        dialog.json_button.click()
        notices = [w for w in QApplication.topLevelWidgets() if w.objectName() == "saved_file_notice" and w.isVisible()]
        assert len(notices) == 1 and isinstance(notices[0], QMessageBox)
        assert "not protected by the encrypted store" in notices[0].text()
        notices[0].close()
        dialog.pdf_button.click()
    finally:
        os.umask(old)
    assert [w for w in QApplication.topLevelWidgets() if w.objectName() == "saved_file_notice" and w.isVisible()] == []
    for name in ("copy.json", "copy.pdf"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert (tmp_path / "copy.pdf").read_bytes().startswith(b"%PDF")


def test_the_window_says_once_that_permissions_were_repaired(qtbot, services, data_dir, monkeypatch):
    services.store.close()
    os.chmod(data_dir / "elternlotse.db", 0o644)
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", PASSPHRASE)
    session = Session(QApplication.instance(), data_dir)
    assert session.start()
    try:
        assert "readable by you only" in session.window.statusBar().currentMessage()
        assert session.services.store.notices == []
    finally:
        session.close()
        session.window.close()
