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
