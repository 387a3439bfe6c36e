"""Settings readable before unlock: atomic JSON, validated, shared by CLI and GUI."""

from __future__ import annotations

import pytest

from elternlotse import settings
from elternlotse.domain.errors import ValidationError


def test_defaults_when_missing_or_broken(tmp_path):
    assert settings.load(tmp_path) == settings.Settings()
    settings.path_in(tmp_path).write_text("{not json", encoding="utf-8")
    assert settings.load(tmp_path) == settings.Settings()


def test_save_and_load_round_trip(tmp_path):
    saved = settings.Settings().with_value("idle_lock_minutes", "3").with_value("ui_language", "uk")
    settings.save(tmp_path, saved)
    assert settings.load(tmp_path) == settings.Settings(ui_language="uk", idle_lock_minutes=3)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary file left


@pytest.mark.parametrize("key,value", [("idle_lock_minutes", "-1"), ("idle_lock_minutes", "soon"),
                                       ("ui_language", "../etc"), ("colour", "red")])
def test_bad_values_are_refused(key, value):
    with pytest.raises(ValidationError):
        settings.Settings().with_value(key, value)


def test_cli_sets_what_the_gui_reads(cli, data_dir):
    result = cli("settings", "set", "idle_lock_minutes", "5")
    assert result.code == 0, result.err
    assert settings.load(data_dir).idle_lock_minutes == 5
    assert cli("settings", "show", "--json").json()["idle_lock_minutes"] == 5
    refused = cli("settings", "set", "idle_lock_minutes", "x")
    assert refused.code == 1 and "idle_lock_minutes" in refused.err
    assert settings.load(data_dir).idle_lock_minutes == 5


def test_name_and_organisation_are_edited_in_settings_by_keyboard(qtbot, services, data_dir):
    from PySide6.QtCore import Qt

    from elternlotse.app import open_store
    from elternlotse.ui.pages.settings_page import SettingsPage
    from tests.conftest import PASSPHRASE

    page = SettingsPage(services)
    qtbot.addWidget(page)
    assert page.name_edit.text() == "Ayla Navigator" and not page.has_unsaved_changes()
    page.name_edit.selectAll()
    qtbot.keyClicks(page.name_edit, "Ayla Demir")
    assert page.has_unsaved_changes()
    page.organisation_edit.selectAll()
    qtbot.keyClicks(page.organisation_edit, "KoKo Hagen-Haspe")
    with qtbot.waitSignal(page.identity_changed):
        qtbot.keyClick(page.organisation_edit, Qt.Key.Key_Return)
    assert not page.has_unsaved_changes()
    again = open_store(data_dir, PASSPHRASE)  # stored, not only shown
    assert (again.store.info.name, again.store.info.organisation) == ("Ayla Demir", "KoKo Hagen-Haspe")
    again.store.close()
    page.name_edit.clear()
    qtbot.keyClick(page.name_edit, Qt.Key.Key_Return)
    assert "enter your name" in page.identity_error.text() and services.store.info.name == "Ayla Demir"


def test_a_search_box_is_not_an_unsaved_entry(qtbot, services):
    from elternlotse.ui.pages.events_page import EventsPage
    from elternlotse.ui.pages.families_page import FamiliesPage
    from elternlotse.ui.pages.settings_page import page_has_unsaved_entries

    for page in (FamiliesPage(services), EventsPage(services)):
        qtbot.addWidget(page)
        search = page.search if hasattr(page, "search") else page.search_edit
        qtbot.keyClicks(search, "Olena")
        assert not page_has_unsaved_entries(page)
        page._search_timer.stop()  # the debounced search must not run after the store is closed
        page.close()
