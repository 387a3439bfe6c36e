"""The CLI speaks the UI language from settings.json (installed before the parser is built)."""

from __future__ import annotations

import pytest

from elternlotse import entry, i18n
from elternlotse import settings as settings_file
from elternlotse.i18n.compile import compile_all
from tests.test_i18n_catalogs import trailing


@pytest.fixture
def restore_english():
    compile_all()
    yield
    i18n.install("en")


def test_cli_installs_the_language_from_settings(data_dir, restore_english, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    assert entry.install_cli_language(["--data-dir", str(data_dir), "family", "list"]) == "en"
    settings_file.save(data_dir, settings_file.Settings(ui_language="uk"))
    assert entry.install_cli_language(["family", "list", "--data-dir", str(data_dir)]) == "uk"
    assert i18n.active_language() == "uk"
    settings_file.save(data_dir, settings_file.Settings(ui_language="xx"))
    monkeypatch.setenv("LANG", "tr_TR.UTF-8")
    assert entry.install_cli_language(["--data-dir", str(data_dir)]) == "tr"  # unknown setting: the system's


@trailing
def test_cli_message_in_german(data_dir, restore_english, capsys, monkeypatch):
    settings_file.save(data_dir, settings_file.Settings(ui_language="de"))
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", "correct horse battery")
    code = entry.main(["--data-dir", str(data_dir), "family", "list"])
    err = capsys.readouterr().err
    assert code == 1
    english = "No store in"
    assert err.strip() and english not in err, err


def test_argparse_texts_follow_the_ui_language(data_dir, restore_english, capsys):
    settings_file.save(data_dir, settings_file.Settings(ui_language="de"))
    with pytest.raises(SystemExit) as exit_:
        entry.main(["--data-dir", str(data_dir), "family", "frobnicate"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "Aufruf:" in err and "ungültige Auswahl" in err and "usage:" not in err
